package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Sizes from the rules in the Developer Guide's "Item sizes and formats". */
class ItemSizeTest {

    @Test
    void scalars() {
        assertThat(ItemSize.of(Map.of("name", AttributeValue.s("abc")))).isEqualTo(4 + 3);
        assertThat(ItemSize.of(Map.of("é", AttributeValue.s("€")))).isEqualTo(2 + 3);
        assertThat(ItemSize.of(Map.of("b", AttributeValue.b(new byte[10])))).isEqualTo(1 + 10);
        assertThat(ItemSize.of(Map.of("t", AttributeValue.TRUE))).isEqualTo(1 + 1);
        assertThat(ItemSize.of(Map.of("n", AttributeValue.NULL))).isEqualTo(1 + 1);
    }

    @Test
    void numbersCostOneBytePerTwoDigitsPlusOne() {
        assertThat(ItemSize.of(AttributeValue.n("1"))).isEqualTo(2);
        assertThat(ItemSize.of(AttributeValue.n("12"))).isEqualTo(2);
        assertThat(ItemSize.of(AttributeValue.n("123"))).isEqualTo(3);
        assertThat(ItemSize.of(AttributeValue.n("1000000"))).isEqualTo(2);
        assertThat(ItemSize.of(AttributeValue.n("0"))).isEqualTo(1);
        assertThat(ItemSize.of(AttributeValue.n("123.45"))).isEqualTo(4);
        assertThat(ItemSize.of(AttributeValue.n("0.5"))).isEqualTo(2);
        assertThat(ItemSize.of(AttributeValue.n("-1"))).isEqualTo(3);
    }

    @Test
    void listsAndMapsCostThreeBytesPlusOnePerElement() {
        assertThat(ItemSize.of(new AttributeValue.L(List.of()))).isEqualTo(3);
        assertThat(ItemSize.of(new AttributeValue.L(List.of(AttributeValue.s("ab"), AttributeValue.TRUE)))).isEqualTo(3 + 2 + 1 + 1 + 1);
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("k", AttributeValue.s("v"));
        assertThat(ItemSize.of(new AttributeValue.M(m))).isEqualTo(3 + 1 + 1 + 1);
    }

    @Test
    void setsAreTheSumOfTheirElements() {
        assertThat(ItemSize.of(new AttributeValue.SS(List.of("a", "bc")))).isEqualTo(3);
        assertThat(ItemSize.of(new AttributeValue.NS(List.of("1", "123")))).isEqualTo(2 + 3);
    }
}

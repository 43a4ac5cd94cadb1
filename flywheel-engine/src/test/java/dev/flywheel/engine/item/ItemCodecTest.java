package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ItemCodecTest {

    /** Random attribute values of every type, nested up to {@code depth} levels. */
    static Arbitrary<AttributeValue> values(int depth) {
        Arbitrary<String> strings = Arbitraries.strings().ofMaxLength(20);
        Arbitrary<String> numbers = Arbitraries.bigDecimals().between(new java.math.BigDecimal("-1e20"), new java.math.BigDecimal("1e20"))
                .ofScale(5).map(d -> DynamoNumber.normalize(d.toPlainString()));
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(20);
        List<Arbitrary<? extends AttributeValue>> scalar = List.of(
                strings.map(AttributeValue.S::new),
                numbers.map(AttributeValue.N::new),
                bytes.map(AttributeValue.B::new),
                strings.set().ofMinSize(1).ofMaxSize(4).map(s -> new AttributeValue.SS(List.copyOf(s))),
                numbers.set().ofMinSize(1).ofMaxSize(4).map(s -> new AttributeValue.NS(List.copyOf(s))),
                bytes.list().ofMinSize(1).ofMaxSize(3).map(AttributeValue.BS::new),
                Arbitraries.just(AttributeValue.NULL),
                Arbitraries.of(true, false).map(AttributeValue::bool));
        Arbitrary<AttributeValue> leaf = Arbitraries.oneOf(scalar);
        if (depth == 0) return leaf;
        Arbitrary<AttributeValue> nested = values(depth - 1);
        return Arbitraries.oneOf(leaf,
                nested.list().ofMaxSize(4).map(AttributeValue.L::new),
                Arbitraries.maps(strings, nested).ofMaxSize(4).map(m -> new AttributeValue.M(new LinkedHashMap<>(m))));
    }

    @Provide
    Arbitrary<Map<String, AttributeValue>> items() {
        return Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(10), values(3)).ofMaxSize(8)
                .map(LinkedHashMap::new);
    }

    @Property(tries = 500)
    void roundTrips(@ForAll("items") Map<String, AttributeValue> item) {
        assertThat(ItemCodec.decode(ItemCodec.encode(item))).isEqualTo(item);
    }

    @Test
    void keepsAttributeOrderAndUnicode() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("zeta", AttributeValue.s("\uD83D\uDE00 é"));
        item.put("alpha", AttributeValue.n("-1.5"));
        assertThat(List.copyOf(ItemCodec.decode(ItemCodec.encode(item)).keySet())).containsExactly("zeta", "alpha");
        assertThat(ItemCodec.decode(ItemCodec.encode(item))).isEqualTo(item);
    }
}

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

    @Property(tries = 300)
    void decodesOnlyTheNamedAttributes(@ForAll("items") Map<String, AttributeValue> item, @ForAll("names") java.util.Set<String> names) {
        byte[] bytes = ItemCodec.encode(item);
        Map<String, AttributeValue> expected = new LinkedHashMap<>(item);
        expected.keySet().retainAll(names);
        assertThat(ItemCodec.decode(bytes, names)).isEqualTo(expected);
        // A name of the item itself is always found, wherever it stands.
        for (String name : item.keySet()) {
            assertThat(ItemCodec.decode(bytes, java.util.Set.of(name))).containsOnlyKeys(name);
        }
    }

    @Provide
    Arbitrary<java.util.Set<String>> names() {
        return Arbitraries.strings().ofMinLength(1).ofMaxLength(10).set().ofMaxSize(4);
    }

    @Property(tries = 300)
    void theStoredSizeIsTheItemSize(@ForAll("items") Map<String, AttributeValue> item) {
        assertThat(ItemCodec.size(ItemCodec.encode(item))).isEqualTo(ItemSize.of(item));
    }

    @Test
    void readsTheFirstFormatWithoutASizeHeader() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.s("a"));
        item.put("n", AttributeValue.n("12.5"));
        byte[] v2 = ItemCodec.encode(item);
        // Format 2 is format 1 with the size (here one varint byte) after the format byte.
        assertThat(v2[0]).isEqualTo((byte) 2);
        byte[] v1 = new byte[v2.length - 1];
        v1[0] = 1;
        System.arraycopy(v2, 2, v1, 1, v2.length - 2);
        assertThat(ItemCodec.decode(v1)).isEqualTo(item);
        assertThat(ItemCodec.size(v1)).isEqualTo(ItemSize.of(item));
        assertThat(ItemCodec.decode(v1, java.util.Set.of("n"))).containsOnlyKeys("n");
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

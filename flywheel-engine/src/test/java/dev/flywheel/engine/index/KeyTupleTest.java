package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.model.AttributeValue;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * A multi-attribute key's values as storage bytes: a sort key's bytes must order as DynamoDB orders the
 * tuples (attribute by attribute, each by its type's order), and a partition key's bytes must tell
 * every two tuples apart.
 */
class KeyTupleTest {

    /** Two tuples of one key schema: 1 to 4 attributes, each S, N or B. */
    record TwoTuples(List<AttributeValue> a, List<AttributeValue> b) {}

    @Provide
    Arbitrary<TwoTuples> twoTuples() {
        return Arbitraries.of("S", "N", "B").list().ofMinSize(1).ofMaxSize(4)
                .flatMap(types -> Combinators.combine(tuple(types), tuple(types)).as(TwoTuples::new));
    }

    /** Values from small domains, so that tuples often share leading values and one value is a prefix of another. */
    static Arbitrary<List<AttributeValue>> tuple(List<String> types) {
        List<Arbitrary<AttributeValue>> values = new ArrayList<>(types.size());
        for (String type : types) values.add(value(type));
        return Combinators.combine(values).as(List::copyOf);
    }

    static Arbitrary<AttributeValue> value(String type) {
        return switch (type) {
            case "S" -> Arbitraries.strings().withChars('a', 'b', 'é', '\u0001', '\uffff').ofMinLength(1).ofMaxLength(3)
                    .map(AttributeValue.S::new);
            case "N" -> Arbitraries.oneOf(
                            Arbitraries.integers().between(-3, 3).map(BigDecimal::valueOf),
                            Arbitraries.integers().between(-2000, 2000).map(i -> BigDecimal.valueOf(i, 3)),
                            Arbitraries.of(new BigDecimal("1E125"), new BigDecimal("-1E125"), new BigDecimal("1E-130"),
                                    new BigDecimal("0.12"), new BigDecimal("0.123"), new BigDecimal("-0.12")))
                    .map(d -> new AttributeValue.N(d.toPlainString()));
            case "B" -> Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0xFF).list().ofMinSize(1).ofMaxSize(3)
                    .map(bytes -> {
                        byte[] b = new byte[bytes.size()];
                        for (int i = 0; i < b.length; i++) b[i] = bytes.get(i);
                        return new AttributeValue.B(b);
                    });
            default -> throw new IllegalArgumentException(type);
        };
    }

    @Property(tries = 5000)
    void sortKeyByteOrderIsTheOrderOfTheTuples(@ForAll("twoTuples") TwoTuples t) {
        int expected = compareTuples(t.a(), t.b());
        int actual = Arrays.compareUnsigned(sortKey(t.a()), sortKey(t.b()));
        assertThat(Integer.signum(actual)).as("%s vs %s", t.a(), t.b()).isEqualTo(Integer.signum(expected));
    }

    @Property(tries = 3000)
    void partitionKeysAreEqualExactlyWhenTheTuplesAre(@ForAll("twoTuples") TwoTuples t) {
        boolean equalTuples = compareTuples(t.a(), t.b()) == 0;
        assertThat(Arrays.equals(KeyTuple.partitionKey(t.a()), KeyTuple.partitionKey(t.b()))).isEqualTo(equalTuples);
    }

    @Test
    void aSingleAttributePartitionKeyKeepsTheEncodingIndexesAlwaysHad() {
        AttributeValue v = new AttributeValue.S("customer-1");
        assertThat(KeyTuple.partitionKey(List.of(v))).isEqualTo(KeyEncoding.encode(v));
    }

    @Test
    void typedValuesKeepTheirOwnOrder() {
        // Numerically 9 < 10 < 100, although "10" < "100" < "9" as strings: no concatenation of text.
        List<AttributeValue> nine = List.of(new AttributeValue.S("x"), new AttributeValue.N("9"));
        List<AttributeValue> ten = List.of(new AttributeValue.S("x"), new AttributeValue.N("10"));
        List<AttributeValue> hundred = List.of(new AttributeValue.S("x"), new AttributeValue.N("100"));
        assertThat(Arrays.compareUnsigned(sortKey(nine), sortKey(ten))).isNegative();
        assertThat(Arrays.compareUnsigned(sortKey(ten), sortKey(hundred))).isNegative();
        // A shorter first value sorts first whatever follows it: ("a", "z") < ("ab", "a").
        assertThat(Arrays.compareUnsigned(
                sortKey(List.of(new AttributeValue.S("a"), new AttributeValue.S("z"))),
                sortKey(List.of(new AttributeValue.S("ab"), new AttributeValue.S("a"))))).isNegative();
    }

    private static byte[] sortKey(List<AttributeValue> values) {
        return CompositeKey.encode(KeyTuple.components(values));
    }

    /** DynamoDB's order of tuples of key values: lexicographic, each value by its type's order. */
    static int compareTuples(List<AttributeValue> a, List<AttributeValue> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = compareValues(a.get(i), b.get(i));
            if (c != 0) return c;
        }
        return 0;
    }

    /** Strings by their UTF-8 bytes, numbers by value, binaries by their bytes, unsigned (Developer Guide, Query). */
    static int compareValues(AttributeValue x, AttributeValue y) {
        return switch (x) {
            case AttributeValue.S s -> Arrays.compareUnsigned(s.value().getBytes(StandardCharsets.UTF_8),
                    ((AttributeValue.S) y).value().getBytes(StandardCharsets.UTF_8));
            case AttributeValue.N n -> new BigDecimal(n.value()).compareTo(new BigDecimal(((AttributeValue.N) y).value()));
            case AttributeValue.B b -> Arrays.compareUnsigned(b.value(), ((AttributeValue.B) y).value());
            default -> throw new IllegalArgumentException("not a key type: " + x.type());
        };
    }
}

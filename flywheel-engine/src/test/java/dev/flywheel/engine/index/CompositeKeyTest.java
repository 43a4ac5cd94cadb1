package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.KeyRange;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** An index entry's sort key: its byte order must be the order of the tuples it joins. */
class CompositeKeyTest {

    /** Byte strings rich in the bytes the escaping is about (0x00, 0x01, 0xFF), and empty ones. */
    @Provide
    Arbitrary<byte[]> components() {
        Arbitrary<Byte> tricky = Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x02, (byte) 0x7F, (byte) 0xFE, (byte) 0xFF);
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.oneOf(tricky, any).list().ofMaxSize(6)
                .map(bytes -> {
                    byte[] b = new byte[bytes.size()];
                    for (int i = 0; i < b.length; i++) b[i] = bytes.get(i);
                    return b;
                });
    }

    @Provide
    Arbitrary<List<byte[]>> tuples() {
        return components().list().ofSize(3);
    }

    @Property(tries = 3000)
    void byteOrderIsTheLexicographicOrderOfTheTuples(@ForAll("tuples") List<byte[]> a, @ForAll("tuples") List<byte[]> b) {
        int expected = 0;
        for (int i = 0; i < a.size() && expected == 0; i++) expected = Arrays.compareUnsigned(a.get(i), b.get(i));
        int actual = Arrays.compareUnsigned(CompositeKey.encode(a), CompositeKey.encode(b));
        assertThat(Integer.signum(actual)).isEqualTo(Integer.signum(expected));
    }

    @Property(tries = 1000)
    void decodeGivesTheComponentsBack(@ForAll("tuples") List<byte[]> tuple) {
        List<byte[]> decoded = CompositeKey.decode(CompositeKey.encode(tuple));
        assertThat(decoded).hasSize(tuple.size());
        for (int i = 0; i < tuple.size(); i++) assertThat(decoded.get(i)).isEqualTo(tuple.get(i));
    }

    /** A range of first components, as a Query's sort key condition gives: bounds, or a prefix. */
    @Provide
    Arbitrary<KeyRange> ranges() {
        Arbitrary<byte[]> bound = Arbitraries.oneOf(components(), Arbitraries.just(null));
        Arbitrary<KeyRange> bounded = Combinators.combine(bound, Arbitraries.of(true, false), bound, Arbitraries.of(true, false))
                .as(KeyRange::new);
        Arbitrary<KeyRange> prefixes = components().map(KeyRange::prefix);
        return Arbitraries.oneOf(bounded, prefixes);
    }

    @Property(tries = 3000)
    void firstComponentRangeSelectsExactlyTheTuplesWhoseFirstComponentIsInRange(
            @ForAll("ranges") KeyRange range, @ForAll("tuples") List<byte[]> tuple) {
        boolean expected = contains(range, tuple.getFirst());
        boolean actual = contains(CompositeKey.firstComponentIn(range), CompositeKey.encode(tuple));
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * A Query on a multi-attribute sort key: leading components fixed by equality, a range on the next.
     * Components from a tiny domain, so that tuples often start with the leading ones.
     */
    @Property(tries = 5000)
    void componentRangeSelectsExactlyTheTuplesWithTheLeadingComponentsAndTheNextInRange(
            @ForAll("smallTuples") List<byte[]> leading, @ForAll("ranges") KeyRange range,
            @ForAll("smallTuples") List<byte[]> start, @ForAll("tuples") List<byte[]> rest) {
        List<byte[]> tuple = new java.util.ArrayList<>(start);
        tuple.addAll(rest);
        // An index's stored tuples have all its key's components, and a Query fixes fewer than all: a
        // tuple that is only the leading components (some tries draw one) cannot be stored.
        net.jqwik.api.Assume.that(tuple.size() > leading.size());
        boolean expected = contains(range, tuple.get(leading.size()));
        for (int i = 0; i < leading.size() && expected; i++) expected = Arrays.equals(tuple.get(i), leading.get(i));
        boolean actual = contains(CompositeKey.componentIn(leading, range), CompositeKey.encode(tuple));
        assertThat(actual).isEqualTo(expected);
    }

    @Provide
    Arbitrary<List<byte[]>> smallTuples() {
        Arbitrary<byte[]> tiny = Arbitraries.of(new byte[0], new byte[] {0x00}, new byte[] {0x01}, new byte[] {0x01, 0x00});
        return tiny.list().ofMaxSize(3);
    }

    @Test
    void zeroBytesAreEscapedAndComponentsTerminated() {
        assertThat(CompositeKey.encode(List.of(new byte[] {0x00, 0x61}, new byte[0])))
                .containsExactly(0x00, 0xFF, 0x61, 0x00, 0x01, 0x00, 0x01);
    }

    /** The storage contract's range membership, as TreeMapStorage checks it. */
    private static boolean contains(KeyRange range, byte[] key) {
        if (range.lower() != null) {
            int c = Arrays.compareUnsigned(key, range.lower());
            if (c < 0 || (c == 0 && !range.lowerInclusive())) return false;
        }
        if (range.upper() != null) {
            int c = Arrays.compareUnsigned(key, range.upper());
            if (c > 0 || (c == 0 && !range.upperInclusive())) return false;
        }
        return true;
    }
}

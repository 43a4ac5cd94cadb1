package dev.flywheel.storage;

import static dev.flywheel.storage.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class KeyRangeTest {

    @Test
    void prefixRangeEndsAtTheSuccessorOfThePrefix() {
        KeyRange range = KeyRange.prefix(bytes("ab"));
        assertThat(range.lower()).isEqualTo(bytes("ab"));
        assertThat(range.lowerInclusive()).isTrue();
        assertThat(range.upper()).isEqualTo(bytes("ac"));
        assertThat(range.upperInclusive()).isFalse();
    }

    @Test
    void trailing0xFFBytesAreCarriedOver() {
        assertThat(KeyRange.prefix(bytes("a\u00FF\u00FF")).upper()).isEqualTo(bytes("b"));
        assertThat(KeyRange.prefix(bytes("\u00FF")).upper()).isNull();
        assertThat(KeyRange.prefix(bytes("")).upper()).isNull();
    }

    @Property
    void aKeyIsInThePrefixRangeExactlyWhenItStartsWithThePrefix(
            @ForAll("keys") byte[] prefix, @ForAll("keys") byte[] suffix, @ForAll("keys") byte[] other) {
        byte[] withPrefix = Arrays.copyOf(prefix, prefix.length + suffix.length);
        System.arraycopy(suffix, 0, withPrefix, prefix.length, suffix.length);
        KeyRange range = KeyRange.prefix(prefix);
        assertThat(inRange(range, withPrefix)).isTrue();
        boolean otherStartsWithPrefix = other.length >= prefix.length && Arrays.equals(other, 0, prefix.length, prefix, 0, prefix.length);
        assertThat(inRange(range, other)).isEqualTo(otherStartsWithPrefix);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        // Few distinct bytes, short keys: prefixes, carries and 0xFF runs come up often.
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0xFE, (byte) 0xFF).array(byte[].class).ofMaxSize(4);
    }

    private static boolean inRange(KeyRange range, byte[] key) {
        return Arrays.compareUnsigned(key, range.lower()) >= 0
                && (range.upper() == null || Arrays.compareUnsigned(key, range.upper()) < 0);
    }
}

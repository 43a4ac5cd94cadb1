package dev.flywheel.storage;

import static dev.flywheel.storage.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PartitionHashTest {

    @Test
    void hashesAreStable() {
        // Persisted in every row key: these values must never change. (Checked against an independent
        // implementation of FNV-1a 64 + the SplitMix64 finalizer.)
        assertThat(PartitionHash.of(bytes(""))).isEqualTo(0xF52A15E9A9B5E89BL);
        assertThat(PartitionHash.of(bytes("a"))).isEqualTo(0x02C0BDBF481420F8L);
        assertThat(PartitionHash.of(bytes("user#42"))).isEqualTo(0x408303D0AAF1754EL);
    }

    @Test
    void segmentBoundaries() {
        assertThat(PartitionHash.segmentStart(0, 1)).isZero();
        assertThat(PartitionHash.segmentStart(1, 1)).isNull();
        assertThat(PartitionHash.segmentStart(1, 2)).isEqualTo(Long.MIN_VALUE); // 2^63 unsigned
        assertThat(PartitionHash.segmentStart(1, 4)).isEqualTo(1L << 62);
        assertThat(PartitionHash.segmentStart(3, 4)).isEqualTo(0xC000000000000000L);
        assertThat(PartitionHash.segmentStart(1, 3)).isEqualTo(0x5555555555555555L);
    }

    @Property
    void segmentsFollowEachOtherInUnsignedOrder(@ForAll @IntRange(min = 1, max = 1_000_000) int totalSegments,
                                                @ForAll @IntRange(min = 0, max = 999_999) int anySegment) {
        int segment = anySegment % totalSegments;
        long start = PartitionHash.segmentStart(segment, totalSegments);
        BigInteger exact = BigInteger.valueOf(segment).shiftLeft(64).divide(BigInteger.valueOf(totalSegments));
        assertThat(Long.toUnsignedString(start)).isEqualTo(exact.toString());
        Long next = PartitionHash.segmentStart(segment + 1, totalSegments);
        if (next != null) assertThat(Long.compareUnsigned(start, next)).isNegative();
        else assertThat(segment).isEqualTo(totalSegments - 1);
    }
}

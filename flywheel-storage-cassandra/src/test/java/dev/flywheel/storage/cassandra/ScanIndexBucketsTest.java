package dev.flywheel.storage.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.PartitionHash;
import org.junit.jupiter.api.Test;

/** The buckets of the scan index are consecutive slices of the unsigned hash space, in order. */
class ScanIndexBucketsTest {
    @Test
    void bucketsSliceTheHashSpaceInUnsignedOrder() {
        assertThat(ScanIndex.BUCKETS).isEqualTo(256);
        assertThat(ScanIndex.firstHashOf(0)).isZero();
        assertThat(ScanIndex.lastHashOf(ScanIndex.BUCKETS - 1)).isEqualTo(-1L);
        for (int bucket = 0; bucket < ScanIndex.BUCKETS; bucket++) {
            long first = ScanIndex.firstHashOf(bucket), last = ScanIndex.lastHashOf(bucket);
            assertThat(ScanIndex.bucketOf(first)).isEqualTo(bucket);
            assertThat(ScanIndex.bucketOf(last)).isEqualTo(bucket);
            assertThat(Long.compareUnsigned(first, last)).isNegative();
            if (bucket > 0) assertThat(ScanIndex.lastHashOf(bucket - 1) + 1).isEqualTo(first);
        }
        // The sign bit is the top bit of the bucket: buckets past the middle hold the "negative" hashes.
        assertThat(ScanIndex.bucketOf(Long.MIN_VALUE)).isEqualTo(128);
    }

    @Test
    void segmentsOfAPowerOfTwoAlignWithBuckets() {
        for (int segment = 0; segment < 4; segment++) {
            assertThat(ScanIndex.bucketOf(PartitionHash.segmentStart(segment, 4))).isEqualTo(64 * segment);
        }
    }
}

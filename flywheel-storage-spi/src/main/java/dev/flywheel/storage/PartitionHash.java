package dev.flywheel.storage;

/**
 * The hash that spreads partitions, and so orders a Scan: 64-bit FNV-1a of the partition-key bytes,
 * finished with SplitMix64's mixer for good spread of short keys. It is persisted in row keys, so it
 * must never change.
 *
 * <p>Hashes are compared unsigned. Segment {@code i} of {@code n} holds hashes from
 * {@code segmentStart(i, n)} (inclusive) to {@code segmentStart(i + 1, n)} (exclusive).
 */
public final class PartitionHash {
    private PartitionHash() {}

    public static long of(byte[] partitionKey) {
        long h = 0xcbf29ce484222325L;
        for (byte b : partitionKey) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
        h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
        return h ^ (h >>> 31);
    }

    /**
     * The first hash of segment {@code segment} of {@code totalSegments}, as an unsigned 64-bit value;
     * {@code segmentStart(n, n)} is 2^64, which does not fit and is returned as null.
     */
    public static Long segmentStart(int segment, int totalSegments) {
        if (segment == totalSegments) return null;
        // floor(segment * 2^64 / totalSegments), computed exactly.
        return java.math.BigInteger.valueOf(segment).shiftLeft(64)
                .divide(java.math.BigInteger.valueOf(totalSegments)).longValue();
    }
}

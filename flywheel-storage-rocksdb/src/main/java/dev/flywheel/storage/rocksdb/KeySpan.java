package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.RowKey;
import java.util.Arrays;

/**
 * The row keys a read visits: from {@code from} (inclusive) to {@code to} (exclusive; null when
 * nothing follows, which only the table of id -1 has). Every read of the rows column family, forward
 * or backward, is one span turned into RocksDB's iterate bounds, so that each bound rule (inclusive,
 * exclusive, prefix, continuation) is an arithmetic on keys here rather than a check in a loop.
 */
record KeySpan(byte[] from, byte[] to) {

    /** The rows of one partition in {@code range}, and past {@code startAfter} in the read's direction. */
    static KeySpan partition(long tableId, byte[] pk, KeyRange range, byte[] startAfter, boolean forward) {
        long hash = PartitionHash.of(pk);
        byte[] start = RowKeys.partitionStart(tableId, hash, pk);
        byte[] from = range.lower() == null ? start
                : range.lowerInclusive() ? RowKeys.rowKey(tableId, hash, pk, range.lower())
                : RowKeys.justAfter(tableId, hash, pk, range.lower());
        byte[] to = range.upper() == null ? KeyRange.successor(start)
                : range.upperInclusive() ? RowKeys.justAfter(tableId, hash, pk, range.upper())
                : RowKeys.rowKey(tableId, hash, pk, range.upper());
        KeySpan span = new KeySpan(from, to);
        if (startAfter == null) return span;
        return forward ? span.startingAt(RowKeys.justAfter(tableId, hash, pk, startAfter))
                : span.endingAt(RowKeys.rowKey(tableId, hash, pk, startAfter));
    }

    /** The rows of hash segment {@code segment} of {@code totalSegments}, after the row {@code after}. */
    static KeySpan segment(long tableId, int segment, int totalSegments, RowKey after) {
        byte[] from = RowKeys.hashStart(tableId, PartitionHash.segmentStart(segment, totalSegments));
        Long end = PartitionHash.segmentStart(segment + 1, totalSegments);
        byte[] to = end == null ? KeyRange.successor(RowKeys.tableStart(tableId)) : RowKeys.hashStart(tableId, end);
        KeySpan span = new KeySpan(from, to);
        if (after == null) return span;
        long hash = PartitionHash.of(after.partitionKey());
        return span.startingAt(RowKeys.justAfter(tableId, hash, after.partitionKey(), after.sortKey()));
    }

    /** Every row of a table. */
    static KeySpan table(long tableId) {
        byte[] start = RowKeys.tableStart(tableId);
        return new KeySpan(start, KeyRange.successor(start));
    }

    boolean isEmpty() {
        return to != null && Arrays.compareUnsigned(from, to) >= 0;
    }

    private KeySpan startingAt(byte[] key) {
        return Arrays.compareUnsigned(key, from) > 0 ? new KeySpan(key, to) : this;
    }

    private KeySpan endingAt(byte[] key) {
        return to == null || Arrays.compareUnsigned(key, to) < 0 ? new KeySpan(from, key) : this;
    }
}

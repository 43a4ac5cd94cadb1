package dev.flywheel.storage;

import java.util.List;
import java.util.Map;

/**
 * Flywheel's storage SPI: ordered byte rows per partition key, conditional single-partition writes,
 * a durable log of derived changes, and table metadata. The engine holds every DynamoDB rule; a
 * backend only stores bytes, so the same engine runs on RocksDB and on Cassandra.
 *
 * <h2>Data model</h2>
 * A table (identified by a {@code long} id that is never reused) holds rows addressed by
 * {@code (partitionKey, sortKey)}, both opaque byte strings. Inside a partition key, rows are
 * ordered by unsigned lexicographic order of the sort key (the engine encodes DynamoDB values so that
 * this order is DynamoDB's). A table without a sort key uses the empty sort key. Partitions are spread
 * by {@link PartitionHash} of the partition key; a Scan visits partitions in unsigned hash order, and
 * within a partition in sort-key order. Two partition keys with the same hash (a 64-bit collision) are
 * ordered by length, then by unsigned bytes. That is also how parallel Scan splits a table: segment
 * {@code i} of {@code n} holds the hashes in
 * {@link PartitionHash#segmentStart(int, int)}..{@code segmentStart(i+1, n)}.
 *
 * <p>Partition keys are at most {@value #MAX_PARTITION_KEY_BYTES} bytes (DynamoDB allows 2048; the
 * rest is room for the engine's encoding). A row's size, counted by {@link ReadLimits#maxBytes()} and
 * {@link TableStats#bytes()}, is {@link Row#size()}: its partition key, sort key and value bytes.
 *
 * <h2>Writes</h2>
 * A {@link PartitionWrite} changes rows of one partition key atomically, and only if every row's
 * {@link Expected} precondition holds at that moment: compare-and-set against what the engine read
 * and checked. Its {@link DerivedRecord}s are appended to their logs in the same atomic step, so they
 * are never lost nor applied without the write (indexes, streams, replication, cache invalidation).
 *
 * <p>Local secondary index entries live in companion tables ({@link CompanionWrite}): each index has
 * its own table id, so reads of the item table never see index rows, and its rows are keyed by the
 * item's partition key and an index sort key (the engine's encoding of the index sort key then the
 * item's sort key). A write changes the item and its index entries in one atomic step, with the same
 * preconditions as its own rows. RocksDB applies them in the same WriteBatch under the owner
 * partition's lock; a Cassandra backend keeps them in the same CQL partition as the item, clustered
 * by companion table id, so one lightweight transaction covers them.
 *
 * <h2>Thread safety and errors</h2>
 * Implementations are thread-safe. Reads see every write acknowledged before they started, unless asked
 * for {@link ReadConsistency#EVENTUAL} (each read method has an overload taking it; the ones without
 * are strong, which is what every reader inside the engine needs). Failures
 * of the backend are thrown as {@link StorageException}; a failed precondition is a value
 * ({@link WriteOutcome}), not an exception. Arrays passed in or returned are never mutated afterwards.
 * Arguments are never null unless a method says so. After {@link #close()}, every method but
 * {@code close} throws {@link StorageException.Unavailable}.
 */
public interface Storage extends AutoCloseable {

    /** The longest partition key a backend accepts; longer ones are an {@link IllegalArgumentException}. */
    int MAX_PARTITION_KEY_BYTES = 65_535;

    /** The row's value, or null when absent. */
    byte[] get(long tableId, byte[] partitionKey, byte[] sortKey);

    /** What {@link #getIfCached} answers when the row is not in memory. Compare by identity. */
    byte[] NOT_IN_MEMORY = new byte[0];

    /**
     * As {@link #get}, answered only from memory (a cache, a memtable), for a caller that must not wait:
     * {@link #NOT_IN_MEMORY} when answering needs a read that waits (disk, network). A backend that
     * cannot tell without waiting always answers so, as this default does.
     */
    default byte[] getIfCached(long tableId, byte[] partitionKey, byte[] sortKey) {
        return NOT_IN_MEMORY;
    }

    /**
     * As {@link #get(long, byte[], byte[])}, as recent as {@code consistency} asks. A backend that keeps
     * one copy need not override it.
     */
    default byte[] get(long tableId, byte[] partitionKey, byte[] sortKey, ReadConsistency consistency) {
        return get(tableId, partitionKey, sortKey);
    }

    /**
     * Rows of one partition key whose sort key lies in {@code range}, in sort-key order (reversed when
     * {@code forward} is false), stopping at the first limit of {@code limits} reached. A
     * {@link ReadLimits#startAfter()} continues a previous page: only sort keys after it in the
     * direction of the read are returned (greater when forward, smaller when backward).
     */
    Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits);

    /** As {@link #read(long, byte[], KeyRange, boolean, ReadLimits)}, as recent as {@code consistency} asks. */
    default Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits,
                      ReadConsistency consistency) {
        return read(tableId, partitionKey, range, forward, limits);
    }

    /**
     * Rows of the hash segment {@code segment} of {@code totalSegments} (1 segment = whole table), in
     * scan order, starting strictly after {@code after} (null: from the segment's start; it may lie
     * outside the segment).
     *
     * @throws IllegalArgumentException if {@code totalSegments < 1}, {@code segment} is not in
     *     {@code [0, totalSegments)}, or {@code limits.startAfter()} is set (scan continues from {@code after})
     */
    Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits);

    /** As {@link #scan(long, int, int, RowKey, ReadLimits)}, as recent as {@code consistency} asks. */
    default Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits,
                      ReadConsistency consistency) {
        return scan(tableId, segment, totalSegments, after, limits);
    }

    /** Applies the write if all its preconditions hold; see {@link WriteOutcome}. */
    WriteOutcome write(PartitionWrite write);

    /**
     * The bytes that stand for {@code partitionKey} of table {@code tableId} where the engine stores a
     * partition key outside a row's partition key (an index entry's sort key holds its item's table
     * key). A backend stores keys as given and returns the key itself; a layer that hides partition
     * keys (encryption at rest) returns what it stores instead, so that sort keys, which stay visible
     * for ordering, never reveal a partition key. Deterministic: equal keys give equal bytes.
     */
    default byte[] partitionKeyInSortKey(long tableId, byte[] partitionKey) {
        return partitionKey;
    }

    /** Removes every row of the table; the rows may disappear in the background. */
    void dropTable(long tableId);

    /**
     * Approximate row count and bytes of a table (exact on small tables). It may cost a read of the
     * whole table: callers cache it (DynamoDB itself refreshes a table's ItemCount about every six hours).
     */
    TableStats stats(long tableId);

    /**
     * Log entries of {@code log} with sequence numbers greater than {@code afterSequence}, in order, at
     * most {@code maxEntries} (at least 1). Sequence numbers start at 1 and are never reused, even after
     * a trim. An entry is returned only once every entry with a smaller sequence is readable too, so a
     * consumer that continues after the last sequence it read never skips one (there may be gaps: a
     * write that failed may leave its sequence unused). An unknown log reads as empty.
     */
    List<LogEntry> readLog(String log, long afterSequence, int maxEntries);

    /**
     * Forgets the entries of {@code log} up to and including {@code throughSequence} (or up to the last
     * readable entry, if that is smaller). Later entries keep their sequence numbers.
     */
    void trimLog(String log, long throughSequence);

    /** Durable metadata (table definitions and the like): small values by key. */
    byte[] getMeta(String key);

    /** Writes (value non-null) or deletes (value null) a metadata key, durably. */
    void putMeta(String key, byte[] value);

    /**
     * Whether other processes may change this storage's metadata too (Flywheel servers in front of one
     * Cassandra cluster): then the engine re-reads table definitions now and then, to see tables another
     * server updated or deleted. False for a storage one process owns.
     */
    default boolean isShared() {
        return false;
    }

    /**
     * Writes a metadata key only if it has no value: of several writers, even on servers sharing a
     * distributed storage, exactly one wins (encryption keys and table ids created on first use must be
     * the same for every server).
     *
     * @return the value stored now: {@code value} if this call wrote it, else the one already there
     */
    default byte[] putMetaIfAbsent(String key, byte[] value) {
        // Enough for a storage that one process owns and whose callers serialize their metadata writes
        // (as the engine does); a storage shared by several processes overrides it.
        byte[] current = getMeta(key);
        if (current != null) return current;
        putMeta(key, value);
        return value;
    }

    /** Every metadata entry whose key starts with {@code prefix}, in the order of the keys' UTF-8 bytes. */
    Map<String, byte[]> listMeta(String prefix);

    @Override
    void close();
}

package dev.flywheel.storage.cassandra;

import static dev.flywheel.storage.cassandra.Blobs.buf;
import static dev.flywheel.storage.cassandra.Blobs.bytes;
import static dev.flywheel.storage.cassandra.Blobs.ordered;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scan index ({@code scan_index} in {@link CassandraSchema}): the partition keys each table has rows
 * in, in the SPI's scan order.
 *
 * <p>A table's entries are spread over {@link #BUCKETS} Cassandra partitions, bucket {@code b} holding
 * the hashes whose top {@link #BUCKET_BITS} bits are {@code b}: consecutive slices of the hash space. So
 * the buckets in order, each in its clustering order, are the scan order; a parallel Scan segment (a hash
 * range) reads only the buckets it overlaps; and the index entries of a table's new partitions, written
 * as they appear, land on 256 Cassandra partitions spread over the cluster instead of one, which also
 * took every such write of the table and grew with it (a few million partitions made it too large).
 *
 * <p>Which buckets hold entries is kept beside ({@code scan_buckets}): a listing reads that first (in
 * parallel with its first bucket), then only the buckets it names, so that a Scan of an empty or small
 * table costs a few reads, not 256. A bucket is named there before its first entry is written (so before
 * any row it lists), once per server (remembered), and forgotten only with its table.
 *
 * <p>A listing reads buckets ahead of the one consumed: one at first (a Scan page of a large table
 * usually ends in the bucket it started in), one more after each bucket that held less than one fetch of
 * entries, back to one after a bucket that took several (a large table's). So while buckets are sparse (a
 * small table's are mostly empty, a medium one's hold a few entries each) as many are in flight as were
 * consumed: the walk doubles with each round trip, and 256 buckets cost about ten, not 256; and a
 * listing abandoned early (a full page) has wasted at most about as many reads as it used.
 */
final class ScanIndex {
    static final int BUCKET_BITS = 8;
    static final int BUCKETS = 1 << BUCKET_BITS;
    /** Index entries fetched per round trip. */
    private static final int FETCH_SIZE = 200;
    private static final int MAX_BUCKETS_AHEAD = 64;

    /**
     * How long a server believes an entry it wrote is there without writing it again (see
     * {@link IndexedPartitions}); a fraction of {@link #PRUNE_AFTER}, so that clocks of servers may
     * differ by most of the rest.
     */
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);
    /** How old an entry of an empty partition must be before a Scan removes it (see {@link #prune}). */
    static final Duration PRUNE_AFTER = Duration.ofHours(1);

    /** One listed partition: its hash (unsigned), key, and when its entry was last written (µs). */
    record Entry(long hash, byte[] partitionKey, long writtenMicros) {}

    private record TableBucket(long tableId, int bucket) {}

    private final CqlSession session;
    private final CassandraSchema schema;
    private final IndexedPartitions indexed;
    private final long pruneAfterMicros;
    /** The buckets this server knows {@code scan_buckets} names: at most 256 per table. */
    private final Set<TableBucket> namedBuckets = ConcurrentHashMap.newKeySet();

    ScanIndex(CqlSession session, CassandraSchema schema) {
        this(session, schema, REMEMBERED_FOR, PRUNE_AFTER);
    }

    /** With other durations (tests): {@code rememberedFor} must stay well below {@code pruneAfter}. */
    ScanIndex(CqlSession session, CassandraSchema schema, Duration rememberedFor, Duration pruneAfter) {
        this.session = session;
        this.schema = schema;
        this.indexed = new IndexedPartitions(rememberedFor);
        this.pruneAfterMicros = pruneAfter.toNanos() / 1000;
    }

    /** Whether an entry written then is old enough for {@link #prune}. */
    boolean prunable(Entry entry) {
        return entry.writtenMicros() < System.currentTimeMillis() * 1000 - pruneAfterMicros;
    }

    /**
     * Removes the entry of a partition that holds no row of the table (the caller read it so at
     * QUORUM), as of the time it was written: a delete at that timestamp loses to any later write of
     * the entry, so a writer that lists the partition again after this read keeps it listed. A writer
     * lists a partition before it writes rows there, and skips that only while it remembers writing
     * the entry itself ({@link #REMEMBERED_FOR}, far less than {@link #PRUNE_AFTER}): so an entry old
     * enough to prune was not skipped by any write in flight, unless a write waited for over
     * {@link #PRUNE_AFTER} between listing its partition and writing its rows, or servers' clocks
     * differ by more than {@code PRUNE_AFTER - REMEMBERED_FOR}.
     */
    CompletionStage<AsyncResultSet> prune(long tableId, Entry entry) {
        indexed.forget(tableId, entry.partitionKey());
        byte[] pk = entry.partitionKey();
        return session.executeAsync(schema.deleteIndexEntryAsOf.bind(entry.writtenMicros(), tableId,
                bucketOf(entry.hash()), ordered(entry.hash()), pk.length, head(pk)));
    }

    static int bucketOf(long hash) {
        return (int) (hash >>> (64 - BUCKET_BITS));
    }

    static long firstHashOf(int bucket) {
        return (long) bucket << (64 - BUCKET_BITS);
    }

    static long lastHashOf(int bucket) {
        return firstHashOf(bucket) | (-1L >>> BUCKET_BITS);
    }

    /**
     * Lists the partition in the index, and its bucket among the table's, unless this server knows they
     * already are. Complete once both are written: the caller then writes the partition's rows.
     */
    CompletionStage<?> add(long tableId, long hash, byte[] partitionKey) {
        if (indexed.contains(tableId, partitionKey)) return CompletableFuture.completedFuture(null);
        CompletionStage<?> named = nameBucket(tableId, bucketOf(hash));
        CompletionStage<?> listed = session.executeAsync(entry(tableId, hash, partitionKey.length, head(partitionKey),
                buf(partitionKey)));
        return named.thenCombine(listed, (a, b) -> null).thenRun(() -> indexed.add(tableId, partitionKey));
    }

    /** Names the bucket among the table's, unless this server knows it is. */
    CompletionStage<?> nameBucket(long tableId, int bucket) {
        TableBucket named = new TableBucket(tableId, bucket);
        if (namedBuckets.contains(named)) return CompletableFuture.completedFuture(null);
        return session.executeAsync(schema.addBucket.bind(tableId, bucket)).thenRun(() -> namedBuckets.add(named));
    }

    /** The insert of one entry, its columns as stored (the hash as the SPI computes it, unsigned). */
    BoundStatement entry(long tableId, long hash, int keyLength, ByteBuffer keyHead, ByteBuffer key) {
        return schema.addIndexEntry.bind(tableId, bucketOf(hash), ordered(hash), keyLength, keyHead, key);
    }

    /** What the index clusters a key by (see {@link CassandraSchema#INDEXED_KEY_HEAD}). */
    static ByteBuffer head(byte[] partitionKey) {
        return ByteBuffer.wrap(partitionKey, 0, Math.min(partitionKey.length, CassandraSchema.INDEXED_KEY_HEAD)).slice();
    }

    /**
     * The table's entries with hashes from {@code from} (inclusive) to {@code end} (exclusive; null: the
     * end of the hash space), in scan order; with {@code after} set (a key whose hash is {@code from}),
     * only the entries after it.
     *
     * @param level the consistency of the reads; null for the session's
     */
    Iterator<Entry> entries(long tableId, long from, Long end, byte[] after, ConsistencyLevel level) {
        if (end != null && Long.compareUnsigned(from, end) >= 0) return Collections.emptyIterator();
        return new Listing(tableId, from, end, after, level);
    }

    /** Forgets the table's entries in {@code bucket}. */
    CompletionStage<AsyncResultSet> deleteBucket(long tableId, int bucket) {
        return session.executeAsync(schema.deleteIndexBucket.bind(tableId, bucket));
    }

    /** Forgets which buckets the table has (after its entries), and what this server remembers of it. */
    void forget(long tableId) {
        session.execute(schema.deleteBuckets.bind(tableId));
        indexed.forgetTable(tableId);
        namedBuckets.removeIf(b -> b.tableId() == tableId);
    }

    /** Walks the buckets of a hash range in order, reading ahead (see the class comment). */
    private final class Listing implements Iterator<Entry> {
        private final long tableId;
        private final long from;
        private final Long end;
        private final byte[] after;
        private final ConsistencyLevel level;
        private final int firstBucket;
        /** The buckets after the first that hold entries, once {@link #named} answered. */
        private final CompletableFuture<AsyncResultSet> named;
        private Iterator<Row> laterBuckets;
        private final Deque<CompletableFuture<AsyncResultSet>> ahead = new ArrayDeque<>();
        private int window = 1;
        private AsyncResultSet page;
        private Iterator<Row> rows = Collections.emptyIterator();
        private int fetchesInBucket;
        private Entry next;
        private boolean done;

        Listing(long tableId, long from, Long end, byte[] after, ConsistencyLevel level) {
            this.tableId = tableId;
            this.from = from;
            this.end = end;
            this.after = after;
            this.level = level;
            this.firstBucket = bucketOf(from);
            int lastBucket = end == null ? BUCKETS - 1 : bucketOf(end - 1);
            // The first bucket is read at once, named or not: the usual Scan page ends in it.
            ahead.add(listing(firstBucket));
            named = firstBucket == lastBucket ? null : session.executeAsync(schema.bucketsBetween
                    .bind(tableId, firstBucket + 1, lastBucket).setPageSize(BUCKETS).setConsistencyLevel(level))
                    .toCompletableFuture();
        }

        @Override
        public boolean hasNext() {
            if (next == null && !done) next = advance();
            return next != null;
        }

        @Override
        public Entry next() {
            if (!hasNext()) throw new NoSuchElementException();
            Entry entry = next;
            next = null;
            return entry;
        }

        private Entry advance() {
            while (true) {
                if (rows.hasNext()) {
                    Row row = rows.next();
                    long hash = ordered(row.getLong(0));
                    // The bucket of the first entry after a key is read without an upper bound.
                    if (end != null && Long.compareUnsigned(hash, end) >= 0) {
                        done = true;
                        return null;
                    }
                    return new Entry(hash, bytes(row.getByteBuffer(1)), row.getLong(2));
                }
                if (page != null && page.hasMorePages()) {
                    page = page.fetchNextPage().toCompletableFuture().join();
                    rows = page.currentPage().iterator();
                    fetchesInBucket++;
                    continue;
                }
                if (page != null) window = fetchesInBucket == 1 ? Math.min(window + 1, MAX_BUCKETS_AHEAD) : 1;
                readAhead(true);
                CompletableFuture<AsyncResultSet> bucket = ahead.poll();
                if (bucket == null) {
                    done = true;
                    return null;
                }
                page = bucket.join();
                rows = page.currentPage().iterator();
                fetchesInBucket = 1;
                readAhead(false);
            }
        }

        /** Asks for buckets up to the window, waiting for the names of the buckets only if {@code needed}. */
        private void readAhead(boolean needed) {
            if (named == null || (laterBuckets == null && !needed && !named.isDone())) return;
            if (laterBuckets == null) laterBuckets = named.join().currentPage().iterator();
            while (ahead.size() < window && laterBuckets.hasNext()) ahead.add(listing(laterBuckets.next().getInt(0)));
        }

        private CompletableFuture<AsyncResultSet> listing(int bucket) {
            return session.executeAsync(query(bucket).setPageSize(FETCH_SIZE).setConsistencyLevel(level)).toCompletableFuture();
        }

        private BoundStatement query(int bucket) {
            boolean first = bucket == firstBucket;
            if (first && after != null) {
                return schema.indexEntriesAfter.bind(tableId, bucket, ordered(from), after.length, head(after));
            }
            long lower = first ? from : firstHashOf(bucket);
            long upper = end != null && bucket == bucketOf(end - 1) ? end - 1 : lastHashOf(bucket);
            return schema.indexEntriesBetween.bind(tableId, bucket, ordered(lower), ordered(upper));
        }
    }
}

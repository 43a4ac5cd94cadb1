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
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /** One listed partition: its hash (unsigned) and key. */
    record Entry(long hash, byte[] partitionKey) {}

    private final CqlSession session;
    private final CassandraSchema schema;
    private final IndexedPartitions indexed = new IndexedPartitions();

    ScanIndex(CqlSession session, CassandraSchema schema) {
        this.session = session;
        this.schema = schema;
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

    /** Lists the partition in the index, unless this server knows it already does. */
    CompletionStage<?> add(long tableId, long hash, byte[] partitionKey) {
        if (indexed.contains(tableId, partitionKey)) return CompletableFuture.completedFuture(null);
        return session.executeAsync(entry(tableId, hash, partitionKey.length, head(partitionKey), buf(partitionKey)))
                .thenRun(() -> indexed.add(tableId, partitionKey));
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

    /** Forgets what this server remembers of a dropped table's entries. */
    void forget(long tableId) {
        indexed.forgetTable(tableId);
    }

    /** Walks the buckets of a hash range in order, reading ahead (see the class comment). */
    private final class Listing implements Iterator<Entry> {
        private final long tableId;
        private final long from;
        private final Long end;
        private final byte[] after;
        private final ConsistencyLevel level;
        private final int lastBucket;
        private final Deque<CompletableFuture<AsyncResultSet>> ahead = new ArrayDeque<>();
        private int nextBucket;
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
            this.nextBucket = bucketOf(from);
            this.lastBucket = end == null ? BUCKETS - 1 : bucketOf(end - 1);
            readAhead();
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
                    return new Entry(hash, bytes(row.getByteBuffer(1)));
                }
                if (page != null && page.hasMorePages()) {
                    page = page.fetchNextPage().toCompletableFuture().join();
                    rows = page.currentPage().iterator();
                    fetchesInBucket++;
                    continue;
                }
                if (page != null) window = fetchesInBucket == 1 ? Math.min(window + 1, MAX_BUCKETS_AHEAD) : 1;
                readAhead();
                CompletableFuture<AsyncResultSet> bucket = ahead.poll();
                if (bucket == null) {
                    done = true;
                    return null;
                }
                page = bucket.join();
                rows = page.currentPage().iterator();
                fetchesInBucket = 1;
                readAhead();
            }
        }

        private void readAhead() {
            while (ahead.size() < window && nextBucket <= lastBucket) {
                ahead.add(session.executeAsync(query(nextBucket++).setPageSize(FETCH_SIZE).setConsistencyLevel(level))
                        .toCompletableFuture());
            }
        }

        private BoundStatement query(int bucket) {
            boolean first = bucket == bucketOf(from);
            if (first && after != null) {
                return schema.indexEntriesAfter.bind(tableId, bucket, ordered(from), after.length, head(after));
            }
            long lower = first ? from : firstHashOf(bucket);
            long upper = end != null && bucket == bucketOf(end - 1) ? end - 1 : lastHashOf(bucket);
            return schema.indexEntriesBetween.bind(tableId, bucket, ordered(lower), ordered(upper));
        }
    }
}

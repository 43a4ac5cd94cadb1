package dev.flywheel.storage.cassandra;

import static dev.flywheel.storage.cassandra.Blobs.buf;
import static dev.flywheel.storage.cassandra.Blobs.ordered;

import com.datastax.oss.driver.api.core.CqlSession;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletionStage;
import java.util.logging.Logger;

/**
 * Moves a keyspace whose scan index is still one Cassandra partition per table ({@code partitions},
 * written before the index was bucketed) onto the bucketed {@link ScanIndex}, once, when a server opens
 * it: every old entry is copied into {@code scan_index} (its bucket named in {@code scan_buckets}), then a setting of the keyspace records that it
 * uses the bucketed index, and later opens only read that setting. A keyspace created since has no old
 * entries: its migration is one empty read.
 *
 * <p>Copying is idempotent (an entry is rewritten with the same columns), so a migration interrupted by a
 * crash simply runs again at the next open, and servers opening the keyspace together may all copy. The
 * old table is left as it is, never read again.
 *
 * <p>Every server of a keyspace must run this version before any serves again: an entry that a server
 * of the old version writes into the old index after the copy would never be copied, and its partition
 * would be missing from Scan.
 */
final class ScanIndexMigration {
    private static final Logger LOG = Logger.getLogger(ScanIndexMigration.class.getName());
    /** The setting (in {@code meta}, bucket 1) that says which scan index the keyspace uses. */
    static final String SETTING = "scan_index";
    static final String BUCKETED = "bucketed, " + ScanIndex.BUCKET_BITS + " bits";
    private static final int COPIES_IN_FLIGHT = 64;
    private static final long LOG_EVERY = 100_000;

    private ScanIndexMigration() {}

    /** Whether the keyspace uses the bucketed index already. */
    static boolean done(CqlSession session, CassandraSchema schema) {
        return session.execute(schema.getSetting.bind(SETTING)).one() != null;
    }

    /**
     * Copies the old index into the bucketed one unless the keyspace uses it already.
     *
     * @return how many entries were copied
     */
    static long run(CqlSession session, CassandraSchema schema, ScanIndex index) {
        if (done(session, schema)) return 0;
        long started = System.nanoTime();
        long copied = 0;
        Deque<CompletionStage<?>> inFlight = new ArrayDeque<>();
        for (var old : session.execute(schema.legacyIndexEntries.bind().setPageSize(1000))) {
            if (copied == 0) LOG.info("keyspace " + schema.keyspace() + ": copying the scan index into its bucketed form (once)");
            long tableId = old.getLong("table_id"), hash = ordered(old.getLong("hash"));
            inFlight.add(index.nameBucket(tableId, ScanIndex.bucketOf(hash)));
            inFlight.add(session.executeAsync(index.entry(tableId, hash, old.getInt("pk_len"), old.getByteBuffer("pk_head"),
                    old.getByteBuffer("pk"))));
            while (inFlight.size() >= COPIES_IN_FLIGHT) inFlight.poll().toCompletableFuture().join();
            if (++copied % LOG_EVERY == 0) {
                LOG.info("keyspace " + schema.keyspace() + ": " + copied + " scan index entries copied so far");
            }
        }
        while (!inFlight.isEmpty()) inFlight.poll().toCompletableFuture().join();
        session.execute(schema.putSetting.bind(SETTING, buf(BUCKETED.getBytes(StandardCharsets.UTF_8))));
        if (copied > 0) {
            LOG.info("keyspace " + schema.keyspace() + ": scan index copied, " + copied + " entries in "
                    + (System.nanoTime() - started) / 1_000_000 + " ms");
        }
        return copied;
    }
}

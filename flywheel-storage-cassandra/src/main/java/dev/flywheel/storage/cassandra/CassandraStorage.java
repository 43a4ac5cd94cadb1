package dev.flywheel.storage.cassandra;

import static dev.flywheel.storage.cassandra.Blobs.buf;
import static dev.flywheel.storage.cassandra.Blobs.bytes;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import dev.flywheel.storage.WriteOutcome;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The storage SPI on Apache Cassandra. See {@link CassandraSchema} for the tables and why they are
 * shaped so. One {@link PartitionWrite} (item rows, companion rows, outbox rows) is one single-partition
 * batch, conditional when any row has a precondition: one lightweight transaction, never several. The
 * outbox is then moved into the sequenced logs by the {@link OutboxApplier}, by the writing server at
 * once, or by any server's sweep if the writer died first.
 *
 * <p>Consistency: QUORUM for strong reads and plain writes, SERIAL for the conditions of LWT batches, ONE
 * for the reads asked for {@link ReadConsistency#EVENTUAL} (DynamoDB's eventually consistent reads: one
 * replica's answer, which may miss a write its QUORUM did not include yet).
 *
 * <p>Writes without any precondition are plain batches; the engine writes items conditionally
 * (compare-and-set), so only global index entries are written so. Plain writes take the coordinator's
 * clock (server-side timestamps), as Paxos ballots do, so a row written both ways is ordered by one kind
 * of clock; across nodes, by their clocks as kept in sync (NTP), as in any Cassandra deployment.
 */
public final class CassandraStorage implements Storage {
    private static final Logger LOG = Logger.getLogger(CassandraStorage.class.getName());
    /** Partitions a Scan reads ahead of the one it is adding to its page. */
    private static final int SCAN_READ_AHEAD = 8;
    /** Rows fetched per round trip when a read has no small row limit. */
    private static final int FETCH_SIZE = 200;
    /** Index entries {@link #stats} reads before it extrapolates from the part of the hash space they cover. */
    static final int STATS_SAMPLE_PARTITIONS = 1000;
    /** A write pending for longer than this is presumed abandoned by its server and swept. */
    static final Duration ABANDONED_AFTER = Duration.ofSeconds(30);

    private final CqlSession session;
    private final boolean ownsSession;
    private final CassandraSchema schema;
    private final OutboxApplier outbox;
    private final ScanIndex index;
    private final ScheduledExecutorService sweeper;
    private volatile boolean closed;
    /** Scan index entries being pruned at most at once (see {@link #pruneIfEmpty}). */
    private final java.util.concurrent.Semaphore pruning = new java.util.concurrent.Semaphore(16);
    /** Tests only: simulates a server that dies between its batch and its drain. */
    volatile boolean drainAfterWrite = true;

    CassandraStorage(CqlSession session, boolean ownsSession, CassandraSchema schema, Duration sweepEvery) {
        this(session, ownsSession, schema, sweepEvery, new ScanIndex(session, schema));
    }

    /** With a scan index of other durations (tests). */
    CassandraStorage(CqlSession session, boolean ownsSession, CassandraSchema schema, Duration sweepEvery, ScanIndex index) {
        this.session = session;
        this.ownsSession = ownsSession;
        this.schema = schema;
        this.outbox = new OutboxApplier(session, schema);
        this.index = index;
        ScanIndexMigration.run(session, schema, index);
        if (sweepEvery == null) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "cassandra-outbox-sweeper");
                t.setDaemon(true);
                return t;
            });
            long period = sweepEvery.toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, period, period, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Connects, creates the keyspace and tables if missing, prepares the statements, moves a keyspace
     * created before the scan index was bucketed onto it ({@link ScanIndexMigration}), and starts the
     * background sweep of abandoned outboxes.
     */
    public static CassandraStorage open(List<InetSocketAddress> contactPoints, String localDatacenter,
                                        String keyspace, int replicationFactor) {
        CqlSession session = connect(contactPoints, localDatacenter);
        try {
            return new CassandraStorage(session, true, CassandraSchema.create(session, keyspace, replicationFactor),
                    Duration.ofSeconds(10));
        } catch (DriverException e) {
            session.close();
            throw new StorageException.Unavailable("cannot open Cassandra keyspace " + keyspace + ": " + e.getMessage(), e);
        }
    }

    static CqlSession connect(List<InetSocketAddress> contactPoints, String localDatacenter) {
        try {
            // QUORUM for reads and plain writes, SERIAL for conditions: what the class Javadoc promises.
            DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                    .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
                    .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "SERIAL")
                    .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(10))
                    .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                    // Plain writes take the coordinator's clock, like the Paxos ballots of conditional ones,
                    // so a row written both ways is not ordered by two different clocks.
                    .withString(DefaultDriverOption.TIMESTAMP_GENERATOR_CLASS, "ServerSideTimestampGenerator")
                    .build();
            return CqlSession.builder()
                    .withConfigLoader(config)
                    .addContactPoints(contactPoints)
                    .withLocalDatacenter(localDatacenter)
                    .build();
        } catch (DriverException e) {
            throw new StorageException.Unavailable("cannot connect to Cassandra at " + contactPoints + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        return get(tableId, partitionKey, sortKey, ReadConsistency.STRONG);
    }

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey, ReadConsistency consistency) {
        checkKey(partitionKey);
        return call("get", () -> {
            CqlPartition p = CqlPartition.of(partitionKey);
            var row = execute(schema.getRow.bind(p.key(), tableId, p.rowKind(), buf(sortKey))
                    .setConsistencyLevel(levelOf(consistency))).one();
            return row == null ? null : bytes(row.getByteBuffer(0));
        });
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        return read(tableId, partitionKey, range, forward, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits,
                     ReadConsistency consistency) {
        checkKey(partitionKey);
        return call("read", () -> {
            PageBuilder page = new PageBuilder(limits);
            readPartition(tableId, partitionKey, range, forward, limits.startAfter(), limits.maxRows(), levelOf(consistency),
                    page);
            return page.build();
        });
    }

    /** The level of a read: ONE for an eventual one; null (the session's QUORUM) for a strong one. */
    private static ConsistencyLevel levelOf(ReadConsistency consistency) {
        return consistency == ReadConsistency.EVENTUAL ? ConsistencyLevel.ONE : null;
    }

    /**
     * Adds the item rows of one partition in {@code range} (after {@code startAfter} in the direction of
     * the read, if set) to {@code page} until it is full; false once it is.
     */
    private boolean readPartition(long tableId, byte[] partitionKey, KeyRange range, boolean forward, byte[] startAfter,
                                  int maxRows, ConsistencyLevel level, PageBuilder page) {
        BoundStatement slice = slice(tableId, partitionKey, range, forward, startAfter, maxRows, level);
        if (slice == null) return true;
        for (var r : execute(slice)) {
            if (!page.add(new Row(partitionKey, bytes(r.getByteBuffer(0)), bytes(r.getByteBuffer(1))))) return false;
        }
        return true;
    }

    /** The CQL read of {@link #readPartition}, or null when the range is empty. */
    private BoundStatement slice(long tableId, byte[] partitionKey, KeyRange range, boolean forward, byte[] startAfter,
                                 int maxRows, ConsistencyLevel level) {
        byte[] lower = range.lower(), upper = range.upper();
        boolean lowerInclusive = range.lowerInclusive(), upperInclusive = range.upperInclusive();
        // A continuation narrows the range on the side the read comes from.
        if (startAfter != null && forward && (lower == null || Arrays.compareUnsigned(startAfter, lower) >= 0)) {
            lower = startAfter;
            lowerInclusive = false;
        } else if (startAfter != null && !forward && (upper == null || Arrays.compareUnsigned(startAfter, upper) <= 0)) {
            upper = startAfter;
            upperInclusive = false;
        }
        if (lower != null && upper != null) {
            int c = Arrays.compareUnsigned(lower, upper);
            if (c > 0 || (c == 0 && !(lowerInclusive && upperInclusive))) return null;
        }
        CqlPartition p = CqlPartition.of(partitionKey);
        List<Object> values = new ArrayList<>(List.of(p.key(), tableId, p.rowKind()));
        if (lower != null) values.add(buf(lower));
        if (upper != null) values.add(buf(upper));
        values.add(maxRows);
        return schema.slice(
                        lower == null ? "" : lowerInclusive ? ">=" : ">",
                        upper == null ? "" : upperInclusive ? "<=" : "<", forward)
                .bind(values.toArray()).setPageSize(Math.min(maxRows, FETCH_SIZE)).setConsistencyLevel(level);
    }

    /**
     * A Scan walks the scan index in hash order, over the buckets its segment overlaps ({@link ScanIndex}),
     * and reads each listed partition: those reads are issued up to {@link #SCAN_READ_AHEAD} ahead of the
     * one being consumed (one round trip per partition would otherwise make a page of small items cost a
     * thousand sequential round trips). At most that many reads are wasted when the page fills up.
     */
    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        return scan(tableId, segment, totalSegments, after, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits,
                     ReadConsistency consistency) {
        if (totalSegments < 1 || segment < 0 || segment >= totalSegments) {
            throw new IllegalArgumentException("bad segment " + segment + " of " + totalSegments);
        }
        if (limits.startAfter() != null) throw new IllegalArgumentException("scan continues from after, not startAfter");
        ConsistencyLevel level = levelOf(consistency);
        return call("scan", () -> {
            long start = PartitionHash.segmentStart(segment, totalSegments);
            Long end = PartitionHash.segmentStart(segment + 1, totalSegments);
            PageBuilder page = new PageBuilder(limits);
            Iterator<ScanIndex.Entry> listed;
            if (after == null || Long.compareUnsigned(PartitionHash.of(after.partitionKey()), start) < 0) {
                listed = index.entries(tableId, start, end, null, level);
            } else {
                long afterHash = PartitionHash.of(after.partitionKey());
                if (end != null && Long.compareUnsigned(afterHash, end) >= 0) return page.build();
                // First the rest of the partition the previous page stopped in, then the later ones.
                if (!readPartition(tableId, after.partitionKey(), KeyRange.ALL, true, after.sortKey(), page.rowsLeft(),
                        level, page)) {
                    return page.build();
                }
                listed = index.entries(tableId, afterHash, end, after.partitionKey(), level);
            }
            // Never more rows ahead than the page may still take.
            int readAhead = Math.max(1, Math.min(SCAN_READ_AHEAD, page.rowsLeft()));
            Deque<ListedRead> reads = new ArrayDeque<>();
            int[] added = new int[1];
            RowSink counted = row -> {
                added[0]++;
                return page.add(row);
            };
            while (true) {
                while (reads.size() < readAhead && listed.hasNext()) {
                    ScanIndex.Entry entry = listed.next();
                    byte[] pk = entry.partitionKey();
                    reads.add(new ListedRead(entry, new PartitionRead(pk, session.executeAsync(
                            slice(tableId, pk, KeyRange.ALL, true, null, page.rowsLeft(), level)).toCompletableFuture())));
                }
                ListedRead read = reads.poll();
                if (read == null) return page.build();
                added[0] = 0;
                if (!read.rows().addTo(counted)) return page.build();
                if (added[0] == 0 && index.prunable(read.entry())) pruneIfEmpty(tableId, read.entry());
            }
        });
    }

    private record ListedRead(ScanIndex.Entry entry, PartitionRead rows) {}

    /**
     * Removes the scan index entry of a partition a Scan found empty, if a read at QUORUM finds it
     * empty too (the Scan's own read may have been at ONE), in the background and a few at a time (a
     * Scan over many emptied partitions leaves the rest to the next one). Without it, a table whose
     * partitions come and go (transaction records, expiring items) would list every partition it ever
     * had, and each Scan would read them all.
     */
    private void pruneIfEmpty(long tableId, ScanIndex.Entry entry) {
        if (closed || !pruning.tryAcquire()) return;
        session.executeAsync(slice(tableId, entry.partitionKey(), KeyRange.ALL, true, null, 1, ConsistencyLevel.QUORUM))
                .thenCompose(rows -> rows.currentPage().iterator().hasNext()
                        ? CompletableFuture.completedFuture(null) : index.prune(tableId, entry))
                .whenComplete((done, failure) -> {
                    pruning.release();
                    if (failure != null) LOG.log(Level.FINE, "scan index entry not pruned; a later Scan will", failure);
                });
    }

    /** A partition's rows being read ahead by {@link #scan}. */
    private record PartitionRead(byte[] partitionKey, CompletableFuture<AsyncResultSet> rows) {
        /** Adds the rows to {@code page} (fetching further result pages if any); false once it is full. */
        boolean addTo(RowSink page) {
            AsyncResultSet result = rows.join();
            while (true) {
                for (var r : result.currentPage()) {
                    if (!page.add(new Row(partitionKey, bytes(r.getByteBuffer(0)), bytes(r.getByteBuffer(1))))) return false;
                }
                if (!result.hasMorePages()) return true;
                result = result.fetchNextPage().toCompletableFuture().join();
            }
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public WriteOutcome write(PartitionWrite write) {
        checkKey(write.partitionKey());
        return call("write", () -> {
            long tableId = write.tableId();
            byte[] partitionKey = write.partitionKey();
            long hash = PartitionHash.of(partitionKey);
            CqlPartition p = CqlPartition.of(partitionKey);
            UUID writeId = write.derived().isEmpty() ? null : Uuids.timeBased();

            // Outside the batch (other partitions), before it: the scan index entries of every table the
            // write puts a row in (they may outlive the rows; a scan skips empty partitions), and the
            // pending marker that lets a sweep finish the outbox if this server dies after the batch.
            List<CompletionStage<?>> before = new ArrayList<>();
            if (hasPut(write.rows())) before.add(index.add(tableId, hash, partitionKey));
            for (CompanionWrite companion : write.companions()) {
                if (hasPut(companion.rows())) before.add(index.add(companion.tableId(), hash, partitionKey));
            }
            if (writeId != null) before.add(session.executeAsync(outbox.pending(writeId, tableId, partitionKey)));
            for (CompletionStage<?> stage : before) stage.toCompletableFuture().join();

            BatchStatementBuilder batch = BatchStatement.builder(BatchType.LOGGED);
            for (RowWrite row : write.rows()) batch.addStatement(rowStatement(tableId, p, row));
            for (CompanionWrite companion : write.companions()) {
                for (RowWrite row : companion.rows()) batch.addStatement(rowStatement(companion.tableId(), p, row));
            }
            for (int i = 0; i < write.derived().size(); i++) {
                DerivedRecord record = write.derived().get(i);
                byte[] key = OutboxApplier.outboxKey(writeId, i, record.log());
                batch.addStatement(schema.putRow.bind(buf(record.payload()), p.key(), tableId, p.outboxKind(), buf(key)));
            }
            if (batch.getStatementsCount() == 0) return WriteOutcome.APPLIED;
            ResultSet result = execute(batch.build());
            if (!result.wasApplied()) {
                if (writeId != null) execute(outbox.done(writeId, tableId, partitionKey));
                return WriteOutcome.PRECONDITION_FAILED;
            }
            if (writeId != null && drainAfterWrite) drainAfterCommit(writeId, tableId, partitionKey);
            return WriteOutcome.APPLIED;
        });
    }

    /**
     * Moves the outbox of a partition just written. A failure here does not undo the write, which has
     * committed: it is logged, and the pending marker stays for a sweep to finish the move.
     */
    private void drainAfterCommit(UUID writeId, long tableId, byte[] partitionKey) {
        try {
            outbox.drain(tableId, partitionKey);
            execute(outbox.done(writeId, tableId, partitionKey));
        } catch (DriverException e) {
            LOG.log(Level.WARNING, "outbox of a committed write not yet applied; a sweep will: " + e.getMessage(), e);
        }
    }

    private static boolean hasPut(List<RowWrite> rows) {
        for (RowWrite row : rows) if (row.newValue() != null) return true;
        return false;
    }

    private BoundStatement rowStatement(long tableId, CqlPartition p, RowWrite row) {
        ByteBuffer pk = p.key();
        byte kind = p.rowKind();
        ByteBuffer sk = buf(row.sortKey());
        Expected expected = row.expected();
        if (row.newValue() == null) {
            return switch (expected) {
                case Expected.Any any -> schema.deleteRow.bind(pk, tableId, kind, sk);
                case Expected.Absent absent -> schema.deleteRowIfAbsent.bind(pk, tableId, kind, sk);
                case Expected.Value v -> schema.deleteRowIfValue.bind(pk, tableId, kind, sk, buf(v.bytes()));
            };
        }
        ByteBuffer value = buf(row.newValue());
        return switch (expected) {
            case Expected.Any any -> schema.putRow.bind(value, pk, tableId, kind, sk);
            case Expected.Absent absent -> schema.putRowIfAbsent.bind(value, pk, tableId, kind, sk);
            case Expected.Value v -> schema.putRowIfValue.bind(value, pk, tableId, kind, sk, buf(v.bytes()));
        };
    }

    /**
     * Finishes the outboxes of writes pending for longer than {@code olderThan}: those of servers that
     * died between their batch and their drain. Runs in the background every few seconds; safe to run
     * on any number of servers at once.
     *
     * @return how many pending writes it finished
     */
    public int sweepOutbox(Duration olderThan) {
        return call("sweepOutbox", () -> outbox.sweep(olderThan));
    }

    OutboxApplier outboxForTests() {
        return outbox;
    }

    ScanIndex scanIndexForTests() {
        return index;
    }

    private void sweepQuietly() {
        try {
            if (!closed) outbox.sweep(ABANDONED_AFTER);
        } catch (RuntimeException e) {
            if (!closed) LOG.log(Level.WARNING, "outbox sweep failed; the next one will retry: " + e.getMessage(), e);
        }
    }

    /**
     * Range-deletes the table's rows in every partition its scan index lists, a window of deletes in
     * flight at a time, then the index buckets that listed any (a tombstone in each of the 256 would cost
     * a small table's drop 256 writes for nothing).
     */
    @Override
    public void dropTable(long tableId) {
        call("dropTable", () -> {
            Deque<CompletionStage<AsyncResultSet>> inFlight = new ArrayDeque<>();
            Set<Integer> buckets = new HashSet<>();
            for (Iterator<ScanIndex.Entry> listed = index.entries(tableId, 0, null, null, null); listed.hasNext(); ) {
                ScanIndex.Entry entry = listed.next();
                buckets.add(ScanIndex.bucketOf(entry.hash()));
                CqlPartition partition = CqlPartition.of(entry.partitionKey());
                inFlight.add(session.executeAsync(schema.deleteTableInPartition.bind(partition.key(), tableId)));
                if (inFlight.size() >= 64) inFlight.poll().toCompletableFuture().join();
            }
            for (int bucket : buckets) {
                inFlight.add(index.deleteBucket(tableId, bucket));
                if (inFlight.size() >= 64) inFlight.poll().toCompletableFuture().join();
            }
            while (!inFlight.isEmpty()) inFlight.poll().toCompletableFuture().join();
            index.forget(tableId);
            return null;
        });
    }

    /**
     * Exact for a table of up to {@link #STATS_SAMPLE_PARTITIONS} partitions; beyond, the rows of the
     * first ones in hash order, scaled by the share of the hash space they cover (hashes are uniform),
     * so the cost does not grow with the table.
     */
    @Override
    public TableStats stats(long tableId) {
        return call("stats", () -> {
            long partitions = 0, lastHash = 0;
            long[] rowsAndBytes = new long[2];
            RowSink counted = row -> {
                rowsAndBytes[0]++;
                rowsAndBytes[1] += row.size();
                return true;
            };
            Deque<PartitionRead> reads = new ArrayDeque<>();
            Iterator<ScanIndex.Entry> listed = index.entries(tableId, 0, null, null, null);
            while (partitions < STATS_SAMPLE_PARTITIONS && listed.hasNext()) {
                ScanIndex.Entry entry = listed.next();
                lastHash = entry.hash();
                byte[] pk = entry.partitionKey();
                reads.add(new PartitionRead(pk, session.executeAsync(
                        slice(tableId, pk, KeyRange.ALL, true, null, Integer.MAX_VALUE, null)).toCompletableFuture()));
                if (reads.size() >= SCAN_READ_AHEAD) reads.poll().addTo(counted);
                partitions++;
            }
            while (!reads.isEmpty()) reads.poll().addTo(counted);
            long rows = rowsAndBytes[0], size = rowsAndBytes[1];
            if (partitions < STATS_SAMPLE_PARTITIONS) return new TableStats(rows, size);
            // The sample covers hashes [0, lastHash]: scale by 2^64 / (lastHash + 1).
            double covered = new BigInteger(Long.toUnsignedString(lastHash)).add(BigInteger.ONE).doubleValue() / 0x1p64;
            return new TableStats(Math.round(rows / covered), Math.round(size / covered));
        });
    }

    // ---------------------------------------------------------------- logs

    @Override
    public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        return call("readLog", () -> {
            // Sequence 0 holds the applied-outbox markers, never entries.
            long after = Math.max(0, afterSequence);
            while (true) {
                List<LogEntry> entries = new ArrayList<>();
                long trimmedThrough = 0;
                for (var r : execute(schema.readLog.bind(log, after, maxEntries))) {
                    if (r.isNull(0)) continue; // the partition holds only its static trim marker
                    long seq = r.getLong(0);
                    // The trim marker rules, even where a trim's deletes are not (yet) visible.
                    if (!r.isNull(2) && seq <= r.getLong(2)) {
                        trimmedThrough = r.getLong(2);
                        continue;
                    }
                    entries.add(new LogEntry(seq, bytes(r.getByteBuffer(1))));
                }
                // A page of nothing but trimmed entries must not read as the end of the log.
                if (!entries.isEmpty() || trimmedThrough <= after) return entries;
                after = trimmedThrough;
            }
        });
    }

    @Override
    public void trimLog(String log, long throughSequence) {
        call("trimLog", () -> {
            while (true) {
                var last = execute(schema.lastLogEntry.bind(log).setConsistencyLevel(ConsistencyLevel.SERIAL)).one();
                if (last == null || last.isNull(0) || last.getLong(0) == 0) return null;
                Long trimmed = last.isNull(1) ? null : last.getLong(1);
                long through = Math.min(throughSequence, last.getLong(0));
                if (trimmed != null && through <= trimmed) return null;
                // The marker first, by Paxos like every append that checks it, so that an append never
                // takes a trimmed sequence; then the entries.
                if (execute(schema.trimMarker.bind(through, log, trimmed)).wasApplied()) {
                    execute(schema.trimLog.bind(log, through));
                    return null;
                }
            }
        });
    }

    // ---------------------------------------------------------------- meta

    @Override
    public byte[] getMeta(String key) {
        return call("getMeta", () -> {
            var row = execute(schema.getMeta.bind(key)).one();
            return row == null ? null : bytes(row.getByteBuffer(0));
        });
    }

    @Override
    public void putMeta(String key, byte[] value) {
        call("putMeta", () -> execute(value == null ? schema.deleteMeta.bind(key) : schema.putMeta.bind(key, buf(value))));
    }

    /** Any number of Flywheel servers may front one keyspace. */
    @Override
    public boolean isShared() {
        return true;
    }

    /** A lightweight transaction: the first writer on any server wins. */
    @Override
    public byte[] putMetaIfAbsent(String key, byte[] value) {
        return call("putMetaIfAbsent", () -> {
            var result = execute(schema.putMetaIfAbsent.bind(key, buf(value)));
            return result.wasApplied() ? value : bytes(result.one().getByteBuffer("value"));
        });
    }

    @Override
    public Map<String, byte[]> listMeta(String prefix) {
        return call("listMeta", () -> {
            Map<String, byte[]> entries = new LinkedHashMap<>();
            for (var r : execute(schema.listMeta.bind(prefix))) {
                String key = r.getString(0);
                if (!key.startsWith(prefix)) break;
                entries.put(key, bytes(r.getByteBuffer(1)));
            }
            return entries;
        });
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (sweeper != null) sweeper.shutdownNow();
        if (ownsSession) session.close();
    }

    // ---------------------------------------------------------------- helpers

    private ResultSet execute(Statement<?> statement) {
        return session.execute(statement);
    }

    /** Runs a Cassandra call, turning driver failures into the SPI's exceptions. */
    private <T> T call(String what, Supplier<T> body) {
        if (closed) throw new StorageException.Unavailable("storage is closed", null);
        try {
            return body.get();
        } catch (DriverException e) {
            throw new StorageException.Unavailable(what + " failed on Cassandra: " + e.getMessage(), e);
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof DriverException d) {
                throw new StorageException.Unavailable(what + " failed on Cassandra: " + d.getMessage(), d);
            }
            throw e;
        }
    }

    private static void checkKey(byte[] partitionKey) {
        if (partitionKey.length > MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException("partition key longer than " + MAX_PARTITION_KEY_BYTES + " bytes");
        }
    }

    /** Where read rows go; {@link #add} is false once it takes no more. */
    private interface RowSink {
        boolean add(Row row);
    }

    /** Collects rows until a limit of {@link ReadLimits} is reached, as every backend's page does. */
    private static final class PageBuilder implements RowSink {
        private final ReadLimits limits;
        private final List<Row> rows = new ArrayList<>();
        private long bytes;
        private Page.StopReason stop = Page.StopReason.EXHAUSTED;

        PageBuilder(ReadLimits limits) { this.limits = limits; }

        /** Adds the row; false once a limit is reached (the caller stops reading). */
        @Override
        public boolean add(Row row) {
            rows.add(row);
            bytes += row.size();
            if (rows.size() >= limits.maxRows()) stop = Page.StopReason.ROW_LIMIT;
            else if (bytes >= limits.maxBytes()) stop = Page.StopReason.BYTE_LIMIT;
            return stop == Page.StopReason.EXHAUSTED;
        }

        int rowsLeft() { return limits.maxRows() - rows.size(); }

        Page build() { return new Page(rows, stop); }
    }
}

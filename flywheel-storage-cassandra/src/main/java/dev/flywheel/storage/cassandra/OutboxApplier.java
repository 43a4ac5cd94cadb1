package dev.flywheel.storage.cassandra;

import static dev.flywheel.storage.cassandra.Blobs.buf;
import static dev.flywheel.storage.cassandra.Blobs.bytes;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.flywheel.storage.PartitionHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Moves derived records from the outbox of an item's partition to the end of their sequenced logs,
 * exactly once and in commit order per item, whichever server does it and however many do it at once.
 *
 * <h2>Why it is exactly once</h2>
 * A write puts its derived records as outbox rows (kind 1, see {@link CqlPartition}) in the item's partition, in the
 * same conditional batch as the item, so they exist if and only if the write happened. Moving one
 * appends it to its log with one conditional batch on the log's partition that does two things or
 * nothing: it takes the next free sequence ({@code IF payload = null} at that sequence, and the trim
 * marker unchanged, so a trimmed sequence is never reused) and records the outbox row's id as applied
 * ({@code IF payload = null} at {@code (0, id)}). A second mover of the same outbox row (a concurrent
 * server, or one repeating the work of a server that crashed after appending and before deleting the
 * outbox row) finds the id recorded and only deletes the outbox row. The records of applied ids expire
 * after a day ({@link CassandraSchema#APPLIED_MARKER_TTL_SECONDS}), far longer than a move takes.
 * Several rows of a partition bound for one log move in one such batch (consecutive sequences and
 * their markers, all or nothing), which is the same as moving them one after the other.
 *
 * <h2>Why nothing is skipped or reordered</h2>
 * An entry takes sequence {@code n} only after {@code n - 1} was seen taken (or trimmed), so the taken
 * sequences of a log are contiguous and a reader continuing after the last sequence it read never skips
 * one. A partition's outbox rows are moved oldest first: ordered by their write time, which for a
 * conditional batch is its Paxos ballot (increasing per partition, so it is the order writes to one
 * item committed), then by key (a write's records in the order given). A write that is never drained
 * by its server (it crashed) is listed in {@code pending}; {@link #sweep} drains those.
 *
 * <p>Thread-safe.
 */
final class OutboxApplier {
    private final CqlSession session;
    private final CassandraSchema schema;
    /** Records appended with one conditional batch at most, and their payloads' bytes (below batch limits). */
    static final int APPEND_ROWS = 64;
    static final int APPEND_BYTES = 256 * 1024;
    /** The last state of each log this server saw (last sequence, trim marker): a guess, checked by Paxos. */
    private final ConcurrentMap<String, LogTail> tails = new ConcurrentHashMap<>();

    OutboxApplier(CqlSession session, CassandraSchema schema) {
        this.session = session;
        this.schema = schema;
    }

    /** Where a log ends: its last sequence taken and its trim marker (null if never trimmed). */
    private record LogTail(long last, Long trimmedThrough) {
        long next() { return Math.max(last, trimmedThrough == null ? 0 : trimmedThrough) + 1; }
    }

    /** An outbox row key: the write's time-based id, the record's index in the write, its log's name. */
    static byte[] outboxKey(UUID writeId, int index, String log) {
        byte[] name = log.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(18 + name.length)
                .putLong(writeId.getMostSignificantBits()).putLong(writeId.getLeastSignificantBits())
                .putShort((short) index).put(name).array();
    }

    private static String logOf(byte[] outboxKey) {
        return new String(outboxKey, 18, outboxKey.length - 18, StandardCharsets.UTF_8);
    }

    static int pendingShard(byte[] partitionKey) {
        return (int) Long.remainderUnsigned(PartitionHash.of(partitionKey), CassandraSchema.PENDING_SHARDS);
    }

    /** Moves every outbox row of the partition written by table {@code tableId}, oldest first. */
    void drain(long tableId, byte[] partitionKey) {
        CqlPartition p = CqlPartition.of(partitionKey);
        List<OutboxRow> rows = new ArrayList<>();
        for (Row r : session.execute(schema.outboxRows.bind(p.key(), tableId, p.outboxKind()))) {
            rows.add(new OutboxRow(bytes(r.getByteBuffer(0)), bytes(r.getByteBuffer(1)), r.getLong(2)));
        }
        rows.sort(Comparator.comparingLong(OutboxRow::writeTime).thenComparing(OutboxRow::key, Arrays::compareUnsigned));
        // Order matters within each log only: each log's rows, in order, a run of them per append.
        Map<String, List<OutboxRow>> byLog = new LinkedHashMap<>();
        for (OutboxRow row : rows) byLog.computeIfAbsent(logOf(row.key()), k -> new ArrayList<>()).add(row);
        List<CompletableFuture<?>> deletes = new ArrayList<>();
        for (Map.Entry<String, List<OutboxRow>> log : byLog.entrySet()) {
            List<OutboxRow> run = new ArrayList<>();
            long bytes = 0;
            for (OutboxRow row : log.getValue()) {
                if (!run.isEmpty() && (run.size() == APPEND_ROWS || bytes + row.payload().length > APPEND_BYTES)) {
                    appendOnce(log.getKey(), run);
                    deleteAsync(p, tableId, run, deletes);
                    run = new ArrayList<>();
                    bytes = 0;
                }
                run.add(row);
                bytes += row.payload().length;
            }
            appendOnce(log.getKey(), run);
            deleteAsync(p, tableId, run, deletes);
        }
        for (CompletableFuture<?> delete : deletes) delete.join();
    }

    /**
     * Deletes moved outbox rows, at a timestamp just after each row's own (a Paxos ballot's, which the
     * client clock may lag), so the delete is never shadowed by the write it undoes. Not awaited one by
     * one: a row appended but not yet deleted is harmless (its applied marker refuses a second append).
     */
    private void deleteAsync(CqlPartition p, long tableId, List<OutboxRow> moved, List<CompletableFuture<?>> deletes) {
        for (OutboxRow row : moved) {
            deletes.add(session.executeAsync(schema.deleteRow.bind(p.key(), tableId, p.outboxKind(), buf(row.key()))
                    .setQueryTimestamp(row.writeTime() + 1)).toCompletableFuture());
        }
    }

    /**
     * Appends a run of one log's outbox rows, in order, with one conditional batch: sequences
     * {@code next .. next + n - 1} and the n applied markers, all or nothing. One lightweight
     * transaction per record made a write of many records to one log (a backfill's, restating the items
     * of a partition) as slow as that many writes. A refused batch means someone took a sequence,
     * trimmed the log, or appended rows of this run: Paxos says which. Where some row was appended by
     * another mover, the others go one by one (a run of one whose row was appended is done).
     */
    private void appendOnce(String log, List<OutboxRow> run) {
        LogTail tail = tails.get(log);
        if (tail == null) tail = readTail(log, ConsistencyLevel.QUORUM);
        while (true) {
            long next = tail.next();
            BatchStatementBuilder batch = BatchStatement.builder(BatchType.LOGGED);
            for (int i = 0; i < run.size(); i++) {
                OutboxRow row = run.get(i);
                batch.addStatement(schema.appendLogEntry.bind(buf(row.payload()), log, next + i, tail.trimmedThrough()));
                batch.addStatement(schema.markApplied.bind(log, buf(row.key())));
            }
            if (session.execute(batch.build()).wasApplied()) {
                tails.put(log, new LogTail(next + run.size() - 1, tail.trimmedThrough()));
                return;
            }
            if (anyApplied(log, run)) {
                if (run.size() > 1) for (OutboxRow row : run) appendOnce(log, List.of(row));
                return;
            }
            tail = readTail(log, ConsistencyLevel.SERIAL);
        }
    }

    /** Whether Paxos has any row of {@code run} recorded as appended to {@code log}. */
    private boolean anyApplied(String log, List<OutboxRow> run) {
        List<CompletableFuture<AsyncResultSet>> checks = new ArrayList<>();
        for (OutboxRow row : run) {
            checks.add(session.executeAsync(serial(schema.isApplied.bind(log, buf(row.key())))).toCompletableFuture());
        }
        boolean any = false;
        for (CompletableFuture<AsyncResultSet> check : checks) any |= check.join().one() != null;
        return any;
    }

    private record OutboxRow(byte[] key, byte[] payload, long writeTime) {}

    private LogTail readTail(String log, ConsistencyLevel consistency) {
        Row r = session.execute(schema.lastLogEntry.bind(log).setConsistencyLevel(consistency)).one();
        LogTail tail = r == null ? new LogTail(0, null)
                : new LogTail(r.isNull(0) ? 0 : r.getLong(0), r.isNull(1) ? null : r.getLong(1));
        tails.put(log, tail);
        return tail;
    }

    /** Records that a write with derived records is about to commit, so a sweep can finish it. */
    Statement<?> pending(UUID writeId, long tableId, byte[] partitionKey) {
        return schema.addPending.bind(pendingShard(partitionKey), writeId, tableId, buf(partitionKey));
    }

    /** Once the write's records are moved (or the write failed), its pending row goes. */
    Statement<?> done(UUID writeId, long tableId, byte[] partitionKey) {
        return schema.deletePending.bind(pendingShard(partitionKey), writeId, tableId, buf(partitionKey));
    }

    /**
     * Drains the partitions of writes pending for longer than {@code olderThan} (their server has most
     * likely died between its batch and its drain; if it has not, the drains meet harmlessly).
     *
     * @return how many pending writes it finished
     */
    int sweep(Duration olderThan) {
        UUID before = Uuids.endOf(System.currentTimeMillis() - olderThan.toMillis());
        int finished = 0;
        for (int shard = 0; shard < CassandraSchema.PENDING_SHARDS; shard++) {
            for (Row r : session.execute(schema.pendingBefore.bind(shard, before))) {
                UUID writeId = r.getUuid(0);
                long tableId = r.getLong(1);
                byte[] pk = bytes(r.getByteBuffer(2));
                drain(tableId, pk);
                session.execute(done(writeId, tableId, pk));
                finished++;
            }
        }
        return finished;
    }

    private static Statement<?> serial(Statement<?> statement) {
        return statement.setConsistencyLevel(ConsistencyLevel.SERIAL);
    }
}

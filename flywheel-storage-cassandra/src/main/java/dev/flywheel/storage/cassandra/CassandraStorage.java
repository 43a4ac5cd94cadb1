package dev.flywheel.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchStatementBuilder;
import com.datastax.oss.driver.api.core.cql.BatchType;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.uuid.Uuids;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import dev.flywheel.storage.WriteOutcome;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The storage SPI on Apache Cassandra. See {@link CassandraSchema} for the tables and why they are
 * shaped so. One {@link PartitionWrite} is one conditional single-partition batch (item rows plus
 * outbox rows), never several lightweight transactions; the outbox is then moved into the sequenced
 * logs by {@link #drainOutbox}.
 *
 * <p>Consistency: QUORUM for reads and plain writes, SERIAL for the conditions of LWT batches.
 * The SPI has no consistency hint yet, so eventually consistent reads (ONE) are not used.
 */
public final class CassandraStorage implements Storage {
    /** Clustering kind of an item row; outbox rows of the same partition use {@link #KIND_OUTBOX}. */
    private static final byte KIND_ROW = 0;
    private static final byte KIND_OUTBOX = 1;

    private final CqlSession session;
    private final CassandraSchema schema;
    private volatile boolean closed;

    private CassandraStorage(CqlSession session, CassandraSchema schema) {
        this.session = session;
        this.schema = schema;
    }

    /** Connects, creates the keyspace and tables if missing, and prepares the statements. */
    public static CassandraStorage open(List<InetSocketAddress> contactPoints, String localDatacenter,
                                        String keyspace, int replicationFactor) {
        try {
            // QUORUM for reads and plain writes, SERIAL for conditions: what the class Javadoc promises.
            DriverConfigLoader consistency = DriverConfigLoader.programmaticBuilder()
                    .withString(DefaultDriverOption.REQUEST_CONSISTENCY, "QUORUM")
                    .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, "SERIAL")
                    .build();
            CqlSession session = CqlSession.builder()
                    .withConfigLoader(consistency)
                    .addContactPoints(contactPoints)
                    .withLocalDatacenter(localDatacenter)
                    .build();
            return new CassandraStorage(session, CassandraSchema.create(session, keyspace, replicationFactor));
        } catch (DriverException e) {
            throw new StorageException.Unavailable("cannot open Cassandra keyspace " + keyspace + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        checkKey(partitionKey);
        return call("get", () -> {
            var row = execute(schema.getRow.bind(tableId, buf(partitionKey), KIND_ROW, buf(sortKey))).one();
            return row == null ? null : bytes(row.getByteBuffer(0));
        });
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        checkKey(partitionKey);
        return call("read", () -> {
            PageBuilder page = new PageBuilder(limits);
            byte[] startAfter = limits.startAfter();
            for (var r : execute(partitionRows(tableId, partitionKey, range, forward))) {
                byte[] sk = bytes(r.getByteBuffer(0));
                if (startAfter != null && (forward ? compare(sk, startAfter) <= 0 : compare(sk, startAfter) >= 0)) continue;
                if (!page.add(new Row(partitionKey, sk, bytes(r.getByteBuffer(1))))) break;
            }
            return page.build();
        });
    }

    /** The item rows of one partition inside {@code range}; bounds are CQL slices on the sort key. */
    private Statement<?> partitionRows(long tableId, byte[] partitionKey, KeyRange range, boolean forward) {
        StringBuilder cql = new StringBuilder("SELECT sk, value FROM " + schema.rowsTable()
                + " WHERE table_id = ? AND pk = ? AND kind = ?");
        List<Object> values = new ArrayList<>(List.of(tableId, buf(partitionKey), KIND_ROW));
        if (range.lower() != null) {
            cql.append(range.lowerInclusive() ? " AND sk >= ?" : " AND sk > ?");
            values.add(buf(range.lower()));
        }
        if (range.upper() != null) {
            cql.append(range.upperInclusive() ? " AND sk <= ?" : " AND sk < ?");
            values.add(buf(range.upper()));
        }
        cql.append(forward ? " ORDER BY kind ASC, sk ASC" : " ORDER BY kind DESC, sk DESC");
        return SimpleStatement.newInstance(cql.toString(), values.toArray());
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        if (totalSegments < 1 || segment < 0 || segment >= totalSegments) {
            throw new IllegalArgumentException("bad segment " + segment + " of " + totalSegments);
        }
        if (limits.startAfter() != null) throw new IllegalArgumentException("scan continues from after, not startAfter");
        return call("scan", () -> {
            Long start = PartitionHash.segmentStart(segment, totalSegments);
            Long end = PartitionHash.segmentStart(segment + 1, totalSegments);
            PageBuilder page = new PageBuilder(limits);
            Statement<?> partitions;
            if (after == null || Long.compareUnsigned(PartitionHash.of(after.partitionKey()), start) < 0) {
                partitions = schema.partitionsFrom.bind(tableId, ordered(start));
            } else {
                long afterHash = PartitionHash.of(after.partitionKey());
                if (end != null && Long.compareUnsigned(afterHash, end) >= 0) return page.build();
                // First the rest of the partition the previous page stopped in, then the later ones.
                for (var r : execute(partitionRows(tableId, after.partitionKey(), KeyRange.ALL, true))) {
                    byte[] sk = bytes(r.getByteBuffer(0));
                    if (compare(sk, after.sortKey()) <= 0) continue;
                    if (!page.add(new Row(after.partitionKey(), sk, bytes(r.getByteBuffer(1))))) return page.build();
                }
                partitions = schema.partitionsAfter.bind(tableId, ordered(afterHash),
                        after.partitionKey().length, buf(after.partitionKey()));
            }
            for (var p : execute(partitions)) {
                if (end != null && p.getLong(0) >= ordered(end)) break;
                byte[] pk = bytes(p.getByteBuffer(1));
                for (var r : execute(partitionRows(tableId, pk, KeyRange.ALL, true))) {
                    if (!page.add(new Row(pk, bytes(r.getByteBuffer(0)), bytes(r.getByteBuffer(1))))) return page.build();
                }
            }
            return page.build();
        });
    }

    // ---------------------------------------------------------------- writes

    @Override
    public WriteOutcome write(PartitionWrite write) {
        checkKey(write.partitionKey());
        if (!write.companions().isEmpty()) {
            // Refused rather than dropped: local index rows must join the item's conditional batch (issue 6, 8).
            throw new UnsupportedOperationException("companion rows (local secondary indexes) are not stored on Cassandra yet");
        }
        return call("write", () -> {
            ByteBuffer pk = buf(write.partitionKey());
            long hash = PartitionHash.of(write.partitionKey());
            // The scan index lives in another partition, so it cannot join the LWT batch: it is written
            // first and may outlive the partition's rows (a scan skips empty partitions).
            if (write.rows().stream().anyMatch(r -> r.newValue() != null)) {
                execute(schema.indexPartition.bind(write.tableId(), ordered(hash), write.partitionKey().length, pk));
            }
            BatchStatementBuilder batch = BatchStatement.builder(BatchType.LOGGED);
            for (RowWrite row : write.rows()) batch.addStatement(rowStatement(write.tableId(), pk, row));
            for (DerivedRecord record : write.derived()) {
                byte[] outbox = outboxKey(record.log());
                batch.addStatement(schema.putOutbox.bind(buf(record.payload()), write.tableId(), pk, KIND_OUTBOX, buf(outbox)));
            }
            ResultSet result = execute(batch.build());
            if (!result.wasApplied()) return WriteOutcome.PRECONDITION_FAILED;
            if (!write.derived().isEmpty()) drainOutbox(write.tableId(), write.partitionKey());
            return WriteOutcome.APPLIED;
        });
    }

    private BoundStatement rowStatement(long tableId, ByteBuffer pk, RowWrite row) {
        ByteBuffer sk = buf(row.sortKey());
        Expected expected = row.expected();
        if (row.newValue() == null) {
            return switch (expected) {
                case Expected.Any any -> schema.deleteRow.bind(tableId, pk, KIND_ROW, sk);
                case Expected.Absent absent -> schema.deleteRowIfAbsent.bind(tableId, pk, KIND_ROW, sk);
                case Expected.Value v -> schema.deleteRowIfValue.bind(tableId, pk, KIND_ROW, sk, buf(v.bytes()));
            };
        }
        ByteBuffer value = buf(row.newValue());
        return switch (expected) {
            case Expected.Any any -> schema.putRow.bind(value, tableId, pk, KIND_ROW, sk);
            case Expected.Absent absent -> schema.putRowIfAbsent.bind(value, tableId, pk, KIND_ROW, sk);
            case Expected.Value v -> schema.putRowIfValue.bind(value, tableId, pk, KIND_ROW, sk, buf(v.bytes()));
        };
    }

    /** Outbox keys sort by time within the partition (a time-based UUID), and carry their log's name. */
    private static byte[] outboxKey(String log) {
        UUID id = Uuids.timeBased();
        byte[] name = log.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(16 + name.length)
                .putLong(id.getMostSignificantBits() ^ Long.MIN_VALUE) // unsigned order = time order
                .putLong(id.getLeastSignificantBits()).put(name).array();
    }

    /**
     * Moves the partition's outbox rows, oldest first, to the end of their logs. Each move appends the
     * entry with an LWT at the log's next sequence, then deletes the outbox row. Any server can run it
     * for any partition, so a server that crashed after its batch leaves work another one can finish.
     * Known gap: a crash between the append and the delete appends the record twice.
     */
    private void drainOutbox(long tableId, byte[] partitionKey) {
        ByteBuffer pk = buf(partitionKey);
        for (var r : execute(schema.outboxRows.bind(tableId, pk, KIND_OUTBOX))) {
            byte[] key = bytes(r.getByteBuffer(0));
            String log = new String(key, 16, key.length - 16, StandardCharsets.UTF_8);
            append(log, bytes(r.getByteBuffer(1)));
            execute(schema.deleteRow.bind(tableId, pk, KIND_OUTBOX, buf(key)));
        }
    }

    /** Appends at the log's next free sequence; an LWT insert, retried when another append won it. */
    private void append(String log, byte[] payload) {
        while (true) {
            long next = lastSequence(log) + 1;
            if (execute(schema.appendLog.bind(log, next, buf(payload))).wasApplied()) return;
        }
    }

    private long lastSequence(String log) {
        var last = execute(schema.lastLogEntry.bind(log).setConsistencyLevel(ConsistencyLevel.SERIAL)).one();
        if (last == null) return 0;
        long trimmed = last.isNull(1) ? 0 : last.getLong(1);
        return Math.max(last.isNull(0) ? 0 : last.getLong(0), trimmed);
    }

    @Override
    public void dropTable(long tableId) {
        call("dropTable", () -> {
            for (var p : execute(schema.partitionsFrom.bind(tableId, Long.MIN_VALUE))) {
                execute(schema.deletePartition.bind(tableId, p.getByteBuffer(1)));
            }
            execute(schema.deleteIndex.bind(tableId));
            return null;
        });
    }

    @Override
    public TableStats stats(long tableId) {
        long rows = 0;
        long size = 0;
        RowKey after = null;
        while (true) {
            Page page = scan(tableId, 0, 1, after, ReadLimits.rows(1000));
            for (Row row : page.rows()) {
                rows++;
                size += row.size();
            }
            if (!page.mayHaveMore() || page.rows().isEmpty()) return new TableStats(rows, size);
            after = page.rows().getLast().key();
        }
    }

    // ---------------------------------------------------------------- logs

    @Override
    public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        return call("readLog", () -> {
            List<LogEntry> entries = new ArrayList<>();
            for (var r : execute(schema.readLog.bind(log, afterSequence, maxEntries))) {
                if (r.isNull(0)) continue; // the partition holds only its static trim marker
                entries.add(new LogEntry(r.getLong(0), bytes(r.getByteBuffer(1))));
            }
            return entries;
        });
    }

    @Override
    public void trimLog(String log, long throughSequence) {
        call("trimLog", () -> {
            var last = execute(schema.lastLogEntry.bind(log)).one();
            if (last == null || last.isNull(0)) return null;
            long trimmed = last.isNull(1) ? 0 : last.getLong(1);
            long through = Math.min(throughSequence, last.getLong(0));
            if (through <= trimmed) return null;
            // The marker first: the next append must never reuse a trimmed sequence.
            execute(schema.markTrimmed.bind(through, log));
            execute(schema.trimLog.bind(log, through));
            return null;
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
        closed = true;
        session.close();
    }

    /** Empties every table of the keyspace: tests reuse one keyspace, as creating one costs seconds. */
    void truncateAll() {
        for (String table : List.of("rows", "partitions", "log", "meta")) {
            execute(SimpleStatement.newInstance("TRUNCATE " + schema.keyspace() + "." + table));
        }
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
        }
    }

    private static void checkKey(byte[] partitionKey) {
        if (partitionKey.length > MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException("partition key longer than " + MAX_PARTITION_KEY_BYTES + " bytes");
        }
    }

    /** Hashes are compared unsigned; flipping the sign bit makes Cassandra's signed bigint order agree. */
    static long ordered(long unsignedHash) {
        return unsignedHash ^ Long.MIN_VALUE;
    }

    static int compare(byte[] a, byte[] b) {
        return java.util.Arrays.compareUnsigned(a, b);
    }

    private static ByteBuffer buf(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Collects rows until a limit of {@link ReadLimits} is reached, as every backend's page does. */
    private static final class PageBuilder {
        private final ReadLimits limits;
        private final List<Row> rows = new ArrayList<>();
        private long bytes;
        private Page.StopReason stop = Page.StopReason.EXHAUSTED;

        PageBuilder(ReadLimits limits) { this.limits = limits; }

        /** Adds the row; false once a limit is reached (the caller stops reading). */
        boolean add(Row row) {
            rows.add(row);
            bytes += row.size();
            if (rows.size() >= limits.maxRows()) stop = Page.StopReason.ROW_LIMIT;
            else if (bytes >= limits.maxBytes()) stop = Page.StopReason.BYTE_LIMIT;
            return stop == Page.StopReason.EXHAUSTED;
        }

        Page build() { return new Page(rows, stop); }
    }
}

package dev.flywheel.engine.table;

import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The DynamoDB streams of this Flywheel, enabled or not, persisted in the storage's metadata
 * ({@code streams/<log id>}) and held in memory. A table's definition names its latest stream
 * ({@link StreamSettings}); this catalog keeps what outlives that: shards, trim points, and the
 * streams of disabled streams and deleted tables, readable for 24 hours.
 *
 * <p>Reads are lock-free; changes are serialized by this object's monitor.
 */
public final class StreamCatalog {
    private static final String PREFIX = "streams/";
    private static final int FORMAT_V1 = 1;
    private static final DateTimeFormatter LABEL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS")
            .withZone(ZoneOffset.UTC);
    private static final int LOG_END_BATCH = 1000;

    private final Storage storage;
    private final Catalog catalog;
    private final ConcurrentSkipListMap<Long, StreamDescriptor> streams = new ConcurrentSkipListMap<>();
    /** The last sequence known to be in each stream's log, so finding its end reads only what is new. */
    private final Map<Long, Long> knownEnds = new ConcurrentHashMap<>();

    public StreamCatalog(Storage storage, Catalog catalog) {
        this.storage = storage;
        this.catalog = catalog;
        for (byte[] bytes : storage.listMeta(PREFIX).values()) {
            StreamDescriptor d = read(bytes);
            streams.put(d.logId(), d);
        }
    }

    /**
     * Disables every enabled stream that its table no longer names as its enabled stream: what a crash
     * between a table's change and this catalog's can leave, and the streams of deleted tables.
     */
    public synchronized void reconcile(Instant now) {
        for (StreamDescriptor d : streams.values()) {
            if (d.enabled() && !isEnabledStreamOfItsTable(d)) disable(d.logId(), now);
        }
    }

    private boolean isEnabledStreamOfItsTable(StreamDescriptor d) {
        TableDefinition table = catalog.find(d.tableName());
        return table != null && table.id() == d.tableStorageId() && table.hasEnabledStream()
                && table.stream().logId() == d.logId();
    }

    /** A new stream of {@code table}, with one open shard: the settings its definition should name. */
    StreamSettings create(TableDefinition table, String viewType, Instant now) {
        // Outside this catalog's lock: the table catalog's lock is always taken first (UpdateTable holds it here).
        long logId = catalog.allocateId();
        synchronized (this) {
            return create(logId, table, viewType, now);
        }
    }

    private StreamSettings create(long logId, TableDefinition table, String viewType, Instant now) {
        String label = LABEL.format(now);
        for (StreamDescriptor d : streams.values()) {
            // Labels name streams in ARNs: two enabled in the same millisecond must still differ.
            if (d.tableName().equals(table.name()) && d.label().equals(label)) label = LABEL.format(now = now.plusMillis(1));
        }
        StreamDescriptor d = new StreamDescriptor(logId, table.name(), table.id(), label, viewType, table.keySchema(),
                now, null, 0, List.of(new StreamDescriptor.Shard(0, 1, StreamDescriptor.OPEN, now)));
        save(d);
        return new StreamSettings(logId, label, viewType, true);
    }

    /**
     * Closes the stream's open shard at the end of its log and marks it disabled. Call once no write
     * that saw it enabled is in flight ({@link Catalog#awaitWritesInFlight}), so its log has ended.
     */
    public synchronized void disable(long logId, Instant now) {
        StreamDescriptor d = streams.get(logId);
        if (d == null || !d.enabled()) return;
        save(d.disabledAt(now, logEnd(logId)));
    }

    /**
     * Closes the stream's open shard at the current end of its log and opens its child; a shard that has
     * no record yet stays open (so an idle stream does not pile up empty shards).
     */
    public synchronized void rollOver(long logId, Instant now) {
        StreamDescriptor d = streams.get(logId);
        if (d == null || d.openShard() == null) return;
        long end = logEnd(logId);
        if (end < d.openShard().firstSequence()) return;
        save(d.rollOver(end, now));
    }

    /** Forgets the stream's records through {@code sequence}. */
    public synchronized void trim(long logId, long sequence) {
        StreamDescriptor d = streams.get(logId);
        if (d == null || sequence <= d.trimmedThrough()) return;
        save(d.trimmedThrough(sequence));
        storage.trimLog(logName(logId), sequence);
    }

    /** Forgets the stream and its records entirely. */
    public synchronized void forget(long logId) {
        storage.putMeta(PREFIX + logId, null);
        storage.trimLog(logName(logId), Long.MAX_VALUE);
        streams.remove(logId);
        knownEnds.remove(logId);
    }

    public StreamDescriptor get(long logId) {
        return streams.get(logId);
    }

    /** Every stream, oldest first. */
    public List<StreamDescriptor> all() {
        return List.copyOf(streams.values());
    }

    /** The stream whose ARN is {@code arn}, or null. */
    public StreamDescriptor findByArn(String arn) {
        for (StreamDescriptor d : streams.values()) {
            if (arn(d).equals(arn)) return d;
        }
        return null;
    }

    public String arn(StreamDescriptor d) {
        return catalog.arns().stream(d.tableName(), d.label());
    }

    /** The name of a stream's log. Persisted (storage keeps logs by name): never change it. */
    public static String logName(long logId) {
        return "stream/" + logId;
    }

    /** The sequence of the last record of the stream's log (0 when it has none yet). */
    public long logEnd(long logId) {
        long end = knownEnds.getOrDefault(logId, 0L);
        while (true) {
            List<LogEntry> entries = storage.readLog(logName(logId), end, LOG_END_BATCH);
            if (entries.isEmpty()) break;
            end = entries.getLast().sequence();
        }
        knownEnds.merge(logId, end, Math::max);
        return end;
    }

    private void save(StreamDescriptor d) {
        storage.putMeta(PREFIX + d.logId(), write(d));
        streams.put(d.logId(), d);
    }

    private static byte[] write(StreamDescriptor d) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_V1);
            out.writeLong(d.logId());
            out.writeUTF(d.tableName());
            out.writeLong(d.tableStorageId());
            out.writeUTF(d.label());
            out.writeUTF(d.viewType());
            writeKey(out, d.keySchema().hashKey());
            writeKey(out, d.keySchema().rangeKey());
            writeInstant(out, d.created());
            writeInstant(out, d.disabled());
            out.writeLong(d.trimmedThrough());
            out.writeInt(d.shards().size());
            for (StreamDescriptor.Shard shard : d.shards()) {
                out.writeInt(shard.index());
                out.writeLong(shard.firstSequence());
                out.writeLong(shard.lastSequence());
                writeInstant(out, shard.created());
            }
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static StreamDescriptor read(byte[] bytes) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            int format = in.readUnsignedByte();
            if (format != FORMAT_V1) throw new IllegalStateException("unknown stream format " + format);
            long logId = in.readLong();
            String tableName = in.readUTF();
            long tableStorageId = in.readLong();
            String label = in.readUTF();
            String viewType = in.readUTF();
            KeySchema keySchema = new KeySchema(readKey(in), readKey(in));
            Instant created = readInstant(in);
            Instant disabled = readInstant(in);
            long trimmed = in.readLong();
            int count = in.readInt();
            List<StreamDescriptor.Shard> shards = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                shards.add(new StreamDescriptor.Shard(in.readInt(), in.readLong(), in.readLong(), readInstant(in)));
            }
            return new StreamDescriptor(logId, tableName, tableStorageId, label, viewType, keySchema, created, disabled,
                    trimmed, shards);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeKey(DataOutputStream out, KeyAttribute key) throws IOException {
        out.writeBoolean(key != null);
        if (key != null) {
            out.writeUTF(key.name());
            out.writeUTF(key.type());
        }
    }

    private static KeyAttribute readKey(DataInputStream in) throws IOException {
        return in.readBoolean() ? new KeyAttribute(in.readUTF(), in.readUTF()) : null;
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeBoolean(instant != null);
        if (instant != null) {
            out.writeLong(instant.getEpochSecond());
            out.writeInt(instant.getNano());
        }
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }
}

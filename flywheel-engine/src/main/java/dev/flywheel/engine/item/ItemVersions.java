package dev.flywheel.engine.item;

import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The versions of the items of global tables (last writer wins between regions), and the log of local
 * changes that replication sends to the other regions.
 *
 * <p><b>Where versions live.</b> In a companion table of the item table ({@link CompanionWrite}), one
 * row per item at the item's own key, written in the same atomic storage write as the item. So item
 * bytes, and every reader of them (GetItem, Query, Scan, indexes, streams), stay exactly as for any
 * table, while a version can never disagree with the item it versions, even after a crash. A delete
 * leaves its version row as a tombstone, so that an older write of the item arriving later from
 * another region loses against it instead of bringing the item back. A tombstone is forgotten once no
 * older write of its item can arrive any more (GlobalTables#collectTombstones says when and why).
 *
 * <p><b>What is replicated.</b> A local write (a request, time to live) of a global table's item gets a
 * version newer than the item's current one, and appends a {@link Record} to the table's replication
 * log ({@link #logName}) atomically with the write; replicators read that log. A write applied by
 * replication keeps the version it came with and appends nothing, so changes never bounce back.
 *
 * <p>Tables that are not global cost nothing here: no read, no row, no record. Thread-safe.
 */
public final class ItemVersions {
    private final Storage storage;
    private final Clock clock;
    private final String region;
    private final List<Consumer<TableDefinition>> listeners = new CopyOnWriteArrayList<>();

    public ItemVersions(Storage storage, Clock clock, String region) {
        this.storage = storage;
        this.clock = clock;
        this.region = region;
    }

    /** The name of a table's replication log. Persisted (storage keeps logs by name): never change it. */
    public static String logName(long tableStorageId) {
        return "replication/" + tableStorageId;
    }

    /** Calls {@code listener} after each write that appended to a table's replication log. */
    public void onAppend(Consumer<TableDefinition> listener) {
        listeners.add(listener);
    }

    /** The item's version, or null when it has none (an item written before its table became global). */
    public ItemVersion read(TableDefinition table, ItemKey key) {
        if (table.replication() == null) return null;
        byte[] bytes = storage.get(table.replication().versionsStorageId(), key.partitionKey(), key.sortKey());
        return bytes == null ? null : ItemVersion.decode(bytes);
    }

    /** What a write carries besides the item row: a version row and a replication log record. */
    record Stamp(List<CompanionWrite> companions, List<DerivedRecord> records) {
        static final Stamp NONE = new Stamp(List.of(), List.of());
    }

    /**
     * The stamp of a write of {@code key}'s item from its current version {@code current} to the
     * stored form {@code updated} (null: deleted): a new local version, or {@code replicated}'s.
     */
    Stamp stamp(TableDefinition table, ItemKey key, ItemVersion current, byte[] updated, ItemVersion replicated) {
        if (table.replication() == null) return Stamp.NONE;
        ItemVersion version = replicated != null ? replicated : next(current, updated == null);
        RowWrite row = RowWrite.put(key.sortKey(), version.encode(),
                Expected.value(current == null ? null : current.encode()));
        List<CompanionWrite> companions = List.of(new CompanionWrite(table.replication().versionsStorageId(), List.of(row)));
        if (replicated != null || !table.isGlobal()) return new Stamp(companions, List.of());
        // A transaction applies its writes by stored key alone (TransactionCoordinator): the attributes
        // then come from the key bytes, so that the other regions get the item's key.
        byte[] keys = ItemCodec.encode(key.attributes().isEmpty()
                ? ItemKey.attributesOf(table, key.partitionKey(), key.sortKey()) : key.attributes());
        DerivedRecord record = new DerivedRecord(logName(table.id()), new Record(version, keys, updated).encode());
        return new Stamp(companions, List.of(record));
    }

    /** Tells the replicators of {@code table} that its log grew. */
    void appended(TableDefinition table) {
        for (Consumer<TableDefinition> listener : listeners) listener.accept(table);
    }

    /**
     * A version newer than {@code current}: now, or just after {@code current} when the clock is behind
     * it (another region's clock may run ahead), so a local write always wins over what it replaced.
     */
    private ItemVersion next(ItemVersion current, boolean deleted) {
        long now = clock.millis();
        long timestamp = current == null || now > current.timestamp() ? now : current.timestamp() + 1;
        return new ItemVersion(timestamp, region, deleted);
    }

    /**
     * A record of a replication log: one local change of one item.
     *
     * <p>Persisted: {@code format (1 byte, 1) | version length (2 bytes) | version ({@link ItemVersion})
     * | keys length (4 bytes) | keys (stored form) | item (stored form, the rest; absent when deleted)}.
     *
     * @param keys the item's key attributes, stored form ({@link ItemCodec})
     * @param item the item after the change, stored form; null when the change deleted it
     */
    public record Record(ItemVersion version, byte[] keys, byte[] item) {
        private static final int FORMAT_V1 = 1;

        byte[] encode() {
            byte[] v = version.encode();
            ByteBuffer out = ByteBuffer.allocate(1 + 2 + v.length + 4 + keys.length + (item == null ? 0 : item.length));
            out.put((byte) FORMAT_V1).putShort((short) v.length).put(v).putInt(keys.length).put(keys);
            if (item != null) out.put(item);
            return out.array();
        }

        public static Record decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            int format = in.get();
            if (format != FORMAT_V1) throw new IllegalStateException("unknown replication record format " + format);
            byte[] v = new byte[in.getShort()];
            in.get(v);
            byte[] keys = new byte[in.getInt()];
            in.get(keys);
            byte[] item = null;
            if (in.hasRemaining()) {
                item = new byte[in.remaining()];
                in.get(item);
            }
            return new Record(ItemVersion.decode(v), keys, item);
        }

        public Map<String, dev.flywheel.model.AttributeValue> keyAttributes() {
            return ItemCodec.decode(keys);
        }

        /** The item, or null when deleted. */
        public Map<String, dev.flywheel.model.AttributeValue> itemAttributes() {
            return item == null ? null : ItemCodec.decode(item);
        }
    }
}

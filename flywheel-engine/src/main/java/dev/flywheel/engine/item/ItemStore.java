package dev.flywheel.engine.item;

import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Items of a table in storage: read one, and change one by read, check, compare-and-set.
 *
 * <p>A change is computed from the item as read; storage applies it only if the row still holds
 * what was read, else the change is computed again on the new item. So every DynamoDB rule (and
 * every condition) is checked against exactly the item the write replaces, without holding a lock
 * across the engine's work.
 *
 * <p>The write carries the records its {@link ItemChangeLog} derives from the change (old and new
 * item), in the same atomic storage write, so an index can never miss nor reorder a change. It runs
 * inside {@link Catalog#beginWrite}, deriving them under the table's definition current at that
 * moment, so a definition change (an index added) can wait for every write that did not see it.
 *
 * <p>An item of a global table also has a version ({@link ItemVersions}), read with the item and
 * written with it as a companion row: a local write gets a newer one and is logged for replication; a
 * replicated write ({@link #applyReplicated}) applies only if its version is newer than the item's.
 */
public final class ItemStore {
    private final Storage storage;
    private final Catalog catalog;
    private final ItemChangeLog changeLog;
    private final ItemVersions versions;

    public ItemStore(Storage storage, Catalog catalog, ItemChangeLog changeLog) {
        this(storage, catalog, changeLog, null);
    }

    /** {@code versions} null: no table may be global (engine tests). */
    public ItemStore(Storage storage, Catalog catalog, ItemChangeLog changeLog, ItemVersions versions) {
        this.storage = storage;
        this.catalog = catalog;
        this.changeLog = changeLog;
        this.versions = versions;
    }

    /** The item, or null when absent. */
    public Map<String, AttributeValue> get(TableDefinition table, ItemKey key) {
        byte[] bytes = getStored(table, key);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /** The item in its stored form ({@link ItemCodec}), or null: for readers that decode part of it. */
    public byte[] getStored(TableDefinition table, ItemKey key) {
        return storage.get(table.id(), key.partitionKey(), key.sortKey());
    }

    /** The item before and after a write; either may be null (absent). */
    public record Change(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {}

    /**
     * Replaces the item with {@code change.apply(current)} (null: delete it), atomically with
     * respect to every other write of the item. {@code change} may run several times, and may throw
     * to abandon the write (a failed condition).
     */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change) {
        return write(table, key, change, ChangeOrigin.REQUEST);
    }

    /** As {@link #write(TableDefinition, ItemKey, UnaryOperator)}, on behalf of {@code origin}. */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change,
                        ChangeOrigin origin) {
        return write(table, key, change, origin, null);
    }

    /**
     * Applies a write made in another region of a global table: the item becomes {@code item} (null:
     * deleted) with {@code version}, unless the item here has a newer version (last writer wins), in
     * which case nothing changes. Idempotent: applying it again changes nothing.
     */
    public void applyReplicated(TableDefinition table, ItemKey key, Map<String, AttributeValue> item, ItemVersion version) {
        write(table, key, current -> item, ChangeOrigin.REPLICATION, version);
    }

    private Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change,
                         ChangeOrigin origin, ItemVersion replicated) {
        try (Catalog.Write write = catalog.beginWrite(table)) {
            while (true) {
                byte[] current = storage.get(table.id(), key.partitionKey(), key.sortKey());
                ItemVersion version = versions == null ? null : versions.read(write.table(), key);
                Map<String, AttributeValue> oldItem = current == null ? null : ItemCodec.decode(current);
                if (replicated != null && !replicated.isNewerThan(version)) return new Change(oldItem, oldItem);
                Map<String, AttributeValue> newItem = change.apply(oldItem);
                // A replicated delete of an absent item still leaves its tombstone.
                if (newItem == null && current == null && replicated == null) return new Change(null, null);
                byte[] updated = newItem == null ? null : ItemCodec.encode(newItem);
                // Rewriting the same bytes changes nothing anything derives from.
                boolean changes = !Arrays.equals(current, updated);
                List<DerivedRecord> derived = changes ? changeLog.records(write.table(), current, updated, origin) : List.of();
                ItemVersions.Stamp stamp = versions == null || !(changes || replicated != null) ? ItemVersions.Stamp.NONE
                        : versions.stamp(write.table(), key, version, updated, replicated);
                if (!stamp.records().isEmpty()) {
                    derived = new ArrayList<>(derived);
                    derived.addAll(stamp.records());
                }
                Expected expected = Expected.value(current);
                RowWrite row = updated == null
                        ? RowWrite.delete(key.sortKey(), expected)
                        : RowWrite.put(key.sortKey(), updated, expected);
                PartitionWrite partitionWrite = new PartitionWrite(table.id(), key.partitionKey(), List.of(row), derived,
                        stamp.companions());
                if (storage.write(partitionWrite) == WriteOutcome.APPLIED) {
                    if (!derived.isEmpty()) changeLog.appended(write.table());
                    if (!stamp.records().isEmpty()) versions.appended(write.table());
                    return new Change(oldItem, newItem);
                }
                // Another write changed the item between our read and our write: compute again.
            }
        }
    }
}

package dev.flywheel.engine.index;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import java.util.Map;

/**
 * Applies one {@link IndexChange} to the entries of a table's global secondary indexes.
 *
 * <p>For each index the change concerns: the old item's entry is deleted when the new item has no entry
 * or an entry at another row (its index key changed or disappeared); the new item's entry is put when
 * it has one. Both are absolute writes (no precondition), so applying a log's records in order gives
 * the same entries however many times a suffix of it is applied again: after a crash, records since
 * the last checkpoint are simply applied once more.
 *
 * <p>A change that leaves an entry's row and projected attributes as they were writes nothing, since
 * applying the log so far has already left that entry in place. A backfill's record ({@link
 * IndexChange#restates}) is always put: it is how the entry gets there.
 *
 * <p>Not thread-safe: the single maintenance thread uses it.
 */
final class IndexApplier {
    private final Storage storage;

    IndexApplier(Storage storage) {
        this.storage = storage;
    }

    void apply(TableDefinition table, IndexChange change) {
        Map<String, AttributeValue> oldItem = change.oldItem() == null ? null : ItemCodec.decode(change.oldItem());
        Map<String, AttributeValue> newItem = change.restates() ? oldItem
                : change.newItem() == null ? null : ItemCodec.decode(change.newItem());
        for (GlobalIndex index : table.globalIndexes()) {
            if (index.isMaintained() && change.appliesTo(index.storageId())) apply(table, index, oldItem, newItem, change.restates());
        }
    }

    private void apply(TableDefinition table, GlobalIndex index, Map<String, AttributeValue> oldItem,
                       Map<String, AttributeValue> newItem, boolean restates) {
        IndexEntry before = oldItem == null ? null : IndexEntry.of(storage, table, index, oldItem);
        IndexEntry after = newItem == null ? null : IndexEntry.of(storage, table, index, newItem);
        boolean sameRow = before != null && after != null && before.sameRow(after);
        if (before != null && !sameRow) {
            storage.write(PartitionWrite.of(index.storageId(), before.partitionKey(),
                    RowWrite.delete(before.sortKey(), Expected.ANY)));
        }
        if (after != null && (restates || !sameRow || !before.item().equals(after.item()))) {
            storage.write(PartitionWrite.of(index.storageId(), after.partitionKey(),
                    RowWrite.put(after.sortKey(), ItemCodec.encode(after.item()), Expected.ANY)));
        }
    }
}

package dev.flywheel.engine.index;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.RowWrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rows of a table's local secondary indexes that one item write changes, as {@link CompanionWrite}s
 * that storage applies in the same atomic step as the item's row. So an index entry exists exactly
 * when its item has the index's sort key, and always holds what the item holds now.
 *
 * <p>For each index: the old item's entry is deleted when the new item has none or has it at another
 * row (its index sort key changed or disappeared); the new item's entry is put unless it is already
 * there as it should be. The rows carry no precondition of their own: they change only with their item,
 * whose row's precondition (the item as read) already pins what they hold.
 */
public final class LocalIndexWrites {
    private LocalIndexWrites() {}

    /**
     * The companion writes for a change of an item from {@code oldItem} to {@code newItem} (null when
     * absent), under {@code table}'s current definition; one per index whose entries change, none for
     * a table without local indexes.
     */
    public static List<CompanionWrite> companions(TableDefinition table, Map<String, AttributeValue> oldItem,
                                                  Map<String, AttributeValue> newItem) {
        if (table.localIndexes().isEmpty()) return List.of();
        List<CompanionWrite> companions = new ArrayList<>(table.localIndexes().size());
        for (LocalIndex index : table.localIndexes()) {
            IndexEntry before = oldItem == null ? null : IndexEntry.of(table, index, oldItem);
            IndexEntry after = newItem == null ? null : IndexEntry.of(table, index, newItem);
            boolean sameRow = before != null && after != null && before.sameRow(after);
            List<RowWrite> rows = new ArrayList<>(2);
            if (before != null && !sameRow) rows.add(RowWrite.delete(before.sortKey(), Expected.ANY));
            if (after != null && (!sameRow || !before.item().equals(after.item()))) {
                rows.add(RowWrite.put(after.sortKey(), ItemCodec.encode(after.item()), Expected.ANY));
            }
            if (!rows.isEmpty()) companions.add(new CompanionWrite(index.storageId(), rows));
        }
        return companions;
    }
}

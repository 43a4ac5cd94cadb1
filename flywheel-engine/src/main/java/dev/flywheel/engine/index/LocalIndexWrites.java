package dev.flywheel.engine.index;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.item.ItemSize;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /**
     * The write capacity a change of an item costs in each of the table's local indexes, by index name
     * (only those it writes), as the Developer Guide's "Provisioned throughput considerations for local
     * secondary indexes" counts it: an entry put or deleted is one write of its size; an entry that moves
     * (its index key changed) is two, the old entry's and the new one's; an entry whose projected
     * attributes change in place is one; an item in the index neither before nor after costs nothing.
     */
    public static Map<String, Double> writeCapacity(TableDefinition table, Map<String, AttributeValue> oldItem,
                                                    Map<String, AttributeValue> newItem) {
        if (table.localIndexes().isEmpty()) return Map.of();
        Map<String, Double> units = new LinkedHashMap<>();
        for (LocalIndex index : table.localIndexes()) {
            IndexEntry before = oldItem == null ? null : IndexEntry.of(table, index, oldItem);
            IndexEntry after = newItem == null ? null : IndexEntry.of(table, index, newItem);
            double cost = 0;
            if (before != null && after != null && before.sameRow(after)) {
                if (!before.item().equals(after.item())) cost = CapacityUnits.write(ItemSize.of(after.item()));
            } else {
                if (before != null) cost += CapacityUnits.write(ItemSize.of(before.item()));
                if (after != null) cost += CapacityUnits.write(ItemSize.of(after.item()));
            }
            if (cost > 0) units.put(index.name(), cost);
        }
        return units;
    }
}

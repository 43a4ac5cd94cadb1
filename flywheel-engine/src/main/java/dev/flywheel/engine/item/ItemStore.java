package dev.flywheel.engine.item;

import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Items of a table in storage: read one, and change one by read, check, compare-and-set.
 *
 * <p>A change is computed from the item as read; storage applies it only if the row still holds
 * what was read, else the change is computed again on the new item. So every DynamoDB rule (and
 * every condition) is checked against exactly the item the write replaces, without holding a lock
 * across the engine's work.
 */
public final class ItemStore {
    private final Storage storage;

    public ItemStore(Storage storage) {
        this.storage = storage;
    }

    /** The item, or null when absent. */
    public Map<String, AttributeValue> get(TableDefinition table, ItemKey key) {
        byte[] bytes = storage.get(table.id(), key.partitionKey(), key.sortKey());
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /** The item before and after a write; either may be null (absent). */
    public record Change(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {}

    /**
     * Replaces the item with {@code change.apply(current)} (null: delete it), atomically with
     * respect to every other write of the item. {@code change} may run several times, and may throw
     * to abandon the write (a failed condition).
     */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change) {
        while (true) {
            byte[] current = storage.get(table.id(), key.partitionKey(), key.sortKey());
            Map<String, AttributeValue> oldItem = current == null ? null : ItemCodec.decode(current);
            Map<String, AttributeValue> newItem = change.apply(oldItem);
            if (newItem == null && current == null) return new Change(null, null);
            Expected expected = Expected.value(current);
            RowWrite row = newItem == null
                    ? RowWrite.delete(key.sortKey(), expected)
                    : RowWrite.put(key.sortKey(), ItemCodec.encode(newItem), expected);
            if (storage.write(PartitionWrite.of(table.id(), key.partitionKey(), row)) == WriteOutcome.APPLIED) {
                return new Change(oldItem, newItem);
            }
            // Another write changed the item between our read and our write: compute again.
        }
    }
}

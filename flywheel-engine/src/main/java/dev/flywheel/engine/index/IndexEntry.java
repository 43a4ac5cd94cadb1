package dev.flywheel.engine.index;

import dev.flywheel.engine.item.IndexKeyChecks;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.SecondaryIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.Storage;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An item's entry in a secondary index: a row of the index's storage table.
 *
 * <p>In a global secondary index:
 *
 * <ul>
 *   <li>partition key: the index's partition key value, encoded by {@link KeyEncoding}; with several
 *       partition key attributes, their values' {@link KeyTuple};
 *   <li>sort key: the {@link CompositeKey} of the index's sort key values (none, one, or up to four), the table's
 *       partition key value (in the form storage gives it in sort keys,
 *       {@link Storage#partitionKeyInSortKey}: hidden under encryption) and the table's sort key value
 *       (if it has one), each encoded by {@link KeyEncoding}; the table's key makes entries with equal
 *       index keys distinct (DynamoDB promises no order among them);
 *   <li>value: the projected item, encoded by {@link ItemCodec}.
 * </ul>
 *
 * <p>In a local secondary index (a companion table of the item's, written with it):
 * <ul>
 *   <li>partition key: the item's own;
 *   <li>sort key: the {@link CompositeKey} of the index's sort key value and the table's sort key value,
 *       each encoded by {@link KeyEncoding};
 *   <li>value: the projected item, encoded by {@link ItemCodec}.
 * </ul>
 *
 * @param item the projected item (the keys of table and index, plus what the projection adds)
 */
public record IndexEntry(byte[] partitionKey, byte[] sortKey, Map<String, AttributeValue> item) {

    /**
     * The item's entry in the index, or null when the item is not in the index: it lacks an index key
     * attribute, or has one the index cannot hold (wrong type, empty, too large: possible for items
     * written before the index was created).
     */
    public static IndexEntry of(Storage storage, TableDefinition table, GlobalIndex index, Map<String, AttributeValue> item) {
        KeySchema key = index.keySchema();
        List<AttributeValue> hash = IndexKeyChecks.indexableValues(key.hashKeys(), true, item);
        if (hash == null) return null;
        List<AttributeValue> range = IndexKeyChecks.indexableValues(key.rangeKeys(), false, item);
        if (range == null) return null;
        List<byte[]> sort = KeyTuple.components(range);
        sort.add(storage.partitionKeyInSortKey(table.id(), KeyEncoding.encode(item.get(table.hashKey().name()))));
        if (table.rangeKey() != null) sort.add(KeyEncoding.encode(item.get(table.rangeKey().name())));
        return new IndexEntry(KeyTuple.partitionKey(hash), CompositeKey.encode(sort), project(table, index, item));
    }

    /**
     * The item's entry in the local index, or null when the item is not in it: it lacks the index's sort
     * key attribute (writes refuse one the index cannot hold).
     */
    public static IndexEntry of(TableDefinition table, LocalIndex index, Map<String, AttributeValue> item) {
        AttributeValue range = item.get(index.sortKey().name());
        if (range == null || !IndexKeyChecks.indexable(index.sortKey(), false, range)) return null;
        byte[] sort = CompositeKey.encode(List.of(KeyEncoding.encode(range),
                KeyEncoding.encode(item.get(table.rangeKey().name()))));
        return new IndexEntry(KeyEncoding.encode(item.get(table.hashKey().name())), sort, project(table, index, item));
    }

    private static Map<String, AttributeValue> project(TableDefinition table, SecondaryIndex index,
                                                       Map<String, AttributeValue> item) {
        if (index.projectsAll()) return item;
        KeySchema tableKey = table.keySchema();
        Map<String, AttributeValue> projected = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            if (index.projects(e.getKey(), tableKey)) projected.put(e.getKey(), e.getValue());
        }
        return projected;
    }

    public boolean sameRow(IndexEntry other) {
        return Arrays.equals(partitionKey, other.partitionKey) && Arrays.equals(sortKey, other.sortKey);
    }
}

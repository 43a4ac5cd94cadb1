package dev.flywheel.engine.item;

import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.SecondaryIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules an item's secondary index key attributes (global and local) follow. An item need not have them (the
 * index is then sparse: the item is simply not in it), but a write that gives one a value of the wrong
 * type, an empty string or binary, or an oversized value is refused as DynamoDB refuses it. Items
 * already stored when an index is added may break these rules; they are left out of the index.
 *
 * <p>A multi-attribute partition or sort key of a global index is limited as a whole: the values of its
 * attributes together (those the item has) may not be larger than one value may be.
 */
public final class IndexKeyChecks {
    private static final int MAX_HASH_KEY_BYTES = 2048;
    private static final int MAX_RANGE_KEY_BYTES = 1024;

    private IndexKeyChecks() {}

    /** Whether {@code value} can be the value of index key attribute {@code key} (a HASH key if {@code hash}). */
    public static boolean indexable(KeyAttribute key, boolean hash, AttributeValue value) {
        return value.type().equals(key.type()) && !isEmpty(value)
                && ItemSize.of(value) <= (hash ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES);
    }

    /**
     * The values of {@code keys} (a global index's partition key attributes if {@code hash}, else its
     * sort key attributes) in the item, in order, or null when the item lacks one or has one the index
     * cannot hold; so null means the item is not in the index.
     */
    public static List<AttributeValue> indexableValues(List<KeyAttribute> keys, boolean hash,
                                                       Map<String, AttributeValue> item) {
        List<AttributeValue> values = new ArrayList<>(keys.size());
        long size = 0;
        for (KeyAttribute k : keys) {
            AttributeValue v = item.get(k.name());
            if (v == null || !indexable(k, hash, v)) return null;
            values.add(v);
            size += ItemSize.of(v);
        }
        return size <= limit(hash) ? values : null;
    }

    /** PutItem and BatchWriteItem: checks the item as written. */
    public static void checkItem(TableDefinition table, Map<String, AttributeValue> item) {
        check(table, item, false);
    }

    /** UpdateItem: checks the item the update produced. */
    public static void checkUpdated(TableDefinition table, Map<String, AttributeValue> item) {
        check(table, item, true);
    }

    private static void check(TableDefinition table, Map<String, AttributeValue> item, boolean update) {
        for (GlobalIndex index : table.globalIndexes()) {
            if (!index.isMaintained()) continue;
            for (KeyAttribute k : index.keySchema().hashKeys()) check(index, k, true, item, update);
            for (KeyAttribute k : index.keySchema().rangeKeys()) check(index, k, false, item, update);
            checkAggregateSize(index, index.keySchema().hashKeys(), true, item);
            checkAggregateSize(index, index.keySchema().rangeKeys(), false, item);
        }
        // A local index's partition key is the table's, which ItemKey checks.
        for (LocalIndex index : table.localIndexes()) check(index, index.sortKey(), false, item, update);
    }

    private static void check(SecondaryIndex index, KeyAttribute key, boolean hash, Map<String, AttributeValue> item,
                              boolean update) {
        AttributeValue value = item.get(key.name());
        if (value == null) return;
        if (!value.type().equals(key.type())) {
            // dynalite's tests against DynamoDB: the same text for PutItem, UpdateItem and BatchWriteItem.
            throw new ValidationException(AttributeValues.INVALID + "Type mismatch for Index Key " + key.name()
                    + " Expected: " + key.type() + " Actual: " + value.type() + " IndexName: " + index.name());
        }
        if (isEmpty(value)) {
            String kind = value instanceof AttributeValue.S ? "string" : "binary";
            throw new ValidationException(update
                    ? "One or more parameter values are not valid. The update expression attempted to update a secondary"
                            + " index key to a value that is not supported. The AttributeValue for a key attribute cannot"
                            + " contain an empty " + kind + " value."
                    : "One or more parameter values are not valid. A value specified for a secondary index key is not"
                            + " supported. The AttributeValue for a key attribute cannot contain an empty " + kind
                            + " value. IndexName: " + index.name() + ", IndexKey: " + key.name());
        }
        // DynamoDB's limits for key values, with the table's messages (the index variant is not confirmed).
        if (hash && ItemSize.of(value) > MAX_HASH_KEY_BYTES) {
            throw new ValidationException(AttributeValues.INVALID
                    + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        if (!hash && ItemSize.of(value) > MAX_RANGE_KEY_BYTES) {
            throw new ValidationException(AttributeValues.INVALID
                    + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
        }
    }

    /**
     * A multi-attribute key's values together within one value's limit. The text is DynamoDB Local's
     * (3.3.1); it checks the attributes the item has, whether or not it has them all.
     */
    private static void checkAggregateSize(GlobalIndex index, List<KeyAttribute> keys, boolean hash,
                                           Map<String, AttributeValue> item) {
        if (keys.size() < 2) return;
        long size = 0;
        List<String> names = new ArrayList<>(keys.size());
        for (KeyAttribute k : keys) {
            AttributeValue v = item.get(k.name());
            if (v == null) continue;
            size += ItemSize.of(v);
            names.add(k.name());
        }
        if (size > limit(hash)) {
            throw new ValidationException("Aggregate size for " + (hash ? "HASH" : "RANGE") + " key attributes "
                    + String.join(", ", names) + " of index " + index.name() + " has exceeded limit " + limit(hash)
                    + " bytes, with actual size " + size + " bytes");
        }
    }

    private static int limit(boolean hash) {
        return hash ? MAX_HASH_KEY_BYTES : MAX_RANGE_KEY_BYTES;
    }

    private static boolean isEmpty(AttributeValue value) {
        return (value instanceof AttributeValue.S s && s.value().isEmpty())
                || (value instanceof AttributeValue.B b && b.value().length == 0);
    }
}

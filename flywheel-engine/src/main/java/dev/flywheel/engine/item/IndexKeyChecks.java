package dev.flywheel.engine.item;

import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.SecondaryIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.Map;

/**
 * The rules an item's secondary index key attributes (global and local) follow. An item need not have them (the
 * index is then sparse: the item is simply not in it), but a write that gives one a value of the wrong
 * type, an empty string or binary, or an oversized value is refused as DynamoDB refuses it. Items
 * already stored when an index is added may break these rules; they are left out of the index.
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
            KeyAttribute range = index.keySchema().rangeKey();
            check(index, index.keySchema().hashKey(), true, item, update);
            if (range != null) check(index, range, false, item, update);
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

    private static boolean isEmpty(AttributeValue value) {
        return (value instanceof AttributeValue.S s && s.value().isEmpty())
                || (value instanceof AttributeValue.B b && b.value().length == 0);
    }
}

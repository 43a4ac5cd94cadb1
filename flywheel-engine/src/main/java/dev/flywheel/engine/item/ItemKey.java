package dev.flywheel.engine.item;

import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An item's primary key in storage form: the encoded partition key and sort key (empty for a table
 * without one), plus the key attributes as DynamoDB values (normalized).
 */
public record ItemKey(byte[] partitionKey, byte[] sortKey, Map<String, AttributeValue> attributes) {
    private static final byte[] NO_SORT_KEY = new byte[0];
    private static final int MAX_PARTITION_KEY_BYTES = 2048;
    private static final int MAX_SORT_KEY_BYTES = 1024;

    /** The key of an item to write: every key attribute present with its declared type (PutItem). */
    public static ItemKey ofItem(TableDefinition table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(4);
        for (KeyAttribute k : table.keyAttributes()) {
            AttributeValue v = item.get(k.name());
            if (v == null) {
                throw new ValidationException(AttributeValues.INVALID + "Missing the key " + k.name() + " in the item");
            }
            if (!v.type().equals(k.type())) {
                throw new ValidationException(AttributeValues.INVALID + "Type mismatch for key " + k.name()
                        + " expected: " + k.type() + " actual: " + v.type());
            }
            key.put(k.name(), v);
        }
        return of(table, key);
    }

    /**
     * The key given by a request's {@code Key} (GetItem, DeleteItem, UpdateItem): exactly the key
     * attributes, with their declared types.
     */
    public static ItemKey ofKey(TableDefinition table, Map<String, AttributeValue> key) {
        if (key == null || key.size() != table.keyAttributes().size()) throw schemaMismatch();
        for (KeyAttribute k : table.keyAttributes()) {
            AttributeValue v = key.get(k.name());
            if (v == null || !v.type().equals(k.type())) throw schemaMismatch();
        }
        return of(table, key);
    }

    /** The key attributes encoded in a stored row's keys (of the table, or of a companion at the same keys). */
    public static Map<String, AttributeValue> attributesOf(TableDefinition table, byte[] partitionKey, byte[] sortKey) {
        Map<String, AttributeValue> key = new LinkedHashMap<>(4);
        key.put(table.hashKey().name(), KeyEncoding.decode(table.hashKey().type(), partitionKey));
        if (table.rangeKey() != null) key.put(table.rangeKey().name(), KeyEncoding.decode(table.rangeKey().type(), sortKey));
        return key;
    }

    private static ItemKey of(TableDefinition table, Map<String, AttributeValue> key) {
        Map<String, AttributeValue> normalized = new LinkedHashMap<>(4);
        byte[] partition = encode(table.hashKey(), key, normalized);
        if (partition.length > MAX_PARTITION_KEY_BYTES) {
            throw new ValidationException(AttributeValues.INVALID
                    + "Size of hashkey has exceeded the maximum size limit of2048 bytes");
        }
        byte[] sort = NO_SORT_KEY;
        if (table.rangeKey() != null) {
            sort = encode(table.rangeKey(), key, normalized);
            if (ItemSize.of(normalized.get(table.rangeKey().name())) > MAX_SORT_KEY_BYTES) {
                throw new ValidationException(AttributeValues.INVALID
                        + "Aggregated size of all range keys has exceeded the size limit of 1024 bytes");
            }
        }
        return new ItemKey(partition, sort, normalized);
    }

    private static byte[] encode(KeyAttribute k, Map<String, AttributeValue> key, Map<String, AttributeValue> normalized) {
        AttributeValue v = AttributeValues.normalize(key.get(k.name()));
        if (v instanceof AttributeValue.S s && s.value().isEmpty()) throw emptyKey("string", k.name());
        if (v instanceof AttributeValue.B b && b.value().length == 0) throw emptyKey("binary", k.name());
        normalized.put(k.name(), v);
        return KeyEncoding.encode(v);
    }

    private static ValidationException emptyKey(String kind, String name) {
        return new ValidationException("One or more parameter values are not valid. The AttributeValue for a key"
                + " attribute cannot contain an empty " + kind + " value. Key: " + name);
    }

    private static ValidationException schemaMismatch() {
        return new ValidationException("The provided key element does not match the schema");
    }
}

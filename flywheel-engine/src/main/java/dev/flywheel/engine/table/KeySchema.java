package dev.flywheel.engine.table;

import dev.flywheel.model.shapes.KeySchemaElement;
import java.util.List;

/**
 * The key of a table or of an index: its partition (HASH) key and, optionally, its sort (RANGE) key.
 *
 * @param rangeKey null when there is only a partition key
 */
public record KeySchema(KeyAttribute hashKey, KeyAttribute rangeKey) {

    public List<KeyAttribute> attributes() {
        return rangeKey == null ? List.of(hashKey) : List.of(hashKey, rangeKey);
    }

    public boolean contains(String attributeName) {
        return hashKey.name().equals(attributeName) || (rangeKey != null && rangeKey.name().equals(attributeName));
    }

    /** As DynamoDB describes it: HASH first, then RANGE. */
    public List<KeySchemaElement> describe() {
        return rangeKey == null
                ? List.of(new KeySchemaElement(hashKey.name(), "HASH"))
                : List.of(new KeySchemaElement(hashKey.name(), "HASH"), new KeySchemaElement(rangeKey.name(), "RANGE"));
    }
}

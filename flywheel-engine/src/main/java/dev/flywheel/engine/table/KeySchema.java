package dev.flywheel.engine.table;

import dev.flywheel.model.shapes.KeySchemaElement;
import java.util.ArrayList;
import java.util.List;

/**
 * The key of a table or of an index: its partition (HASH) key attributes and its sort (RANGE) key
 * attributes, each list in the order of the KeySchema.
 *
 * <p>A table and a local secondary index have one partition key attribute and at most one sort key
 * attribute. A global secondary index may have up to four of each ("multi-attribute keys", Developer
 * Guide, "Multi-attribute key schema"): its partition key is then the tuple of its HASH attributes'
 * values and its sort key the tuple of its RANGE attributes' values, ordered attribute by attribute.
 *
 * @param hashKeys one or more partition key attributes
 * @param rangeKeys the sort key attributes, empty when there is only a partition key
 */
public record KeySchema(List<KeyAttribute> hashKeys, List<KeyAttribute> rangeKeys) {

    public KeySchema {
        if (hashKeys.isEmpty()) throw new IllegalArgumentException("a key schema needs a partition key");
        hashKeys = List.copyOf(hashKeys);
        rangeKeys = List.copyOf(rangeKeys);
    }

    /** A single-attribute key: a partition key and, unless {@code rangeKey} is null, a sort key. */
    public KeySchema(KeyAttribute hashKey, KeyAttribute rangeKey) {
        this(List.of(hashKey), rangeKey == null ? List.of() : List.of(rangeKey));
    }

    /** Whether the partition key or the sort key has more than one attribute (possible only in a global index). */
    public boolean isMultiAttribute() {
        return hashKeys.size() > 1 || rangeKeys.size() > 1;
    }

    /** The partition key attribute of a single-attribute key (a table's, a local index's). */
    public KeyAttribute hashKey() {
        if (hashKeys.size() != 1) throw new IllegalStateException("multi-attribute partition key: " + hashKeys);
        return hashKeys.getFirst();
    }

    /** The sort key attribute of a single-attribute key, or null when there is none. */
    public KeyAttribute rangeKey() {
        if (rangeKeys.size() > 1) throw new IllegalStateException("multi-attribute sort key: " + rangeKeys);
        return rangeKeys.isEmpty() ? null : rangeKeys.getFirst();
    }

    /** Every key attribute: the partition key's, then the sort key's. */
    public List<KeyAttribute> attributes() {
        if (rangeKeys.isEmpty()) return hashKeys;
        List<KeyAttribute> all = new ArrayList<>(hashKeys.size() + rangeKeys.size());
        all.addAll(hashKeys);
        all.addAll(rangeKeys);
        return all;
    }

    public boolean contains(String attributeName) {
        for (KeyAttribute k : hashKeys) if (k.name().equals(attributeName)) return true;
        for (KeyAttribute k : rangeKeys) if (k.name().equals(attributeName)) return true;
        return false;
    }

    /** As DynamoDB describes it, as it was given: the HASH attributes, then the RANGE attributes. */
    public List<KeySchemaElement> describe() {
        List<KeySchemaElement> elements = new ArrayList<>(hashKeys.size() + rangeKeys.size());
        for (KeyAttribute k : hashKeys) elements.add(new KeySchemaElement(k.name(), "HASH"));
        for (KeyAttribute k : rangeKeys) elements.add(new KeySchemaElement(k.name(), "RANGE"));
        return List.copyOf(elements);
    }
}

package dev.flywheel.engine.table;

import java.util.List;

/**
 * A local secondary index of a table, as persisted in its {@link TableDefinition}: defined at
 * CreateTable only, keyed by the table's partition key and a sort key of its own. Its entries live in a
 * companion storage table (see {@code dev.flywheel.storage.CompanionWrite}), written in the same atomic
 * step as the item, so the index is always exactly consistent with the table.
 *
 * @param storageId the companion storage table holding the index's entries
 * @param keySchema the table's partition key and the index's sort key
 * @param projectionType ALL, KEYS_ONLY or INCLUDE
 * @param nonKeyAttributes the attributes INCLUDE adds to the keys (empty otherwise), in the order given
 */
public record LocalIndex(String name, long storageId, KeySchema keySchema, String projectionType,
                         List<String> nonKeyAttributes) implements SecondaryIndex {

    public LocalIndex {
        nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }

    /** The index's sort key attribute. */
    public KeyAttribute sortKey() {
        return keySchema.rangeKey();
    }

    LocalIndex withStorageId(long id) {
        return new LocalIndex(name, id, keySchema, projectionType, nonKeyAttributes);
    }
}

package dev.flywheel.engine.table;

import java.util.List;

/**
 * What global and local secondary indexes have in common: a name, a storage table of their own for
 * their entries, a key, and a projection (which attributes of an item its entry holds).
 */
public sealed interface SecondaryIndex permits GlobalIndex, LocalIndex {
    String ALL = "ALL";
    String KEYS_ONLY = "KEYS_ONLY";
    String INCLUDE = "INCLUDE";

    String name();

    /** The storage table holding the index's entries; allocated like a table's id and never reused. */
    long storageId();

    KeySchema keySchema();

    /** ALL, KEYS_ONLY or INCLUDE. */
    String projectionType();

    /** The attributes INCLUDE adds to the keys (empty otherwise), in the order given. */
    List<String> nonKeyAttributes();

    default boolean projectsAll() {
        return projectionType().equals(ALL);
    }

    /**
     * Whether the index's entries hold attribute {@code name}: the index's and the table's key attributes
     * always, then what the projection adds.
     */
    default boolean projects(String name, KeySchema tableKey) {
        return projectsAll() || keySchema().contains(name) || tableKey.contains(name) || nonKeyAttributes().contains(name);
    }
}

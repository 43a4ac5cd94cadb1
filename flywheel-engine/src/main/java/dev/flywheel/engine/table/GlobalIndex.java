package dev.flywheel.engine.table;

import java.util.List;

/**
 * A global secondary index of a table, as persisted in its {@link TableDefinition}.
 *
 * @param storageId the storage table holding the index's entries; allocated like a table's id and never
 *     reused, so an index re-created under the same name never sees the old entries
 * @param projectionType ALL, KEYS_ONLY or INCLUDE
 * @param nonKeyAttributes the attributes INCLUDE adds to the keys (empty otherwise), in the order given
 * @param status CREATING while an index added by UpdateTable is backfilled, ACTIVE, or DELETING while
 *     its entries are dropped
 */
public record GlobalIndex(
        String name,
        long storageId,
        KeySchema keySchema,
        String projectionType,
        List<String> nonKeyAttributes,
        long readCapacityUnits,
        long writeCapacityUnits,
        Status status) implements SecondaryIndex {

    /** Persisted by name: never rename a constant. */
    public enum Status { CREATING, ACTIVE, DELETING }

    public GlobalIndex {
        nonKeyAttributes = List.copyOf(nonKeyAttributes);
    }

    /** Whether writes must keep the index's entries current (every status but DELETING). */
    public boolean isMaintained() {
        return status != Status.DELETING;
    }

    public GlobalIndex withStatus(Status newStatus) {
        return new GlobalIndex(name, storageId, keySchema, projectionType, nonKeyAttributes, readCapacityUnits,
                writeCapacityUnits, newStatus);
    }

    public GlobalIndex withThroughput(long read, long write) {
        return new GlobalIndex(name, storageId, keySchema, projectionType, nonKeyAttributes, read, write, status);
    }
}

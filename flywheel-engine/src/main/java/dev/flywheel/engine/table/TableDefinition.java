package dev.flywheel.engine.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything Flywheel keeps about a table, persisted by {@link TableDefinitionFormat}.
 *
 * @param id storage id of the table's rows; never reused, so a table re-created under the same name
 *     never sees the old rows
 * @param tableId the UUID DynamoDB reports as TableId
 * @param rangeKey null for a table with only a partition key
 * @param attributeDefinitions attribute name to scalar type, in the order given at creation
 * @param billingMode PROVISIONED or PAY_PER_REQUEST
 * @param tags in the order they were added
 * @param globalIndexes in the order they were created
 * @param localIndexes in the order given at CreateTable (the only time they can be defined)
 * @param stream the latest stream, enabled or not; null when the table never had one
 * @param timeToLive null when time to live was never enabled
 * @param replication null unless the table is (or was) a global table's replica
 */
public record TableDefinition(
        long id,
        String name,
        String tableId,
        KeyAttribute hashKey,
        KeyAttribute rangeKey,
        Map<String, String> attributeDefinitions,
        String billingMode,
        long readCapacityUnits,
        long writeCapacityUnits,
        Instant creationDateTime,
        Instant lastUpdateToPayPerRequest,
        Instant lastIncrease,
        Instant lastDecrease,
        long decreasesToday,
        boolean deletionProtection,
        String tableClass,
        Instant tableClassUpdated,
        Map<String, String> tags,
        List<GlobalIndex> globalIndexes,
        List<LocalIndex> localIndexes,
        StreamSettings stream,
        TimeToLiveSettings timeToLive,
        ReplicationSettings replication) {

    public static final String PROVISIONED = "PROVISIONED";
    public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";
    public static final String STANDARD = "STANDARD";

    public TableDefinition {
        attributeDefinitions = Collections.unmodifiableMap(new LinkedHashMap<>(attributeDefinitions));
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        globalIndexes = List.copyOf(globalIndexes);
        localIndexes = List.copyOf(localIndexes);
    }

    /**
     * Storage id of the table's lock table: the companion table where a transaction locks the items it
     * writes (one row per locked item, at the item's key). Derived from the table's id, never allocated:
     * ids are allocated from 1 upward, so the negated id is never another table's.
     */
    public long lockTableId() {
        return -id;
    }

    public List<KeyAttribute> keyAttributes() {
        return rangeKey == null ? List.of(hashKey) : List.of(hashKey, rangeKey);
    }

    public KeySchema keySchema() {
        return new KeySchema(hashKey, rangeKey);
    }

    public boolean isKeyAttribute(String attributeName) {
        return hashKey.name().equals(attributeName) || (rangeKey != null && rangeKey.name().equals(attributeName));
    }

    /** The definition with {@code settings} as its latest stream. */
    TableDefinition withStream(StreamSettings settings) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, tags, globalIndexes,
                localIndexes, settings, timeToLive, replication);
    }

    /** The definition with {@code settings} as its time to live. */
    public TableDefinition withTimeToLive(TimeToLiveSettings settings) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, tags, globalIndexes,
                localIndexes, stream, settings, replication);
    }

    /** The definition with {@code settings} as its replication (global tables). */
    public TableDefinition withReplication(ReplicationSettings settings) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, tags, globalIndexes,
                localIndexes, stream, timeToLive, settings);
    }

    /** True when the table is a replica of a global table with at least one other region. */
    public boolean isGlobal() {
        return replication != null && !replication.replicas().isEmpty();
    }

    /** True when writes to the table append stream records. */
    public boolean hasEnabledStream() {
        return stream != null && stream.enabled();
    }

    /** The global secondary index named {@code indexName}, or null. */
    public GlobalIndex globalIndex(String indexName) {
        for (GlobalIndex index : globalIndexes) {
            if (index.name().equals(indexName)) return index;
        }
        return null;
    }

    /** The local secondary index named {@code indexName}, or null. */
    public LocalIndex localIndex(String indexName) {
        for (LocalIndex index : localIndexes) {
            if (index.name().equals(indexName)) return index;
        }
        return null;
    }

    /** True when {@code attributeName} is a key attribute of some secondary index, global or local. */
    public boolean isIndexKeyAttribute(String attributeName) {
        for (GlobalIndex index : globalIndexes) {
            if (index.keySchema().contains(attributeName)) return true;
        }
        for (LocalIndex index : localIndexes) {
            if (index.keySchema().contains(attributeName)) return true;
        }
        return false;
    }

    TableDefinition withBilling(String mode, long read, long write, Instant payPerRequestSince,
                                Instant increased, Instant decreased, long decreases) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, mode, read, write,
                creationDateTime, payPerRequestSince, increased, decreased, decreases, deletionProtection,
                tableClass, tableClassUpdated, tags, globalIndexes, localIndexes, stream, timeToLive, replication);
    }

    TableDefinition withDeletionProtection(boolean enabled) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, enabled, tableClass, tableClassUpdated, tags, globalIndexes,
                localIndexes, stream, timeToLive, replication);
    }

    public TableDefinition withTableClass(String newClass, Instant when) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, newClass, when, tags, globalIndexes,
                localIndexes, stream, timeToLive, replication);
    }

    TableDefinition withTags(Map<String, String> newTags) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, newTags, globalIndexes,
                localIndexes, stream, timeToLive, replication);
    }

    /** The definition with these indexes and attribute definitions (an index was added or removed). */
    TableDefinition withGlobalIndexes(List<GlobalIndex> indexes, Map<String, String> definitions) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, definitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, tags, indexes,
                localIndexes, stream, timeToLive, replication);
    }

    /** The definition with the index named {@code indexName} replaced by {@code change} applied to it. */
    public TableDefinition withGlobalIndex(String indexName, UnaryOperator<GlobalIndex> change) {
        List<GlobalIndex> indexes = new ArrayList<>(globalIndexes.size());
        for (GlobalIndex index : globalIndexes) indexes.add(index.name().equals(indexName) ? change.apply(index) : index);
        return withGlobalIndexes(indexes, attributeDefinitions);
    }

    /**
     * The definition without the index named {@code indexName}, and without the attribute definitions
     * only it used: DynamoDB's AttributeDefinitions always list exactly the key attributes.
     */
    public TableDefinition withoutGlobalIndex(String indexName) {
        List<GlobalIndex> indexes = new ArrayList<>(globalIndexes);
        indexes.removeIf(index -> index.name().equals(indexName));
        Map<String, String> definitions = new LinkedHashMap<>(attributeDefinitions);
        definitions.keySet().removeIf(attribute -> !isKeyAttribute(attribute)
                && indexes.stream().noneMatch(index -> index.keySchema().contains(attribute))
                && localIndexes.stream().noneMatch(index -> index.keySchema().contains(attribute)));
        return withGlobalIndexes(indexes, definitions);
    }
}

package dev.flywheel.engine.table;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
        Map<String, String> tags) {

    public static final String PROVISIONED = "PROVISIONED";
    public static final String PAY_PER_REQUEST = "PAY_PER_REQUEST";
    public static final String STANDARD = "STANDARD";

    public TableDefinition {
        attributeDefinitions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributeDefinitions));
        tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
    }

    public List<KeyAttribute> keyAttributes() {
        return rangeKey == null ? List.of(hashKey) : List.of(hashKey, rangeKey);
    }

    public boolean isKeyAttribute(String attributeName) {
        return hashKey.name().equals(attributeName) || (rangeKey != null && rangeKey.name().equals(attributeName));
    }

    TableDefinition withBilling(String mode, long read, long write, Instant payPerRequestSince,
                                Instant increased, Instant decreased, long decreases) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, mode, read, write,
                creationDateTime, payPerRequestSince, increased, decreased, decreases, deletionProtection,
                tableClass, tableClassUpdated, tags);
    }

    TableDefinition withDeletionProtection(boolean enabled) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, enabled, tableClass, tableClassUpdated, tags);
    }

    TableDefinition withTableClass(String newClass, Instant when) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, newClass, when, tags);
    }

    TableDefinition withTags(Map<String, String> newTags) {
        return new TableDefinition(id, name, tableId, hashKey, rangeKey, attributeDefinitions, billingMode,
                readCapacityUnits, writeCapacityUnits, creationDateTime, lastUpdateToPayPerRequest, lastIncrease,
                lastDecrease, decreasesToday, deletionProtection, tableClass, tableClassUpdated, newTags);
    }
}

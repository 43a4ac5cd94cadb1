package dev.flywheel.engine.table;

import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BillingModeSummary;
import dev.flywheel.model.shapes.GlobalSecondaryIndexDescription;
import dev.flywheel.model.shapes.LocalSecondaryIndexDescription;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.ProvisionedThroughputDescription;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableClassSummary;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TableStats;
import dev.flywheel.model.shapes.ReplicaDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a {@link TableDefinition} as DynamoDB's TableDescription. */
final class TableDescriptions {
    private final Arns arns;
    private final Storage storage;
    private final Encryption encryption;
    private final ReplicaCopyProgress copies;

    TableDescriptions(Arns arns, Storage storage, Encryption encryption, ReplicaCopyProgress copies) {
        this.arns = arns;
        this.storage = storage;
        this.encryption = encryption;
        this.copies = copies;
    }

    /**
     * @param withSize whether to report ItemCount and TableSizeBytes from storage (a new table has
     *     none; DynamoDB itself refreshes them about every six hours, Flywheel on every call)
     */
    TableDescription describe(TableDefinition t, String status, boolean withSize) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        for (Map.Entry<String, String> e : t.attributeDefinitions().entrySet()) {
            attributes.add(new AttributeDefinition(e.getKey(), e.getValue()));
        }
        List<KeySchemaElement> keySchema = new ArrayList<>(2);
        keySchema.add(new KeySchemaElement(t.hashKey().name(), "HASH"));
        if (t.rangeKey() != null) keySchema.add(new KeySchemaElement(t.rangeKey().name(), "RANGE"));
        TableStats stats = withSize ? storage.stats(t.id()) : new TableStats(0, 0);
        List<GlobalSecondaryIndexDescription> indexes = null;
        if (!t.globalIndexes().isEmpty()) {
            indexes = new ArrayList<>(t.globalIndexes().size());
            for (GlobalIndex index : t.globalIndexes()) indexes.add(describe(t, index, status, withSize));
        }
        List<LocalSecondaryIndexDescription> localIndexes = null;
        if (!t.localIndexes().isEmpty()) {
            localIndexes = new ArrayList<>(t.localIndexes().size());
            for (LocalIndex index : t.localIndexes()) localIndexes.add(describe(t, index, withSize));
        }
        // A replica removed from its global table is deleted once it has sent what it owes the others.
        if (t.replication() != null && t.replication().leaving()) status = "DELETING";
        if (encryption != null && !encryption.accessible(t.id())) status = "INACCESSIBLE_ENCRYPTION_CREDENTIALS";
        return TableDescription.builder()
                .attributeDefinitions(attributes)
                .tableName(t.name())
                .keySchema(keySchema)
                .tableStatus(status)
                .sseDescription(encryption == null ? null : encryption.describe(t.id()))
                .creationDateTime(t.creationDateTime())
                .provisionedThroughput(new ProvisionedThroughputDescription(t.lastIncrease(), t.lastDecrease(),
                        t.decreasesToday(), t.readCapacityUnits(), t.writeCapacityUnits()))
                .tableSizeBytes(stats.bytes())
                .itemCount(stats.rowCount())
                .tableArn(arns.table(t.name()))
                .tableId(t.tableId())
                .billingModeSummary(new BillingModeSummary(t.billingMode(), t.lastUpdateToPayPerRequest()))
                .tableClassSummary(new TableClassSummary(t.tableClass(), t.tableClassUpdated()))
                .deletionProtectionEnabled(t.deletionProtection())
                .localSecondaryIndexes(localIndexes)
                .globalSecondaryIndexes(indexes)
                .streamSpecification(t.hasEnabledStream()
                        ? new StreamSpecification(true, t.stream().viewType()) : null)
                .latestStreamLabel(t.stream() == null ? null : t.stream().label())
                .latestStreamArn(t.stream() == null ? null : arns.stream(t.name(), t.stream().label()))
                .replicas(replicas(t))
                .globalTableVersion(showsReplicas(t) ? "2019.11.21" : null)
                .build();
    }

    /** A local secondary index as DescribeTable shows it. */
    private LocalSecondaryIndexDescription describe(TableDefinition t, LocalIndex index, boolean withSize) {
        TableStats stats = withSize ? storage.stats(index.storageId()) : new TableStats(0, 0);
        List<String> nonKey = index.projectionType().equals(SecondaryIndex.INCLUDE) ? index.nonKeyAttributes() : null;
        return new LocalSecondaryIndexDescription(index.name(), index.keySchema().describe(),
                new Projection(index.projectionType(), nonKey), stats.bytes(), stats.rowCount(),
                arns.index(t.name(), index.name()));
    }

    /** Whether DescribeTable lists replicas: the table is global, or a replica removed from it is still being deleted. */
    private static boolean showsReplicas(TableDefinition t) {
        return t.isGlobal() || (t.replication() != null && !t.replication().deleting().isEmpty());
    }

    /**
     * A global table's other regions and their ReplicaStatus; null for a table that is not global. A
     * CREATING replica shows how far this region's first copy to it has come, a CREATION_FAILED one
     * why, and a removed one stays, DELETING, until this region knows its table is gone (as DynamoDB).
     */
    private List<ReplicaDescription> replicas(TableDefinition t) {
        if (!showsReplicas(t)) return null;
        List<ReplicaDescription> replicas = new ArrayList<>();
        for (ReplicationSettings.Replica r : t.replication().replicas()) {
            // As DynamoDB: ReplicaTableClassSummary only once a class was set for that replica.
            TableClassSummary tableClass = r.tableClassOverride() == null ? null
                    : new TableClassSummary(r.tableClassOverride(), null);
            String percent = null;
            if (ReplicationSettings.CREATING.equals(r.status())) {
                ReplicaCopyProgress.Progress copy = copies.of(t.id(), r.region());
                percent = Integer.toString(copy == null ? 0 : copy.percent());
            }
            replicas.add(ReplicaDescription.builder().regionName(r.region()).replicaStatus(r.status())
                    .replicaStatusDescription(r.statusDescription()).replicaStatusPercentProgress(percent)
                    .replicaTableClassSummary(tableClass).build());
        }
        for (ReplicationSettings.Replica r : t.replication().deleting()) {
            replicas.add(ReplicaDescription.builder().regionName(r.region()).replicaStatus(ReplicationSettings.DELETING)
                    .build());
        }
        return replicas;
    }

    /**
     * An index as DescribeTable shows it. Indexes created with their table share its CREATING answer;
     * one added by UpdateTable reports Backfilling while it is CREATING.
     */
    private GlobalSecondaryIndexDescription describe(TableDefinition t, GlobalIndex index, String tableStatus,
                                                     boolean withSize) {
        boolean tableCreating = tableStatus.equals("CREATING");
        String status = tableCreating ? "CREATING" : index.status().name();
        TableStats stats = withSize && !tableCreating ? storage.stats(index.storageId()) : new TableStats(0, 0);
        List<String> nonKey = index.projectionType().equals(GlobalIndex.INCLUDE) ? index.nonKeyAttributes() : null;
        return GlobalSecondaryIndexDescription.builder()
                .indexName(index.name())
                .keySchema(index.keySchema().describe())
                .projection(new Projection(index.projectionType(), nonKey))
                .indexStatus(status)
                .backfilling(!tableCreating && index.status() == GlobalIndex.Status.CREATING ? Boolean.TRUE : null)
                .provisionedThroughput(new ProvisionedThroughputDescription(null, null, 0L,
                        index.readCapacityUnits(), index.writeCapacityUnits()))
                .indexSizeBytes(stats.bytes())
                .itemCount(stats.rowCount())
                .indexArn(arns.index(t.name(), index.name()))
                .build();
    }
}

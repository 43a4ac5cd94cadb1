package dev.flywheel.engine.table;

import dev.flywheel.engine.Unsupported;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.ManagedKey;
import dev.flywheel.model.DynamoDbException.ResourceInUseException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.CreateTableOutput;
import dev.flywheel.model.shapes.DeleteTableInput;
import dev.flywheel.model.shapes.DeleteTableOutput;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.DescribeTableOutput;
import dev.flywheel.model.shapes.GlobalSecondaryIndexUpdate;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.ListTablesInput;
import dev.flywheel.model.shapes.ListTablesOutput;
import dev.flywheel.model.shapes.ProvisionedThroughput;
import dev.flywheel.model.shapes.SSESpecification;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.model.shapes.UpdateTableOutput;
import dev.flywheel.storage.Storage;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * CreateTable, DescribeTable, ListTables, UpdateTable and DeleteTable, with DynamoDB's validation.
 *
 * <p>Tables are usable as soon as CreateTable returns. CreateTable still answers {@code CREATING}
 * (and DeleteTable {@code DELETING}, UpdateTable {@code UPDATING}) as DynamoDB does, so clients that
 * wait for {@code ACTIVE} with DescribeTable behave as they do against DynamoDB, and see it at once.
 */
public final class TableOperations {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final int DEFAULT_LIST_LIMIT = 100;

    private final Catalog catalog;
    private final Clock clock;
    private final TableDescriptions descriptions;
    private final Encryption encryption;
    private final StreamCatalog streams;

    /** {@code encryption} null: tables are stored in the clear, and SSESpecification is refused (engine tests). */
    public TableOperations(Catalog catalog, StreamCatalog streams, Storage storage, Clock clock, Encryption encryption) {
        this(catalog, streams, storage, clock, encryption, new ReplicaCopyProgress());
    }

    /** @param copies the first copies to new replicas of global tables, whose progress DescribeTable shows */
    public TableOperations(Catalog catalog, StreamCatalog streams, Storage storage, Clock clock, Encryption encryption,
                           ReplicaCopyProgress copies) {
        this.catalog = catalog;
        this.streams = streams;
        this.clock = clock;
        this.encryption = encryption;
        this.descriptions = new TableDescriptions(catalog.arns(), storage, encryption, copies);
    }

    public CreateTableOutput createTable(CreateTableInput request) {
        TableNames.validate(request.tableName());
        StreamSpecifications.validateForCreateTable(request.streamSpecification());
        Unsupported.whenPresent(request.resourcePolicy(), "ResourcePolicy");
        Unsupported.whenPresent(request.warmThroughput(), "WarmThroughput");
        Unsupported.whenPresent(request.onDemandThroughput(), "OnDemandThroughput");
        Unsupported.whenPresent(request.globalTableSourceArn(), "GlobalTableSourceArn");

        List<KeySchemaElement> keySchema = request.keySchema();
        if (keySchema.size() > 2) {
            throw new ValidationException("1 validation error detected: Value '" + keySchema + "' at 'keySchema' failed to"
                    + " satisfy constraint: Member must have length less than or equal to 2");
        }
        KeyAttribute hash = null, range = null;
        Map<String, String> definitions = attributeDefinitions(request.attributeDefinitions());
        if (!"HASH".equals(keySchema.get(0).keyType())) {
            throw new ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
        if (keySchema.size() == 2) {
            if (!"RANGE".equals(keySchema.get(1).keyType())) {
                throw new ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
            }
            if (keySchema.get(0).attributeName().equals(keySchema.get(1).attributeName())) {
                throw new ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name");
            }
        }
        List<String> keyNames = keySchema.stream().map(KeySchemaElement::attributeName).toList();
        if (!definitions.keySet().containsAll(keyNames)) {
            if (keyNames.size() == 2) {
                throw new ValidationException("Invalid KeySchema: Some index key attribute have no definition");
            }
            throw new ValidationException(INVALID + "Some index key attributes are not defined in AttributeDefinitions. Keys: "
                    + keyNames + ", AttributeDefinitions: " + List.copyOf(definitions.keySet()));
        }
        List<GlobalIndexRequests.Requested> requestedIndexes = request.globalSecondaryIndexes() == null ? null
                : request.globalSecondaryIndexes().stream().map(g -> new GlobalIndexRequests.Requested(g.indexName(),
                        g.keySchema(), g.projection(), g.provisionedThroughput())).toList();
        if (requestedIndexes == null && request.localSecondaryIndexes() == null && definitions.size() != keyNames.size()) {
            throw new ValidationException(INVALID + "Number of attributes in KeySchema does not exactly match number of"
                    + " attributes defined in AttributeDefinitions");
        }
        hash = new KeyAttribute(keyNames.get(0), definitions.get(keyNames.get(0)));
        if (keyNames.size() == 2) range = new KeyAttribute(keyNames.get(1), definitions.get(keyNames.get(1)));

        String billingMode = request.billingMode() == null ? TableDefinition.PROVISIONED : request.billingMode();
        long read = 0, write = 0;
        ProvisionedThroughput throughput = request.provisionedThroughput();
        if (billingMode.equals(TableDefinition.PROVISIONED)) {
            if (throughput == null) {
                throw new ValidationException(INVALID + "ReadCapacityUnits and WriteCapacityUnits must both be specified"
                        + " when BillingMode is PROVISIONED");
            }
            read = throughput.readCapacityUnits();
            write = throughput.writeCapacityUnits();
        } else if (throughput != null) {
            throw new ValidationException(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified"
                    + " when BillingMode is PAY_PER_REQUEST");
        }
        List<LocalIndex> localIndexes = List.of();
        if (request.localSecondaryIndexes() != null) {
            localIndexes = LocalIndexRequests.forCreateTable(request.localSecondaryIndexes(), new KeySchema(hash, range),
                    definitions);
        }
        List<GlobalIndex> indexes = List.of();
        if (requestedIndexes != null) {
            indexes = GlobalIndexRequests.forCreateTable(requestedIndexes, definitions, billingMode, localIndexes);
        } else {
            GlobalIndexRequests.checkProjectedAttributes(localIndexes);
        }
        if (requestedIndexes != null || !localIndexes.isEmpty()) {
            List<SecondaryIndex> all = new java.util.ArrayList<>(localIndexes);
            all.addAll(indexes);
            GlobalIndexRequests.checkAllDefinitionsUsed(new KeySchema(hash, range), all, definitions);
        }
        Map<String, String> tags = Tags.validated(Map.of(), request.tags());
        if (catalog.find(request.tableName()) != null) {
            throw new ResourceInUseException("Table already exists: " + request.tableName());
        }
        ManagedKey key = keyFor(request.sseSpecification());
        Instant now = clock.instant();
        long id = catalog.allocateId();
        // Before the table exists: no row can be written under another key first.
        if (encryption != null) encryption.protect(id, key);
        TableDefinition table = new TableDefinition(id, request.tableName(), UUID.randomUUID().toString(),
                hash, range, definitions, billingMode, read, write, now,
                billingMode.equals(TableDefinition.PAY_PER_REQUEST) ? now : null, null, null, 0,
                Boolean.TRUE.equals(request.deletionProtectionEnabled()),
                request.tableClass() == null ? TableDefinition.STANDARD : request.tableClass(), null, tags,
                withStorage(indexes), localIndexes.stream().map(i -> i.withStorageId(catalog.allocateId())).toList(),
                null, null, null);
        if (StreamSpecifications.enables(request.streamSpecification())) {
            table = table.withStream(streams.create(table, request.streamSpecification().streamViewType(), now));
        }
        try {
            catalog.create(table);
        } catch (RuntimeException e) {
            if (table.stream() != null) streams.forget(table.stream().logId());
            throw e;
        }
        return new CreateTableOutput(descriptions.describe(table, "CREATING", false));
    }

    /** The managed key an SSESpecification names (null without encryption, which refuses one that enables SSE). */
    private ManagedKey keyFor(SSESpecification sse) {
        if (encryption != null) return encryption.keyFor(sse);
        Unsupported.whenTrue(sse != null && Boolean.TRUE.equals(sse.enabled()), "SSESpecification");
        return null;
    }

    /** Each index with a storage id of its own, allocated once the request is known to be valid. */
    private List<GlobalIndex> withStorage(List<GlobalIndex> indexes) {
        return indexes.stream().map(i -> new GlobalIndex(i.name(), catalog.allocateId(), i.keySchema(), i.projectionType(),
                i.nonKeyAttributes(), i.readCapacityUnits(), i.writeCapacityUnits(), i.status())).toList();
    }

    private static Map<String, String> attributeDefinitions(List<AttributeDefinition> given) {
        Map<String, String> definitions = new LinkedHashMap<>();
        for (AttributeDefinition d : given) {
            if (definitions.put(d.attributeName(), d.attributeType()) != null) {
                throw new ValidationException("Attribute Name is duplicated: " + d.attributeName());
            }
        }
        return definitions;
    }

    /** DescribeTable's description of {@code table}, with {@code status} (for operations elsewhere, as global tables). */
    public dev.flywheel.model.shapes.TableDescription describe(TableDefinition table, String status) {
        return descriptions.describe(table, status, true);
    }

    public DescribeTableOutput describeTable(DescribeTableInput request) {
        TableDefinition table = catalog.requireForControlPlane(request.tableName());
        return new DescribeTableOutput(descriptions.describe(table, "ACTIVE", true));
    }

    public ListTablesOutput listTables(ListTablesInput request) {
        int limit = request.limit() == null ? DEFAULT_LIST_LIMIT : request.limit();
        List<String> names = catalog.names(request.exclusiveStartTableName(), limit);
        String last = names.size() == limit && catalog.hasTableAfter(names.getLast()) ? names.getLast() : null;
        return new ListTablesOutput(names, last);
    }

    public UpdateTableOutput updateTable(UpdateTableInput request) {
        if (encryption == null) Unsupported.whenPresent(request.sseSpecification(), "SSESpecification");
        Unsupported.whenPresent(request.replicaUpdates(), "ReplicaUpdates");
        Unsupported.whenPresent(request.multiRegionConsistency(), "MultiRegionConsistency");
        Unsupported.whenPresent(request.globalTableWitnessUpdates(), "GlobalTableWitnessUpdates");
        Unsupported.whenPresent(request.onDemandThroughput(), "OnDemandThroughput");
        Unsupported.whenPresent(request.warmThroughput(), "WarmThroughput");
        Unsupported.whenPresent(request.globalTableSettingsReplicationMode(), "GlobalTableSettingsReplicationMode");
        List<GlobalSecondaryIndexUpdate> indexUpdates = request.globalSecondaryIndexUpdates();
        if (request.billingMode() == null && request.provisionedThroughput() == null && request.tableClass() == null
                && request.deletionProtectionEnabled() == null && indexUpdates == null && request.sseSpecification() == null
                && request.streamSpecification() == null) {
            throw new ValidationException("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled,"
                    + " GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
        }
        ManagedKey newKey = request.sseSpecification() == null ? null : encryption.keyFor(request.sseSpecification());
        boolean changesTableCapacity = request.billingMode() != null || request.provisionedThroughput() != null;
        if (indexUpdates != null) GlobalIndexUpdates.validate(indexUpdates, changesTableCapacity);
        StreamSpecifications.validateForUpdateTable(request.streamSpecification(),
                request.provisionedThroughput() != null || TableDefinition.PROVISIONED.equals(request.billingMode()),
                indexUpdates != null && indexUpdates.stream().anyMatch(u -> u.create() != null || u.delete() != null));
        Instant now = clock.instant();
        boolean[] changesCapacity = {false};
        TableDefinition updated = catalog.update(request.tableName(), current -> {
            TableDefinition t = current;
            if (changesTableCapacity) {
                t = updateBilling(t, request.billingMode(), request.provisionedThroughput(), now);
                changesCapacity[0] = true;
            }
            if (changesTableCapacity || indexUpdates != null) {
                t = GlobalIndexUpdates.apply(t, current.billingMode(), indexUpdates, request.attributeDefinitions(),
                        catalog::allocateId);
                changesCapacity[0] = true;
            }
            if (request.tableClass() != null && !request.tableClass().equals(t.tableClass())) {
                t = t.withTableClass(request.tableClass(), now);
                changesCapacity[0] = true;
            }
            if (request.deletionProtectionEnabled() != null) {
                t = t.withDeletionProtection(request.deletionProtectionEnabled());
            }
            if (newKey != null && !newKey.id().equals(encryption.keyOf(t.id()).id())) {
                // Under the catalog's lock: a GSI created at the same time gets its data key under the new key.
                encryption.switchKey(storageIds(t), newKey);
                changesCapacity[0] = true;
            }
            if (request.streamSpecification() != null) {
                // Last: it creates a stream, which nothing after it may abandon.
                t = StreamSpecifications.apply(t, request.streamSpecification(), streams, now);
                changesCapacity[0] = true;
            }
            return t;
        });
        if (request.streamSpecification() != null && !updated.hasEnabledStream() && updated.stream() != null) {
            // Writes that saw the stream enabled may still be appending: its last shard ends after them.
            catalog.awaitWritesInFlight();
            streams.disable(updated.stream().logId(), now);
        }
        return new UpdateTableOutput(descriptions.describe(updated, changesCapacity[0] ? "UPDATING" : "ACTIVE", true));
    }

    private static List<Long> storageIds(TableDefinition t) {
        List<Long> ids = new java.util.ArrayList<>();
        ids.add(t.id());
        ids.add(t.lockTableId()); // every write checks it: its key must follow the table's
        for (GlobalIndex index : t.globalIndexes()) ids.add(index.storageId());
        for (LocalIndex index : t.localIndexes()) ids.add(index.storageId());
        return ids;
    }

    private static TableDefinition updateBilling(TableDefinition t, String requestedMode, ProvisionedThroughput throughput,
                                                 Instant now) {
        String mode = requestedMode == null ? t.billingMode() : requestedMode;
        if (mode.equals(TableDefinition.PAY_PER_REQUEST)) {
            if (throughput != null) {
                throw new ValidationException(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be"
                        + " specified when BillingMode is PAY_PER_REQUEST");
            }
            if (t.billingMode().equals(TableDefinition.PAY_PER_REQUEST)) return t;
            return t.withBilling(mode, 0, 0, now, t.lastIncrease(), t.lastDecrease(), t.decreasesToday());
        }
        if (throughput == null) {
            if (t.billingMode().equals(TableDefinition.PROVISIONED)) return t;
            throw new ValidationException(INVALID + "ProvisionedThroughput must be specified when BillingMode is PROVISIONED");
        }
        long read = throughput.readCapacityUnits(), write = throughput.writeCapacityUnits();
        if (t.billingMode().equals(TableDefinition.PROVISIONED) && read == t.readCapacityUnits()
                && write == t.writeCapacityUnits()) {
            throw new ValidationException("The provisioned throughput for the table will not change. The requested value"
                    + " equals the current value. Current ReadCapacityUnits provisioned for the table: "
                    + t.readCapacityUnits() + ". Requested ReadCapacityUnits: " + read
                    + ". Current WriteCapacityUnits provisioned for the table: " + t.writeCapacityUnits()
                    + ". Requested WriteCapacityUnits: " + write + ". Refer to the Amazon DynamoDB Developer Guide for"
                    + " current limits and how to request higher limits.");
        }
        boolean increase = read > t.readCapacityUnits() || write > t.writeCapacityUnits();
        boolean decrease = read < t.readCapacityUnits() || write < t.writeCapacityUnits();
        return t.withBilling(TableDefinition.PROVISIONED, read, write, t.lastUpdateToPayPerRequest(),
                increase ? now : t.lastIncrease(), decrease ? now : t.lastDecrease(),
                t.decreasesToday() + (decrease ? 1 : 0));
    }

    public DeleteTableOutput deleteTable(DeleteTableInput request) {
        TableDefinition table = catalog.requireForControlPlane(request.tableName());
        if (table.deletionProtection()) {
            throw new ResourceInUseException("Resource cannot be deleted as it is currently protected against deletion."
                    + " Disable deletion protection first.");
        }
        DeleteTableOutput output = new DeleteTableOutput(descriptions.describe(table, "DELETING", true));
        catalog.delete(table);
        // The stream stays readable for 24 hours; deletion waited for the writes in flight, so its log has ended.
        if (table.hasEnabledStream()) streams.disable(table.stream().logId(), clock.instant());
        return output;
    }
}

package dev.flywheel.engine.table;

import dev.flywheel.engine.Unsupported;
import dev.flywheel.model.DynamoDbException.LimitExceededException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateGlobalSecondaryIndexAction;
import dev.flywheel.model.shapes.GlobalSecondaryIndexUpdate;
import dev.flywheel.model.shapes.ProvisionedThroughput;
import dev.flywheel.model.shapes.UpdateGlobalSecondaryIndexAction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * UpdateTable's GlobalSecondaryIndexUpdates: Create adds an index as CREATING (backfilled in the
 * background, then ACTIVE), Delete marks one DELETING (dropped in the background, then gone), Update
 * changes an index's provisioned throughput. As in DynamoDB, one index at a time is created or deleted
 * per table. Messages are DynamoDB's where they were found (docs/dynamodb-error-messages.md §1.5 and the
 * catalogue cited there); the others are marked.
 */
final class GlobalIndexUpdates {
    private static final String INVALID = "One or more parameter values were invalid: ";
    private static final String ONE_AT_A_TIME =
            "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table";

    private GlobalIndexUpdates() {}

    /** The request's own rules, checked before the table is read. */
    static void validate(List<GlobalSecondaryIndexUpdate> updates, boolean changesTableCapacity) {
        if (updates.isEmpty()) throw new ValidationException(INVALID + "List of GlobalSecondaryIndexUpdates is empty");
        Set<String> names = new HashSet<>();
        int createsAndDeletes = 0;
        for (GlobalSecondaryIndexUpdate u : updates) {
            int actions = (u.create() != null ? 1 : 0) + (u.delete() != null ? 1 : 0) + (u.update() != null ? 1 : 0);
            if (actions == 0) {
                throw new ValidationException(INVALID + "One of GlobalSecondaryIndexUpdate.Update,"
                        + " GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null");
            }
            if (actions > 1) {
                throw new ValidationException(INVALID + "Only one global secondary index action is allowed per"
                        + " GlobalSecondaryIndexUpdate object");
            }
            String name = u.create() != null ? u.create().indexName()
                    : u.delete() != null ? u.delete().indexName() : u.update().indexName();
            if (!names.add(name)) {
                throw new ValidationException(INVALID + "Only one global secondary index update per index is allowed"
                        + " simultaneously. Index: " + name);
            }
            if (u.update() == null) createsAndDeletes++;
        }
        if (createsAndDeletes > 1) throw new LimitExceededException(ONE_AT_A_TIME);
        if (createsAndDeletes > 0 && changesTableCapacity) {
            throw new ValidationException(INVALID + "You cannot create or delete index while updating table IOPS");
        }
    }

    /**
     * {@code t} with the updates applied; {@code billingBefore} is the table's billing mode before this
     * request (a switch to PROVISIONED needs every index's throughput).
     */
    static TableDefinition apply(TableDefinition t, String billingBefore, List<GlobalSecondaryIndexUpdate> updates,
                                 List<AttributeDefinition> definitions, LongSupplier storageIds) {
        checkBillingSwitch(t, billingBefore, updates);
        if (t.billingMode().equals(TableDefinition.PAY_PER_REQUEST) && !billingBefore.equals(t.billingMode())) {
            List<GlobalIndex> onDemand = t.globalIndexes().stream().map(i -> i.withThroughput(0, 0)).toList();
            t = t.withGlobalIndexes(onDemand, t.attributeDefinitions());
        }
        if (updates == null) return t;
        for (GlobalSecondaryIndexUpdate u : updates) {
            if (u.create() != null) t = create(t, u.create(), definitions, storageIds);
            else if (u.delete() != null) t = delete(t, u.delete().indexName());
            else t = update(t, u.update());
        }
        return t;
    }

    private static void checkBillingSwitch(TableDefinition t, String billingBefore, List<GlobalSecondaryIndexUpdate> updates) {
        if (!t.billingMode().equals(TableDefinition.PROVISIONED) || billingBefore.equals(TableDefinition.PROVISIONED)) return;
        Set<String> given = new HashSet<>();
        if (updates != null) {
            for (GlobalSecondaryIndexUpdate u : updates) {
                if (u.update() != null && u.update().provisionedThroughput() != null) given.add(u.update().indexName());
            }
        }
        List<String> missing = t.globalIndexes().stream().map(GlobalIndex::name).filter(n -> !given.contains(n)).toList();
        if (!missing.isEmpty()) {
            throw new ValidationException(INVALID + "ProvisionedThroughput must be specified for index: "
                    + String.join(",", missing));
        }
    }

    private static void checkNoIndexChanging(TableDefinition t) {
        for (GlobalIndex index : t.globalIndexes()) {
            if (index.status() != GlobalIndex.Status.ACTIVE) throw new LimitExceededException(ONE_AT_A_TIME);
        }
    }

    private static TableDefinition create(TableDefinition t, CreateGlobalSecondaryIndexAction action,
                                          List<AttributeDefinition> requested, LongSupplier storageIds) {
        Unsupported.whenPresent(action.onDemandThroughput(), "OnDemandThroughput");
        Unsupported.whenPresent(action.warmThroughput(), "WarmThroughput");
        if (t.globalIndex(action.indexName()) != null || t.localIndex(action.indexName()) != null) {
            throw new ValidationException("Attempting to create an index which already exists");
        }
        checkNoIndexChanging(t);
        if (t.globalIndexes().size() >= GlobalIndexRequests.MAX_GLOBAL_INDEXES) {
            // Wording not confirmed: DynamoDB answers LimitExceededException here.
            throw new LimitExceededException("GlobalSecondaryIndex count exceeds the per-table limit of "
                    + GlobalIndexRequests.MAX_GLOBAL_INDEXES);
        }
        Map<String, String> definitions = merged(t, action, requested);
        GlobalIndex index = GlobalIndexRequests.validate(new GlobalIndexRequests.Requested(action.indexName(),
                action.keySchema(), action.projection(), action.provisionedThroughput()), definitions, t.billingMode(),
                GlobalIndex.Status.CREATING);
        List<GlobalIndex> indexes = new ArrayList<>(t.globalIndexes());
        indexes.add(new GlobalIndex(index.name(), storageIds.getAsLong(), index.keySchema(), index.projectionType(),
                index.nonKeyAttributes(), index.readCapacityUnits(), index.writeCapacityUnits(), index.status()));
        List<SecondaryIndex> all = new ArrayList<>(t.localIndexes());
        all.addAll(indexes);
        GlobalIndexRequests.checkProjectedAttributes(all);
        GlobalIndexRequests.checkAllDefinitionsUsed(t.keySchema(), all, definitions);
        return t.withGlobalIndexes(indexes, definitions);
    }

    /** The table's attribute definitions plus the request's, which may add but not redefine. */
    private static Map<String, String> merged(TableDefinition t, CreateGlobalSecondaryIndexAction action,
                                              List<AttributeDefinition> requested) {
        Map<String, String> definitions = new LinkedHashMap<>(t.attributeDefinitions());
        if (requested == null) {
            boolean defined = action.keySchema().stream().allMatch(k -> definitions.containsKey(k.attributeName()));
            if (!defined) {
                throw new ValidationException(INVALID + "AttributeDefinitions is not specified for index: " + action.indexName());
            }
            return definitions;
        }
        for (AttributeDefinition d : requested) {
            String existing = definitions.putIfAbsent(d.attributeName(), d.attributeType());
            if (existing != null && !existing.equals(d.attributeType())) {
                // Wording not confirmed.
                throw new ValidationException(INVALID + "Attribute " + d.attributeName() + " is already defined with"
                        + " type " + existing + ", not " + d.attributeType());
            }
        }
        return definitions;
    }

    private static TableDefinition delete(TableDefinition t, String name) {
        GlobalIndex index = t.globalIndex(name);
        if (index == null) throw new ValidationException("Cannot delete an index that is not a GlobalSecondaryIndex: " + name);
        // An index being created may be deleted (its backfill stops); otherwise one change at a time.
        for (GlobalIndex other : t.globalIndexes()) {
            if (other != index && other.status() != GlobalIndex.Status.ACTIVE) throw new LimitExceededException(ONE_AT_A_TIME);
        }
        if (index.status() == GlobalIndex.Status.DELETING) throw new LimitExceededException(ONE_AT_A_TIME);
        return t.withGlobalIndex(name, i -> i.withStatus(GlobalIndex.Status.DELETING));
    }

    private static TableDefinition update(TableDefinition t, UpdateGlobalSecondaryIndexAction action) {
        Unsupported.whenPresent(action.onDemandThroughput(), "OnDemandThroughput");
        Unsupported.whenPresent(action.warmThroughput(), "WarmThroughput");
        GlobalIndex index = t.globalIndex(action.indexName());
        if (index == null) {
            throw new ValidationException("Cannot update an index that is not a GlobalSecondaryIndex: " + action.indexName());
        }
        ProvisionedThroughput throughput = action.provisionedThroughput();
        if (throughput == null) {
            throw new ValidationException(INVALID + "ProvisionedThroughput must be specified for index: " + index.name());
        }
        if (t.billingMode().equals(TableDefinition.PAY_PER_REQUEST)) {
            throw new ValidationException(INVALID + "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for"
                    + " index: " + index.name() + " when BillingMode is PAY_PER_REQUEST");
        }
        long read = throughput.readCapacityUnits(), write = throughput.writeCapacityUnits();
        if (read == index.readCapacityUnits() && write == index.writeCapacityUnits()) {
            // The table's message, for the index (its beginning is confirmed, the rest follows the table's).
            throw new ValidationException("The provisioned throughput for the index " + index.name() + " will not change."
                    + " The requested value equals the current value. Current ReadCapacityUnits provisioned for the index: "
                    + index.readCapacityUnits() + ". Requested ReadCapacityUnits: " + read + ". Current WriteCapacityUnits"
                    + " provisioned for the index: " + index.writeCapacityUnits() + ". Requested WriteCapacityUnits: "
                    + write + ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request"
                    + " higher limits.");
        }
        return t.withGlobalIndex(index.name(), i -> i.withThroughput(read, write));
    }
}

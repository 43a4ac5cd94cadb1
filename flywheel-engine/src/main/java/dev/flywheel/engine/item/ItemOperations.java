package dev.flywheel.engine.item;

import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.expressions.LegacyConditions;
import dev.flywheel.engine.index.LocalIndexWrites;
import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.ConditionEvaluator;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.expression.Projection;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.expression.UpdateAction;
import dev.flywheel.expression.UpdateEvaluator;
import dev.flywheel.expression.UpdateExpression;
import dev.flywheel.expression.UpdateResult;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ConditionalCheckFailedException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeValueUpdate;
import dev.flywheel.model.shapes.ConsumedCapacity;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.DeleteItemOutput;
import dev.flywheel.model.shapes.ExpectedAttributeValue;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GetItemOutput;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutItemOutput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.model.shapes.UpdateItemOutput;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PutItem, GetItem, DeleteItem and UpdateItem. Every request is validated completely (expressions
 * parsed and resolved, legacy parameters translated) before any I/O; writes go through
 * {@link ItemStore#write}, so conditions are evaluated against exactly the item a write replaces.
 */
public final class ItemOperations {
    private final Catalog catalog;
    private final ItemStore items;
    private final ParsedExpressions parsed;

    public ItemOperations(Catalog catalog, ItemStore items, ParsedExpressions parsed) {
        this.catalog = catalog;
        this.items = items;
        this.parsed = parsed;
    }

    public PutItemOutput putItem(PutItemInput request) {
        ParameterRules.check()
                .legacy("Expected", request.expected()).legacy("ConditionalOperator", request.conditionalOperator())
                .expression("ConditionExpression", request.conditionExpression())
                .done(request.expressionAttributeNames(), request.expressionAttributeValues());
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.NONE, ReturnValues.ALL_OLD);
        TableDefinition table = catalog.require(request.tableName());
        Map<String, AttributeValue> item = AttributeValues.normalize(request.item());
        ItemKey key = ItemKey.ofItem(table, item);
        IndexKeyChecks.checkItem(table, item);
        long size = checkSize(item, "Item size has exceeded the maximum allowed size");
        Condition condition = condition(request.conditionExpression(), request.expected(), request.conditionalOperator(),
                request.expressionAttributeNames(), request.expressionAttributeValues());
        ItemStore.Change change = replaceIf(table, key, condition, request.returnValuesOnConditionCheckFailure(), item);
        long old = change.oldItem() == null ? 0 : ItemSize.of(change.oldItem());
        return new PutItemOutput(returnValues == ReturnValues.ALL_OLD ? change.oldItem() : null,
                writeCapacity(request.returnConsumedCapacity(), table, CapacityUnits.write(Math.max(size, old)), change),
                items.collectionMetrics(request.returnItemCollectionMetrics(), table, key));
    }

    public GetItemOutput getItem(GetItemInput request) {
        ParameterRules.check()
                .legacy("AttributesToGet", request.attributesToGet())
                .projection(request.projectionExpression())
                .done(request.expressionAttributeNames(), null);
        TableDefinition table = catalog.require(request.tableName());
        if (request.attributesToGet() != null) checkNoDuplicates(request.attributesToGet());
        ProjectionExpression projection = null;
        if (request.projectionExpression() != null) {
            RequestExpressions expressions = RequestExpressions.of(parsed, request.expressionAttributeNames(), null);
            projection = expressions.projection(request.projectionExpression());
            expressions.checkAllUsed();
        }
        ItemKey key = ItemKey.ofKey(table, request.key());
        byte[] stored = items.getStored(table, key, ItemStore.consistency(request.consistentRead()));
        boolean consistent = Boolean.TRUE.equals(request.consistentRead());
        double units = CapacityUnits.read(stored == null ? 0 : ItemCodec.size(stored), consistent);
        // With a projection only the attributes it names are decoded.
        Map<String, AttributeValue> returned = stored == null ? null
                : projection != null ? Projection.apply(projection, ItemCodec.decode(stored, projection.topLevelNames()))
                : request.attributesToGet() != null
                ? AttributesToGet.apply(ItemCodec.decode(stored, new HashSet<>(request.attributesToGet())), request.attributesToGet())
                : ItemCodec.decode(stored);
        return new GetItemOutput(returned, ConsumedCapacities.read(request.returnConsumedCapacity(), table.name(), units));
    }

    public DeleteItemOutput deleteItem(DeleteItemInput request) {
        ParameterRules.check()
                .legacy("Expected", request.expected()).legacy("ConditionalOperator", request.conditionalOperator())
                .expression("ConditionExpression", request.conditionExpression())
                .done(request.expressionAttributeNames(), request.expressionAttributeValues());
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.NONE, ReturnValues.ALL_OLD);
        TableDefinition table = catalog.require(request.tableName());
        ItemKey key = ItemKey.ofKey(table, request.key());
        Condition condition = condition(request.conditionExpression(), request.expected(), request.conditionalOperator(),
                request.expressionAttributeNames(), request.expressionAttributeValues());
        ItemStore.Change change = replaceIf(table, key, condition, request.returnValuesOnConditionCheckFailure(), null);
        long old = change.oldItem() == null ? 0 : ItemSize.of(change.oldItem());
        return new DeleteItemOutput(returnValues == ReturnValues.ALL_OLD ? change.oldItem() : null,
                writeCapacity(request.returnConsumedCapacity(), table, CapacityUnits.write(old), change),
                items.collectionMetrics(request.returnItemCollectionMetrics(), table, key));
    }

    public UpdateItemOutput updateItem(UpdateItemInput request) {
        ParameterRules.check()
                .legacy("AttributeUpdates", request.attributeUpdates())
                .legacy("Expected", request.expected()).legacy("ConditionalOperator", request.conditionalOperator())
                .expression("UpdateExpression", request.updateExpression())
                .expression("ConditionExpression", request.conditionExpression())
                .done(request.expressionAttributeNames(), request.expressionAttributeValues());
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.values());
        TableDefinition table = catalog.require(request.tableName());
        ItemKey key = ItemKey.ofKey(table, request.key());
        Update update;
        Condition condition;
        if (request.attributeUpdates() != null || request.expected() != null) {
            Map<String, AttributeValueUpdate> legacy = request.attributeUpdates() == null
                    ? Map.of() : LegacyAttributeUpdates.validate(table, request.attributeUpdates());
            update = Update.legacy(legacy);
            condition = request.expected() == null ? null
                    : LegacyConditions.fromExpected(request.expected(), request.conditionalOperator());
        } else {
            RequestExpressions expressions = RequestExpressions.of(parsed, request.expressionAttributeNames(),
                    request.expressionAttributeValues());
            UpdateExpression expression = expressions.update(request.updateExpression());
            condition = request.conditionExpression() == null ? null
                    : expressions.condition(request.conditionExpression()).condition();
            expressions.checkAllUsed();
            if (expression != null) checkKeyNotUpdated(table, expression);
            update = expression == null ? Update.legacy(Map.of()) : Update.of(expression);
        }
        boolean returnOldOnFailure = returnOldOnFailure(request.returnValuesOnConditionCheckFailure());
        // The paths the update changed, as computed on the item the write finally replaced.
        List<List<DocumentPath>> updatedPaths = new java.util.ArrayList<>(List.of(List.of()));
        ItemStore.Change change = items.write(table, key, old -> {
            check(condition, old, returnOldOnFailure);
            UpdateResult result = update.apply(old == null ? key.attributes() : old);
            IndexKeyChecks.checkUpdated(table, result.item());
            checkSize(result.item(), "Item size to update has exceeded the maximum allowed size");
            updatedPaths.set(0, result.updatedPaths());
            return result.item();
        });
        long size = Math.max(ItemSize.of(change.newItem()), change.oldItem() == null ? 0 : ItemSize.of(change.oldItem()));
        Map<String, AttributeValue> attributes = switch (returnValues) {
            case NONE -> null;
            case ALL_OLD -> change.oldItem();
            case ALL_NEW -> change.newItem();
            case UPDATED_OLD -> change.oldItem() == null ? null : Projection.apply(updatedPaths.getFirst(), change.oldItem());
            case UPDATED_NEW -> Projection.apply(updatedPaths.getFirst(), change.newItem());
        };
        return new UpdateItemOutput(attributes == null || attributes.isEmpty() ? null : attributes,
                writeCapacity(request.returnConsumedCapacity(), table, CapacityUnits.write(size), change),
                items.collectionMetrics(request.returnItemCollectionMetrics(), table, key));
    }

    /** A write's ConsumedCapacity: the table's units, and the local indexes' that its change wrote. */
    private static ConsumedCapacity writeCapacity(String returnConsumedCapacity, TableDefinition table, double tableUnits,
                                                  ItemStore.Change change) {
        if (returnConsumedCapacity == null || returnConsumedCapacity.equals("NONE")) return null;
        return ConsumedCapacities.writeWithLocalIndexes(returnConsumedCapacity, table.name(), tableUnits,
                LocalIndexWrites.writeCapacity(table, change.oldItem(), change.newItem()));
    }

    /** An UpdateItem's change: an UpdateExpression, or legacy AttributeUpdates, applied to the current item. */
    private interface Update {
        UpdateResult apply(Map<String, AttributeValue> item);

        static Update of(UpdateExpression expression) {
            return item -> UpdateEvaluator.apply(expression, item);
        }

        static Update legacy(Map<String, AttributeValueUpdate> updates) {
            List<DocumentPath> paths = updates.keySet().stream().map(DocumentPath::of).toList();
            return item -> {
                Map<String, AttributeValue> updated = new LinkedHashMap<>(item);
                LegacyAttributeUpdates.apply(updates, updated);
                return new UpdateResult(updated, paths);
            };
        }
    }

    /** DynamoDB refuses updates to key attributes, and inside index key attributes, before reading the item. */
    public static void checkKeyNotUpdated(TableDefinition table, UpdateExpression update) {
        for (UpdateAction action : update.actions()) {
            String name = action.path().topLevelName();
            if (action.path().elements().size() > 1 && table.isIndexKeyAttribute(name)) {
                throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.'"
                        + " are not allowed: IndexKey: " + name);
            }
            if (!table.isKeyAttribute(name)) continue;
            if (action.path().elements().size() > 1) {
                throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.'"
                        + " are not allowed: Key: " + name);
            }
            throw new ValidationException("One or more parameter values were invalid: Cannot update attribute " + name
                    + ". This attribute is part of the key");
        }
    }

    /** The request's condition as one tree: its ConditionExpression, or its legacy Expected. */
    private Condition condition(String expression, Map<String, ExpectedAttributeValue> expected, String conditionalOperator,
                                Map<String, String> names, Map<String, AttributeValue> values) {
        if (expected != null) return LegacyConditions.fromExpected(expected, conditionalOperator);
        RequestExpressions expressions = RequestExpressions.of(parsed, names, values);
        Condition condition = expression == null ? null : expressions.condition(expression).condition();
        expressions.checkAllUsed();
        return condition;
    }

    /** PutItem's and DeleteItem's write: the item becomes {@code newItem} (null: deleted) if the condition holds. */
    private ItemStore.Change replaceIf(TableDefinition table, ItemKey key, Condition condition,
                                       String returnValuesOnConditionCheckFailure, Map<String, AttributeValue> newItem) {
        boolean returnOldOnFailure = returnOldOnFailure(returnValuesOnConditionCheckFailure);
        return items.write(table, key, old -> {
            check(condition, old, returnOldOnFailure);
            return newItem;
        });
    }

    private static void check(Condition condition, Map<String, AttributeValue> old, boolean returnOldOnFailure) {
        if (condition == null) return;
        if (!ConditionEvaluator.evaluate(condition, old == null ? Map.of() : old)) {
            throw new ConditionalCheckFailedException("The conditional request failed", returnOldOnFailure ? old : null);
        }
    }

    private static boolean returnOldOnFailure(String returnValuesOnConditionCheckFailure) {
        return "ALL_OLD".equals(returnValuesOnConditionCheckFailure);
    }

    private static long checkSize(Map<String, AttributeValue> item, String message) {
        long size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) throw new ValidationException(message);
        return size;
    }

    private static void checkNoDuplicates(List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String name : names) {
            if (!seen.add(name)) {
                throw new ValidationException("One or more parameter values were invalid: Duplicate value in attribute name: " + name);
            }
        }
    }
}

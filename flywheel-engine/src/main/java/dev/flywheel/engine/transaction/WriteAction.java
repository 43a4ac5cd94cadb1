package dev.flywheel.engine.transaction;

import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.engine.item.IndexKeyChecks;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemOperations;
import dev.flywheel.engine.item.ItemSize;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.ConditionEvaluator;
import dev.flywheel.expression.UpdateEvaluator;
import dev.flywheel.expression.UpdateExpression;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ConditionalCheckFailedException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.TransactWriteItem;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * One action of a TransactWriteItems request (Put, Update, Delete or ConditionCheck), validated
 * completely before any I/O, as the single-item operations are: {@link #apply} then computes the
 * item's new image from its current one, or throws as the condition or the update demands.
 *
 * @param item Put's new item (null otherwise)
 * @param update Update's expression (null otherwise)
 * @param condition the ConditionExpression, resolved (null: none)
 */
record WriteAction(Kind kind, TableDefinition table, ItemKey key, Map<String, AttributeValue> item,
                   UpdateExpression update, Condition condition, boolean returnOldOnFailure, long requestBytes) {

    enum Kind { PUT, UPDATE, DELETE, CONDITION_CHECK }

    /** The new image of an item whose current image is {@code old} (null: absent); null deletes it. */
    Map<String, AttributeValue> apply(Map<String, AttributeValue> old) {
        if (condition != null && !ConditionEvaluator.evaluate(condition, old == null ? Map.of() : old)) {
            throw new ConditionalCheckFailedException("The conditional request failed", returnOldOnFailure ? old : null);
        }
        return switch (kind) {
            case PUT -> item;
            case DELETE -> null;
            case CONDITION_CHECK -> old;
            case UPDATE -> {
                Map<String, AttributeValue> updated = UpdateEvaluator.apply(update, old == null ? key.attributes() : old).item();
                IndexKeyChecks.checkUpdated(table, updated);
                if (ItemSize.of(updated) > ItemSize.MAX_ITEM_BYTES) {
                    throw new ValidationException("Item size to update has exceeded the maximum allowed size");
                }
                yield updated;
            }
        };
    }

    /** Validates one TransactItems member into its action, with the single-item operations' rules and messages. */
    static WriteAction of(TransactWriteItem request, Catalog catalog, ParsedExpressions parsed) {
        long given = Stream.of(request.put(), request.update(), request.delete(), request.conditionCheck())
                .filter(Objects::nonNull).count();
        if (given != 1) {
            // dynalite's wording, as captured from DynamoDB (unverified here).
            throw new ValidationException("TransactItems can only contain one of Check, Put, Update or Delete");
        }
        if (request.put() != null) {
            var put = request.put();
            ParameterRules.check().expression("ConditionExpression", put.conditionExpression())
                    .done(put.expressionAttributeNames(), put.expressionAttributeValues());
            TableDefinition table = catalog.require(put.tableName());
            Map<String, AttributeValue> item = AttributeValues.normalize(put.item());
            ItemKey key = ItemKey.ofItem(table, item);
            IndexKeyChecks.checkItem(table, item);
            long size = ItemSize.of(item);
            if (size > ItemSize.MAX_ITEM_BYTES) throw new ValidationException("Item size has exceeded the maximum allowed size");
            Condition condition = condition(parsed, put.conditionExpression(), put.expressionAttributeNames(),
                    put.expressionAttributeValues());
            return new WriteAction(Kind.PUT, table, key, item, null, condition,
                    returnOld(put.returnValuesOnConditionCheckFailure()), size);
        }
        if (request.update() != null) {
            var update = request.update();
            ParameterRules.check().expression("UpdateExpression", update.updateExpression())
                    .expression("ConditionExpression", update.conditionExpression())
                    .done(update.expressionAttributeNames(), update.expressionAttributeValues());
            TableDefinition table = catalog.require(update.tableName());
            ItemKey key = ItemKey.ofKey(table, update.key());
            RequestExpressions expressions = RequestExpressions.of(parsed, update.expressionAttributeNames(),
                    update.expressionAttributeValues());
            UpdateExpression expression = expressions.update(update.updateExpression());
            Condition condition = update.conditionExpression() == null ? null
                    : expressions.condition(update.conditionExpression()).condition();
            expressions.checkAllUsed();
            if (expression == null) throw new ValidationException("Update expression must not be empty"); // guess
            ItemOperations.checkKeyNotUpdated(table, expression);
            return new WriteAction(Kind.UPDATE, table, key, null, expression, condition,
                    returnOld(update.returnValuesOnConditionCheckFailure()), sizeOf(update.key(), update.expressionAttributeValues()));
        }
        if (request.delete() != null) {
            var delete = request.delete();
            ParameterRules.check().expression("ConditionExpression", delete.conditionExpression())
                    .done(delete.expressionAttributeNames(), delete.expressionAttributeValues());
            TableDefinition table = catalog.require(delete.tableName());
            ItemKey key = ItemKey.ofKey(table, delete.key());
            Condition condition = condition(parsed, delete.conditionExpression(), delete.expressionAttributeNames(),
                    delete.expressionAttributeValues());
            return new WriteAction(Kind.DELETE, table, key, null, null, condition,
                    returnOld(delete.returnValuesOnConditionCheckFailure()), sizeOf(delete.key(), delete.expressionAttributeValues()));
        }
        var check = request.conditionCheck();
        ParameterRules.check().expression("ConditionExpression", check.conditionExpression())
                .done(check.expressionAttributeNames(), check.expressionAttributeValues());
        TableDefinition table = catalog.require(check.tableName());
        ItemKey key = ItemKey.ofKey(table, check.key());
        Condition condition = condition(parsed, check.conditionExpression(), check.expressionAttributeNames(),
                check.expressionAttributeValues());
        return new WriteAction(Kind.CONDITION_CHECK, table, key, null, null, condition,
                returnOld(check.returnValuesOnConditionCheckFailure()), sizeOf(check.key(), check.expressionAttributeValues()));
    }

    private static Condition condition(ParsedExpressions parsed, String text, Map<String, String> names,
                                       Map<String, AttributeValue> values) {
        RequestExpressions expressions = RequestExpressions.of(parsed, names, values);
        Condition condition = text == null ? null : expressions.condition(text).condition();
        expressions.checkAllUsed();
        return condition;
    }

    private static boolean returnOld(String returnValuesOnConditionCheckFailure) {
        return "ALL_OLD".equals(returnValuesOnConditionCheckFailure);
    }

    /** What an action without an item counts toward the 4 MB request limit: its key and values. */
    private static long sizeOf(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
        return ItemSize.of(key) + (values == null ? 0 : ItemSize.of(values));
    }
}

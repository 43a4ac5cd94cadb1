package dev.flywheel.engine.item;

import dev.flywheel.engine.Unsupported;
import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeValueUpdate;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.DeleteItemOutput;
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
 * PutItem, GetItem, DeleteItem and UpdateItem. Every request is validated completely before any
 * I/O; writes go through {@link ItemStore#write}, so each sees exactly the item it replaces.
 */
public final class ItemOperations {
    private final Catalog catalog;
    private final ItemStore items;

    public ItemOperations(Catalog catalog, ItemStore items) {
        this.catalog = catalog;
        this.items = items;
    }

    public PutItemOutput putItem(PutItemInput request) {
        Unsupported.whenPresent(request.conditionExpression(), "ConditionExpression");
        Unsupported.whenPresent(request.expected(), "Expected");
        Unsupported.whenPresent(request.conditionalOperator(), "ConditionalOperator");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        Unsupported.whenPresent(request.expressionAttributeValues(), "ExpressionAttributeValues");
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.NONE, ReturnValues.ALL_OLD);
        TableDefinition table = catalog.require(request.tableName());
        Map<String, AttributeValue> item = AttributeValues.normalize(request.item());
        ItemKey key = ItemKey.ofItem(table, item);
        long size = checkSize(item);
        ItemStore.Change change = items.write(table, key, old -> item);
        long old = change.oldItem() == null ? 0 : ItemSize.of(change.oldItem());
        return new PutItemOutput(returnValues == ReturnValues.ALL_OLD ? change.oldItem() : null,
                ConsumedCapacities.write(request.returnConsumedCapacity(), table.name(), CapacityUnits.write(Math.max(size, old))),
                null);
    }

    public GetItemOutput getItem(GetItemInput request) {
        Unsupported.whenPresent(request.projectionExpression(), "ProjectionExpression");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        TableDefinition table = catalog.require(request.tableName());
        List<String> attributesToGet = request.attributesToGet();
        if (attributesToGet != null) checkNoDuplicates(attributesToGet);
        ItemKey key = ItemKey.ofKey(table, request.key());
        Map<String, AttributeValue> item = items.get(table, key);
        boolean consistent = Boolean.TRUE.equals(request.consistentRead());
        double units = CapacityUnits.read(item == null ? 0 : ItemSize.of(item), consistent);
        return new GetItemOutput(item == null ? null : AttributesToGet.apply(item, attributesToGet),
                ConsumedCapacities.read(request.returnConsumedCapacity(), table.name(), units));
    }

    public DeleteItemOutput deleteItem(DeleteItemInput request) {
        Unsupported.whenPresent(request.conditionExpression(), "ConditionExpression");
        Unsupported.whenPresent(request.expected(), "Expected");
        Unsupported.whenPresent(request.conditionalOperator(), "ConditionalOperator");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        Unsupported.whenPresent(request.expressionAttributeValues(), "ExpressionAttributeValues");
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.NONE, ReturnValues.ALL_OLD);
        TableDefinition table = catalog.require(request.tableName());
        ItemKey key = ItemKey.ofKey(table, request.key());
        ItemStore.Change change = items.write(table, key, old -> null);
        long old = change.oldItem() == null ? 0 : ItemSize.of(change.oldItem());
        return new DeleteItemOutput(returnValues == ReturnValues.ALL_OLD ? change.oldItem() : null,
                ConsumedCapacities.write(request.returnConsumedCapacity(), table.name(), CapacityUnits.write(old)),
                null);
    }

    public UpdateItemOutput updateItem(UpdateItemInput request) {
        Unsupported.whenPresent(request.updateExpression(), "UpdateExpression");
        Unsupported.whenPresent(request.conditionExpression(), "ConditionExpression");
        Unsupported.whenPresent(request.expected(), "Expected");
        Unsupported.whenPresent(request.conditionalOperator(), "ConditionalOperator");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        Unsupported.whenPresent(request.expressionAttributeValues(), "ExpressionAttributeValues");
        ReturnValues returnValues = ReturnValues.parse(request.returnValues(), ReturnValues.values());
        TableDefinition table = catalog.require(request.tableName());
        ItemKey key = ItemKey.ofKey(table, request.key());
        Map<String, AttributeValueUpdate> updates = request.attributeUpdates() == null
                ? Map.of() : LegacyAttributeUpdates.validate(table, request.attributeUpdates());
        ItemStore.Change change = items.write(table, key, old -> {
            Map<String, AttributeValue> item = new LinkedHashMap<>(old == null ? key.attributes() : old);
            LegacyAttributeUpdates.apply(updates, item);
            if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
                throw new ValidationException("Item size to update has exceeded the maximum allowed size");
            }
            return item;
        });
        long size = Math.max(ItemSize.of(change.newItem()), change.oldItem() == null ? 0 : ItemSize.of(change.oldItem()));
        Map<String, AttributeValue> attributes = switch (returnValues) {
            case NONE -> null;
            case ALL_OLD -> change.oldItem();
            case ALL_NEW -> change.newItem();
            case UPDATED_OLD -> change.oldItem() == null ? null : AttributesToGet.apply(change.oldItem(), updates.keySet());
            case UPDATED_NEW -> AttributesToGet.apply(change.newItem(), updates.keySet());
        };
        return new UpdateItemOutput(attributes == null || attributes.isEmpty() ? null : attributes,
                ConsumedCapacities.write(request.returnConsumedCapacity(), table.name(), CapacityUnits.write(size)),
                null);
    }

    private static long checkSize(Map<String, AttributeValue> item) {
        long size = ItemSize.of(item);
        if (size > ItemSize.MAX_ITEM_BYTES) {
            throw new ValidationException("Item size has exceeded the maximum allowed size");
        }
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

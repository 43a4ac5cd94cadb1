package dev.flywheel.engine.query;

import dev.flywheel.engine.Unsupported;
import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.ConsumedCapacity;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.model.shapes.ScanInput;
import dev.flywheel.model.shapes.ScanOutput;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Query and Scan: one page of a partition's items in sort-key order, or of a table (or one segment
 * of it) in scan order. A page stops after {@code Limit} items read or once 1 MB of data was read,
 * as DynamoDB's does; it then carries the key of the last item read as LastEvaluatedKey. Pages are
 * read from storage as they are returned: memory per request is bounded by the page.
 */
public final class QueryOperations {
    /** DynamoDB stops a Query or Scan page once it has read 1 MB. */
    static final long MAX_PAGE_BYTES = 1024 * 1024;

    private final Catalog catalog;
    private final Storage storage;

    public QueryOperations(Catalog catalog, Storage storage) {
        this.catalog = catalog;
        this.storage = storage;
    }

    public QueryOutput query(QueryInput request) {
        Unsupported.whenPresent(request.indexName(), "IndexName");
        Unsupported.whenPresent(request.keyConditionExpression(), "KeyConditionExpression");
        Unsupported.whenPresent(request.filterExpression(), "FilterExpression");
        Unsupported.whenPresent(request.projectionExpression(), "ProjectionExpression");
        Unsupported.whenPresent(request.queryFilter(), "QueryFilter");
        Unsupported.whenPresent(request.conditionalOperator(), "ConditionalOperator");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        Unsupported.whenPresent(request.expressionAttributeValues(), "ExpressionAttributeValues");
        Selection selection = Selection.of(request.select(), request.attributesToGet());
        TableDefinition table = catalog.require(request.tableName());
        if (request.keyConditions() == null) {
            throw new ValidationException("Either the KeyConditions or KeyConditionExpression parameter must be specified"
                    + " in the request.");
        }
        KeyConditions key = KeyConditions.fromLegacy(table, request.keyConditions());
        byte[] startAfter = null;
        if (request.exclusiveStartKey() != null) {
            ItemKey start = startKey(table, request.exclusiveStartKey());
            if (!Arrays.equals(start.partitionKey(), key.partitionKey())) {
                throw new ValidationException("The provided starting key is invalid: The provided key element does not"
                        + " match the schema");
            }
            startAfter = start.sortKey();
        }
        boolean forward = !Boolean.FALSE.equals(request.scanIndexForward());
        Page page = storage.read(table.id(), key.partitionKey(), key.sortKeyRange(), forward,
                new ReadLimits(limit(request.limit()), MAX_PAGE_BYTES, startAfter));
        Result r = result(table, page, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new QueryOutput(r.items(), r.count(), r.count(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    public ScanOutput scan(ScanInput request) {
        Unsupported.whenPresent(request.indexName(), "IndexName");
        Unsupported.whenPresent(request.filterExpression(), "FilterExpression");
        Unsupported.whenPresent(request.projectionExpression(), "ProjectionExpression");
        Unsupported.whenPresent(request.scanFilter(), "ScanFilter");
        Unsupported.whenPresent(request.conditionalOperator(), "ConditionalOperator");
        Unsupported.whenPresent(request.expressionAttributeNames(), "ExpressionAttributeNames");
        Unsupported.whenPresent(request.expressionAttributeValues(), "ExpressionAttributeValues");
        Selection selection = Selection.of(request.select(), request.attributesToGet());
        int segment = 0, totalSegments = 1;
        if (request.segment() != null || request.totalSegments() != null) {
            if (request.totalSegments() == null) {
                throw new ValidationException("The TotalSegments parameter is required but was not present in the request"
                        + " when Segment parameter is present");
            }
            if (request.segment() == null) {
                throw new ValidationException("The Segment parameter is required but was not present in the request when"
                        + " parameter TotalSegments is present");
            }
            segment = request.segment();
            totalSegments = request.totalSegments();
            if (segment >= totalSegments) {
                throw new ValidationException("The Segment parameter is zero-based and must be less than parameter"
                        + " TotalSegments: Segment: " + segment + " is not less than TotalSegments: " + totalSegments);
            }
        }
        TableDefinition table = catalog.require(request.tableName());
        RowKey after = null;
        if (request.exclusiveStartKey() != null) {
            ItemKey start = startKey(table, request.exclusiveStartKey());
            after = new RowKey(start.partitionKey(), start.sortKey());
        }
        Page page = storage.scan(table.id(), segment, totalSegments, after,
                new ReadLimits(limit(request.limit()), MAX_PAGE_BYTES, null));
        Result r = result(table, page, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new ScanOutput(r.items(), r.count(), r.count(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    private record Result(List<Map<String, AttributeValue>> items, int count, Map<String, AttributeValue> lastEvaluatedKey,
                          ConsumedCapacity consumedCapacity) {}

    private static Result result(TableDefinition table, Page page, Selection selection, Boolean consistentRead,
                                 String returnConsumedCapacity) {
        List<Map<String, AttributeValue>> items = selection.countOnly() ? null : new ArrayList<>(page.rows().size());
        long bytes = 0;
        Map<String, AttributeValue> last = null;
        for (Row row : page.rows()) {
            Map<String, AttributeValue> item = ItemCodec.decode(row.value());
            bytes += dev.flywheel.engine.item.ItemSize.of(item);
            if (items != null) items.add(selection.apply(item));
            last = item;
        }
        Map<String, AttributeValue> lastEvaluatedKey = page.mayHaveMore() && last != null ? keyOf(table, last) : null;
        // A Query or Scan is charged for the total size read, rounded up once (not per item).
        double units = CapacityUnits.read(bytes, Boolean.TRUE.equals(consistentRead));
        return new Result(items, page.rows().size(), lastEvaluatedKey,
                ConsumedCapacities.read(returnConsumedCapacity, table.name(), units));
    }

    private static Map<String, AttributeValue> keyOf(TableDefinition table, Map<String, AttributeValue> item) {
        Map<String, AttributeValue> key = new LinkedHashMap<>();
        for (KeyAttribute k : table.keyAttributes()) key.put(k.name(), item.get(k.name()));
        return key;
    }

    private static ItemKey startKey(TableDefinition table, Map<String, AttributeValue> exclusiveStartKey) {
        try {
            return ItemKey.ofKey(table, exclusiveStartKey);
        } catch (ValidationException e) {
            throw new ValidationException("The provided starting key is invalid: " + e.getMessage());
        }
    }

    private static int limit(Integer limit) {
        return limit == null ? Integer.MAX_VALUE : limit;
    }
}

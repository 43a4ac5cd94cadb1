package dev.flywheel.engine.query;

import dev.flywheel.engine.Unsupported;
import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.expressions.LegacyConditions;
import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemSize;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.ConditionEvaluator;
import dev.flywheel.expression.ConditionExpression;
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

    private final ParsedExpressions parsed;

    public QueryOperations(Catalog catalog, Storage storage, ParsedExpressions parsed) {
        this.catalog = catalog;
        this.storage = storage;
        this.parsed = parsed;
    }

    public QueryOutput query(QueryInput request) {
        Unsupported.whenPresent(request.indexName(), "IndexName");
        ParameterRules.check()
                .legacy("KeyConditions", request.keyConditions()).legacy("QueryFilter", request.queryFilter())
                .legacy("AttributesToGet", request.attributesToGet())
                .legacy("ConditionalOperator", request.conditionalOperator())
                .expression("KeyConditionExpression", request.keyConditionExpression())
                .expression("FilterExpression", request.filterExpression())
                .projection(request.projectionExpression())
                .done(request.expressionAttributeNames(), request.expressionAttributeValues());
        RequestExpressions expressions = RequestExpressions.of(parsed, request.expressionAttributeNames(),
                request.expressionAttributeValues());
        ConditionExpression keyCondition = expressions.keyCondition(request.keyConditionExpression());
        Condition filter = filter(expressions.filter(request.filterExpression()), request.queryFilter(),
                request.conditionalOperator());
        Selection selection = Selection.of(request.select(), request.attributesToGet(),
                expressions.projection(request.projectionExpression()));
        expressions.checkAllUsed();
        TableDefinition table = catalog.require(request.tableName());
        if (request.keyConditions() == null && keyCondition == null) {
            throw new ValidationException("Either the KeyConditions or KeyConditionExpression parameter must be specified"
                    + " in the request.");
        }
        if (filter != null) checkFilterAvoidsKeys(table, filter);
        KeyConditions key = keyCondition != null
                ? KeyConditionExpressions.of(table, keyCondition.condition())
                : KeyConditions.fromLegacy(table, request.keyConditions());
        byte[] startAfter = null;
        if (request.exclusiveStartKey() != null) {
            ItemKey start = startKey(table, request.exclusiveStartKey());
            // DynamoDB resumes a Query only from a key that its key condition selects; a key outside the
            // sort key range would otherwise restart the range, or end it, silently.
            if (!key.selectsSortKey(start.sortKey())) {
                throw new ValidationException("The provided starting key does not match the range key predicate");
            }
            if (!Arrays.equals(start.partitionKey(), key.partitionKey())) {
                throw new ValidationException("The provided starting key is outside query boundaries based on provided"
                        + " conditions");
            }
            startAfter = start.sortKey();
        }
        boolean forward = !Boolean.FALSE.equals(request.scanIndexForward());
        Page page = storage.read(table.id(), key.partitionKey(), key.sortKeyRange(), forward,
                new ReadLimits(limit(request.limit()), MAX_PAGE_BYTES, startAfter));
        Result r = result(table, page, filter, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new QueryOutput(r.items(), r.count(), r.scannedCount(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    public ScanOutput scan(ScanInput request) {
        Unsupported.whenPresent(request.indexName(), "IndexName");
        ParameterRules.check()
                .legacy("ScanFilter", request.scanFilter()).legacy("AttributesToGet", request.attributesToGet())
                .legacy("ConditionalOperator", request.conditionalOperator())
                .expression("FilterExpression", request.filterExpression())
                .projection(request.projectionExpression())
                .done(request.expressionAttributeNames(), request.expressionAttributeValues());
        RequestExpressions expressions = RequestExpressions.of(parsed, request.expressionAttributeNames(),
                request.expressionAttributeValues());
        Condition filter = filter(expressions.filter(request.filterExpression()), request.scanFilter(),
                request.conditionalOperator());
        Selection selection = Selection.of(request.select(), request.attributesToGet(),
                expressions.projection(request.projectionExpression()));
        expressions.checkAllUsed();
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
        Result r = result(table, page, filter, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new ScanOutput(r.items(), r.count(), r.scannedCount(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    private record Result(List<Map<String, AttributeValue>> items, int count, int scannedCount,
                          Map<String, AttributeValue> lastEvaluatedKey, ConsumedCapacity consumedCapacity) {}

    /**
     * The page as returned: items that pass the filter (Count), all items read (ScannedCount), and
     * the key of the last item read, filtered out or not, when more may follow.
     */
    private static Result result(TableDefinition table, Page page, Condition filter, Selection selection,
                                 Boolean consistentRead, String returnConsumedCapacity) {
        List<Map<String, AttributeValue>> items = selection.countOnly() ? null : new ArrayList<>(page.rows().size());
        long bytes = 0;
        int count = 0;
        Map<String, AttributeValue> last = null;
        for (Row row : page.rows()) {
            Map<String, AttributeValue> item = ItemCodec.decode(row.value());
            bytes += ItemSize.of(item);
            last = item;
            if (filter != null && !ConditionEvaluator.evaluate(filter, item)) continue;
            count++;
            if (items != null) items.add(selection.apply(item));
        }
        Map<String, AttributeValue> lastEvaluatedKey = page.mayHaveMore() && last != null ? keyOf(table, last) : null;
        // A Query or Scan is charged for the total size read, rounded up once (not per item).
        double units = CapacityUnits.read(bytes, Boolean.TRUE.equals(consistentRead));
        return new Result(items, count, page.rows().size(), lastEvaluatedKey,
                ConsumedCapacities.read(returnConsumedCapacity, table.name(), units));
    }

    private static Condition filter(ConditionExpression expression, Map<String, dev.flywheel.model.shapes.Condition> legacy,
                                    String conditionalOperator) {
        if (expression != null) return expression.condition();
        if (legacy != null) return LegacyConditions.fromConditions(legacy, conditionalOperator);
        if (conditionalOperator != null) {
            throw new ValidationException("ConditionalOperator can only be used when Expected or KeyConditions or"
                    + " QueryFilter or ScanFilter is present");
        }
        return null;
    }

    /** A Query's filter may not name key attributes: the key condition decides those. */
    private static void checkFilterAvoidsKeys(TableDefinition table, Condition filter) {
        for (String name : ConditionPaths.topLevelNames(filter)) {
            if (table.isKeyAttribute(name)) {
                throw new ValidationException("Filter Expression can only contain non-primary key attributes: Primary key"
                        + " attribute: " + name);
            }
        }
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

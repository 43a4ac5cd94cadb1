package dev.flywheel.engine.query;

import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.expressions.LegacyConditions;
import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.ConditionEvaluator;
import dev.flywheel.expression.ConditionExpression;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.KeySchema;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Query and Scan: one page of a partition's items in sort-key order, or of a table (or one segment
 * of it) in scan order. A page stops after {@code Limit} items read or once 1 MB of data was read,
 * as DynamoDB's does; it then carries the key of the last item read as LastEvaluatedKey. Pages are
 * read from storage as they are returned: memory per request is bounded by the page.
 *
 * <p>With an IndexName they read a secondary index's entries instead ({@link ReadTarget}): a global
 * one's are eventually consistent and hold only the attributes the index projects; a local one's are
 * as consistent as the table, and the attributes it does not project are fetched from the table, item
 * by item, at the capacity that costs (Developer Guide, "Local secondary indexes": each fetch is a read
 * of the whole item from the table).
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
                expressions.projection(request.projectionExpression()), request.indexName() != null);
        expressions.checkAllUsed();
        TableDefinition table = catalog.require(request.tableName());
        ReadTarget target = ReadTarget.of(storage, table, request.indexName());
        if (request.keyConditions() == null && keyCondition == null) {
            throw new ValidationException("Either the KeyConditions or KeyConditionExpression parameter must be specified"
                    + " in the request.");
        }
        if (target instanceof ReadTarget.Index index) index.checkConsistency(request.consistentRead());
        KeyConditions key = keyCondition != null
                ? KeyConditionExpressions.of(target.keySchema(), keyCondition.condition())
                : KeyConditions.fromLegacy(target.keySchema(), request.keyConditions());
        if (filter != null) checkFilterAvoidsKeys(target.keySchema(), filter);
        if (target instanceof ReadTarget.Index index) index.checkRead(selection, filter);
        if (target instanceof ReadTarget.Local local) local.checkRead(filter);
        byte[] startAfter = null;
        if (request.exclusiveStartKey() != null) {
            RowKey start = target.startAfter(request.exclusiveStartKey());
            // DynamoDB resumes a Query only from a key that its key condition selects; a key outside the
            // sort key range would otherwise restart the range, or end it, silently.
            if (!KeyConditions.selects(target.sortKeys(key), start.sortKey())) {
                throw new ValidationException("The provided starting key does not match the range key predicate");
            }
            if (!Arrays.equals(start.partitionKey(), key.partitionKey())) {
                throw new ValidationException("The provided starting key is outside query boundaries based on provided"
                        + " conditions");
            }
            startAfter = start.sortKey();
        }
        boolean forward = !Boolean.FALSE.equals(request.scanIndexForward());
        Page page = storage.read(target.storageId(), key.partitionKey(), target.sortKeys(key), forward,
                new ReadLimits(limit(request.limit()), MAX_PAGE_BYTES, startAfter), target.consistency(request.consistentRead()));
        Result r = result(table, target, page, filter, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new QueryOutput(r.items(), r.count(), r.scannedCount(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    public ScanOutput scan(ScanInput request) {
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
                expressions.projection(request.projectionExpression()), request.indexName() != null);
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
        ReadTarget target = ReadTarget.of(storage, table, request.indexName());
        if (target instanceof ReadTarget.Index index) {
            index.checkConsistency(request.consistentRead());
            index.checkRead(selection, filter);
        }
        if (target instanceof ReadTarget.Local local) local.checkRead(filter);
        RowKey after = request.exclusiveStartKey() == null ? null : target.startAfter(request.exclusiveStartKey());
        Page page = storage.scan(target.storageId(), segment, totalSegments, after,
                new ReadLimits(limit(request.limit()), MAX_PAGE_BYTES, null), target.consistency(request.consistentRead()));
        Result r = result(table, target, page, filter, selection, request.consistentRead(), request.returnConsumedCapacity());
        return new ScanOutput(r.items(), r.count(), r.scannedCount(), r.lastEvaluatedKey(), r.consumedCapacity());
    }

    private record Result(List<Map<String, AttributeValue>> items, int count, int scannedCount,
                          Map<String, AttributeValue> lastEvaluatedKey, ConsumedCapacity consumedCapacity) {}

    /**
     * The page as returned: items that pass the filter (Count), all items read (ScannedCount), and
     * the key of the last item read, filtered out or not, when more may follow.
     */
    private Result result(TableDefinition table, ReadTarget target, Page page, Condition filter,
                          Selection selection, Boolean consistentRead, String returnConsumedCapacity) {
        boolean consistent = Boolean.TRUE.equals(consistentRead);
        List<Map<String, AttributeValue>> items = selection.countOnly() ? null : new ArrayList<>(page.rows().size());
        Set<String> needed = neededAttributes(target, filter, selection);
        boolean fetch = target instanceof ReadTarget.Local local && local.fetchesFromTable(selection);
        long bytes = 0;
        double fetchUnits = 0;
        int count = 0;
        Map<String, AttributeValue> last = null;
        for (Row row : page.rows()) {
            // Capacity counts whole items; only what the filter, the selection and the keys need is decoded.
            bytes += ItemCodec.size(row.value());
            Map<String, AttributeValue> item = needed == null ? ItemCodec.decode(row.value())
                    : ItemCodec.decode(row.value(), needed);
            last = item;
            if (filter != null && !ConditionEvaluator.evaluate(filter, item)) continue;
            if (fetch) {
                byte[] stored = storage.get(table.id(), row.partitionKey(), ReadTarget.Local.tableSortKey(row.sortKey()),
                        target.consistency(consistentRead));
                // Deleted since its entry was read: as if the read had come after the delete.
                if (stored == null) continue;
                fetchUnits += CapacityUnits.read(ItemCodec.size(stored), consistent);
                Set<String> returned = selection.returnedNames();
                item = returned == null ? ItemCodec.decode(stored) : ItemCodec.decode(stored, returned);
            }
            count++;
            if (items != null) items.add(selection.apply(item));
        }
        Map<String, AttributeValue> lastEvaluatedKey = page.mayHaveMore() && last != null ? target.lastEvaluatedKey(last) : null;
        // A Query or Scan is charged for the total size read, rounded up once (not per item).
        double units = CapacityUnits.read(bytes, consistent);
        ConsumedCapacity consumed = switch (target) {
            case ReadTarget.Index index ->
                    ConsumedCapacities.readIndex(returnConsumedCapacity, table.name(), index.index().name(), units);
            case ReadTarget.Local local ->
                    ConsumedCapacities.readLocalIndex(returnConsumedCapacity, table.name(), local.index().name(), units,
                            fetchUnits);
            case ReadTarget.Table t -> ConsumedCapacities.read(returnConsumedCapacity, table.name(), units);
        };
        return new Result(items, count, page.rows().size(), lastEvaluatedKey, consumed);
    }

    /** The top-level attributes to decode of each item read, or null for all of them. */
    private static Set<String> neededAttributes(ReadTarget target, Condition filter, Selection selection) {
        Set<String> returned = selection.returnedNames();
        if (returned == null) return null;
        Set<String> needed = new HashSet<>(returned);
        if (filter != null) needed.addAll(ConditionPaths.topLevelNames(filter));
        for (KeyAttribute k : target.keyAttributes()) needed.add(k.name());
        return needed;
    }

    private static Condition filter(ConditionExpression expression, Map<String, dev.flywheel.model.shapes.Condition> legacy,
                                    String conditionalOperator) {
        if (expression != null) return expression.condition();
        if (legacy != null) return LegacyConditions.fromConditions(legacy, conditionalOperator);
        return null;
    }

    /** A Query's filter may not name the key attributes of what it reads: the key condition decides those. */
    private static void checkFilterAvoidsKeys(KeySchema key, Condition filter) {
        for (String name : ConditionPaths.topLevelNames(filter)) {
            if (key.contains(name)) {
                throw new ValidationException("Filter Expression can only contain non-primary key attributes: Primary key"
                        + " attribute: " + name);
            }
        }
    }

    private static int limit(Integer limit) {
        return limit == null ? Integer.MAX_VALUE : limit;
    }
}

package dev.flywheel.engine.item;

import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.index.LocalIndexWrites;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.expression.Projection;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.TransactionConflictException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.BatchGetItemInput;
import dev.flywheel.model.shapes.BatchGetItemOutput;
import dev.flywheel.model.shapes.BatchWriteItemInput;
import dev.flywheel.model.shapes.BatchWriteItemOutput;
import dev.flywheel.model.shapes.ConsumedCapacity;
import dev.flywheel.model.shapes.ItemCollectionMetrics;
import dev.flywheel.model.shapes.KeysAndAttributes;
import dev.flywheel.model.shapes.WriteRequest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * BatchGetItem and BatchWriteItem (API Reference): up to 100 keys / 25 writes over any tables, each
 * request validated whole before any item is read or written; not atomic (each item is).
 */
public final class BatchOperations {
    static final int MAX_GET_KEYS = 100;
    static final int MAX_WRITES = 25;
    /** A BatchGetItem response holds at most 16 MB; keys past that are returned as UnprocessedKeys. */
    static final long MAX_GET_RESPONSE_BYTES = 16L * 1024 * 1024;

    private final Catalog catalog;
    private final ItemStore items;
    private final ParsedExpressions parsed;

    public BatchOperations(Catalog catalog, ItemStore items, ParsedExpressions parsed) {
        this.catalog = catalog;
        this.items = items;
        this.parsed = parsed;
    }

    /** One write of the request: {@code item} null for a delete; {@code request} as the client sent it. */
    private record PlannedWrite(TableDefinition table, ItemKey key, Map<String, AttributeValue> item, WriteRequest request) {}

    public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) {
        int total = request.requestItems().values().stream().mapToInt(List::size).sum();
        if (total > MAX_WRITES) {
            throw new ValidationException("Too many items requested for the BatchWriteItem call");
        }
        List<PlannedWrite> plan = new ArrayList<>(total);
        for (Map.Entry<String, List<WriteRequest>> e : request.requestItems().entrySet()) {
            TableDefinition table = catalog.require(e.getKey());
            Set<ByteBuffer> keys = new HashSet<>();
            for (WriteRequest w : e.getValue()) {
                if ((w.putRequest() == null) == (w.deleteRequest() == null)) {
                    throw new ValidationException("Supplied WriteRequest must contain exactly one of PutRequest or"
                            + " DeleteRequest");
                }
                PlannedWrite planned;
                if (w.putRequest() != null) {
                    Map<String, AttributeValue> item = AttributeValues.normalize(w.putRequest().item());
                    planned = new PlannedWrite(table, ItemKey.ofItem(table, item), item, w);
                    IndexKeyChecks.checkItem(table, item);
                    if (ItemSize.of(item) > ItemSize.MAX_ITEM_BYTES) {
                        throw new ValidationException("Item size has exceeded the maximum allowed size");
                    }
                } else {
                    planned = new PlannedWrite(table, ItemKey.ofKey(table, w.deleteRequest().key()), null, w);
                }
                if (!keys.add(identity(planned.key()))) {
                    throw new ValidationException("Provided list of item keys contains duplicates");
                }
                plan.add(planned);
            }
        }
        Map<String, Double> units = new LinkedHashMap<>();
        // One ItemCollectionMetrics per collection written (the last write's), by table.
        Map<String, Map<Map<String, AttributeValue>, ItemCollectionMetrics>> metrics = new LinkedHashMap<>();
        // A write to an item a transaction holds is not done, and returned to be retried: the batch is
        // not atomic, so failing the whole call would hide which of its writes did land.
        Map<String, List<WriteRequest>> unprocessed = new LinkedHashMap<>();
        for (PlannedWrite w : plan) {
            ItemStore.Change change;
            try {
                change = items.write(w.table(), w.key(), old -> w.item());
            } catch (TransactionConflictException held) {
                unprocessed.computeIfAbsent(w.table().name(), n -> new ArrayList<>()).add(w.request());
                continue;
            }
            long size = Math.max(change.oldItem() == null ? 0 : ItemSize.of(change.oldItem()),
                    w.item() == null ? 0 : ItemSize.of(w.item()));
            units.merge(w.table().name(), CapacityUnits.write(size), Double::sum);
            // Local index writes count in the table's total (BatchWriteItem shows no per-index share here).
            for (double indexUnits : LocalIndexWrites.writeCapacity(w.table(), change.oldItem(), change.newItem()).values()) {
                units.merge(w.table().name(), indexUnits, Double::sum);
            }
            ItemCollectionMetrics m = items.collectionMetrics(request.returnItemCollectionMetrics(), w.table(), w.key());
            if (m != null) metrics.computeIfAbsent(w.table().name(), n -> new LinkedHashMap<>()).put(m.itemCollectionKey(), m);
        }
        Map<String, List<ItemCollectionMetrics>> collections = new LinkedHashMap<>();
        metrics.forEach((table, byKey) -> collections.put(table, List.copyOf(byKey.values())));
        return new BatchWriteItemOutput(unprocessed, collections.isEmpty() ? null : collections,
                consumed(request.returnConsumedCapacity(), units, false));
    }

    public BatchGetItemOutput batchGetItem(BatchGetItemInput request) {
        int total = request.requestItems().values().stream().mapToInt(k -> k.keys().size()).sum();
        if (total > MAX_GET_KEYS) {
            throw new ValidationException("Too many items requested for the BatchGetItem call");
        }
        record PlannedGet(TableDefinition table, KeysAndAttributes request, List<ItemKey> keys, ProjectionExpression projection) {}
        List<PlannedGet> plan = new ArrayList<>();
        for (Map.Entry<String, KeysAndAttributes> e : request.requestItems().entrySet()) {
            KeysAndAttributes k = e.getValue();
            ParameterRules.check().legacy("AttributesToGet", k.attributesToGet()).projection(k.projectionExpression())
                    .done(k.expressionAttributeNames(), null);
            RequestExpressions expressions = RequestExpressions.of(parsed, k.expressionAttributeNames(), null);
            ProjectionExpression projection = expressions.projection(k.projectionExpression());
            expressions.checkAllUsed();
            TableDefinition table = catalog.require(e.getKey());
            Set<ByteBuffer> seen = new HashSet<>();
            List<ItemKey> keys = new ArrayList<>(k.keys().size());
            for (Map<String, AttributeValue> key : k.keys()) {
                ItemKey itemKey = ItemKey.ofKey(table, key);
                if (!seen.add(identity(itemKey))) {
                    throw new ValidationException("Provided list of item keys contains duplicates");
                }
                keys.add(itemKey);
            }
            plan.add(new PlannedGet(table, k, keys, projection));
        }
        Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
        Map<String, KeysAndAttributes> unprocessed = new LinkedHashMap<>();
        Map<String, Double> units = new LinkedHashMap<>();
        long responseBytes = 0;
        boolean full = false;
        for (PlannedGet get : plan) {
            String name = get.table().name();
            List<Map<String, AttributeValue>> found = responses.computeIfAbsent(name, n -> new ArrayList<>());
            boolean consistent = Boolean.TRUE.equals(get.request().consistentRead());
            for (int i = 0; i < get.keys().size(); i++) {
                Map<String, AttributeValue> item = full ? null
                        : items.get(get.table(), get.keys().get(i), ItemStore.consistency(get.request().consistentRead()));
                long size = item == null ? 0 : ItemSize.of(item);
                // The response never exceeds 16 MB: the item that would cross it, and every key after
                // it, are left for the next call (DynamoDB Local 3.3.1 answers 40 of 50 items of 400 KB).
                full |= responseBytes + size > MAX_GET_RESPONSE_BYTES;
                if (full) {
                    List<Map<String, AttributeValue>> rest = get.request().keys().subList(i, get.keys().size());
                    unprocessed.put(name, get.request().toBuilder().keys(List.copyOf(rest)).build());
                    break;
                }
                units.merge(name, CapacityUnits.read(size, consistent), Double::sum);
                if (item != null) {
                    responseBytes += size;
                    found.add(get.projection() != null ? Projection.apply(get.projection(), item)
                            : AttributesToGet.apply(item, get.request().attributesToGet()));
                }
            }
        }
        return new BatchGetItemOutput(responses, unprocessed, consumed(request.returnConsumedCapacity(), units, true));
    }


    private static List<ConsumedCapacity> consumed(String mode, Map<String, Double> units, boolean read) {
        if (mode == null || mode.equals("NONE")) return null;
        List<ConsumedCapacity> out = new ArrayList<>();
        units.forEach((table, u) -> out.add(read
                ? ConsumedCapacities.read(mode, table, u)
                : ConsumedCapacities.write(mode, table, u)));
        return out;
    }

    /** A key's identity for duplicate detection: its storage bytes (numbers already normalized). */
    private static ByteBuffer identity(ItemKey key) {
        return ByteBuffer.allocate(4 + key.partitionKey().length + key.sortKey().length)
                .putInt(key.partitionKey().length).put(key.partitionKey()).put(key.sortKey()).flip();
    }
}

package dev.flywheel.accelerator;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flywheel.client.RemoteDynamoDb;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.shapes.*;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.DescribeStreamOutput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.GetShardIteratorOutput;
import dev.flywheel.model.streams.ListStreamsInput;
import dev.flywheel.model.streams.ListStreamsOutput;
import dev.flywheel.protocol.json.DynamoDbOperations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The accelerator's {@link DynamoDbApi}: DAX's caching in front of any other implementation (in
 * practice a {@link RemoteDynamoDb}).
 *
 * <ul>
 *   <li>Eventually consistent GetItem and BatchGetItem are answered from the {@link ItemCache} (per
 *       table, key and projection, with negative entries); ConsistentRead and TransactGetItems pass
 *       through, as in DAX.
 *   <li>Eventually consistent Query and Scan are answered from the {@link QueryCache}.
 *   <li>Writes (PutItem, UpdateItem, DeleteItem, BatchWriteItem, TransactWriteItems) go to the target
 *       first; once it accepted them the item cache holds the new item where it is known exactly (a Put
 *       of canonical numbers, an Update asking ALL_NEW, a Delete), else drops it, and every cached
 *       Query and Scan of the table is dropped. A write the target refused changed nothing; a write
 *       that failed with a 5xx (or timed out) may have happened, so its items are dropped.
 *   <li>PartiQL writes name no key the accelerator can read: any statement but a SELECT drops both
 *       caches entirely. Table changes (Create, Update, DeleteTable) drop the table's entries.
 *   <li>A request asking for ReturnConsumedCapacity passes through: a hit would consume nothing, and
 *       the caller asked what the target's reads cost.
 * </ul>
 *
 * <p>Writes that bypass the accelerator are seen on the table's stream, when it has one ({@link
 * #itemChanged}); without one, entries live until their TTL, as in DAX. Thread-safe.
 */
final class CachingDynamoDb extends ForwardingDynamoDb implements DynamoDbStreamsApi {
    private final ItemCache items;
    private final QueryCache queries;
    private final Tables tables;
    private final TableGenerations generations = new TableGenerations();
    private final CacheMetrics metrics;
    private final DynamoDbStreamsApi streams;

    /**
     * @param streams the target's streams API, whose operations the accelerator's endpoint forwards
     *     (a server serves DynamoDB Streams for an API that is one); null answers UnknownOperationException
     */
    CachingDynamoDb(DynamoDbApi target, DynamoDbStreamsApi streams, AcceleratorConfig config, Ticker ticker,
            CacheMetrics metrics, StreamFollower follower) {
        super(target);
        this.streams = streams;
        this.metrics = metrics;
        this.items = new ItemCache(config.itemTtl(), config.maxBytes() / 2, ticker, metrics.item);
        this.queries = new QueryCache(config.queryTtl(), config.maxBytes() / 2, ticker, metrics.query, CachingDynamoDb::sizeOf);
        this.tables = new Tables(target, config.enableStreams(), table -> follower.follow(table, this));
    }

    // ---- reads ----

    @Override
    public GetItemOutput getItem(GetItemInput request) {
        String name = Tables.nameOf(request.tableName());
        if (Boolean.TRUE.equals(request.consistentRead()) || asksCapacity(request.returnConsumedCapacity())
                || request.key() == null || tables.get(name) == null) {
            return delegate.getItem(request);
        }
        ItemCache.Key key = new ItemCache.Key(name, request.key());
        ItemCache.Projection projection = ItemCache.Projection.of(
                request.projectionExpression(), request.expressionAttributeNames(), request.attributesToGet());
        ItemCache.Hit hit = items.get(key, projection);
        if (hit != null) {
            return new GetItemOutput(hit.item(), null);
        }
        long generation = generations.current(name);
        GetItemOutput answer = delegate.getItem(request);
        items.fill(key, projection, answer.item(), generation, generations);
        return answer;
    }

    @Override
    public BatchGetItemOutput batchGetItem(BatchGetItemInput request) {
        if (request.requestItems() == null || asksCapacity(request.returnConsumedCapacity())) {
            return delegate.batchGetItem(request);
        }
        Map<String, List<Map<String, AttributeValue>>> responses = new LinkedHashMap<>();
        Map<String, KeysAndAttributes> misses = new LinkedHashMap<>();
        Map<String, Long> generationsSeen = new HashMap<>();
        for (Map.Entry<String, KeysAndAttributes> requested : request.requestItems().entrySet()) {
            String name = Tables.nameOf(requested.getKey());
            KeysAndAttributes keys = requested.getValue();
            if (keys == null || keys.keys() == null || Boolean.TRUE.equals(keys.consistentRead()) || tables.get(name) == null) {
                misses.put(requested.getKey(), keys);
                continue;
            }
            generationsSeen.put(name, generations.current(name));
            ItemCache.Projection projection = projectionOf(keys);
            List<Map<String, AttributeValue>> found = new ArrayList<>();
            List<Map<String, AttributeValue>> missing = new ArrayList<>();
            for (Map<String, AttributeValue> key : keys.keys()) {
                ItemCache.Hit hit = items.get(new ItemCache.Key(name, key), projection);
                if (hit == null) missing.add(key);
                else if (hit.item() != null) found.add(hit.item());
            }
            responses.put(requested.getKey(), found);
            if (!missing.isEmpty()) {
                misses.put(requested.getKey(), keys.toBuilder().keys(missing).build());
            }
        }
        if (misses.isEmpty()) {
            return new BatchGetItemOutput(responses, Map.of(), null);
        }
        BatchGetItemOutput answer = delegate.batchGetItem(request.toBuilder().requestItems(misses).build());
        Map<String, KeysAndAttributes> unprocessed = answer.unprocessedKeys() == null ? Map.of() : answer.unprocessedKeys();
        for (Map.Entry<String, KeysAndAttributes> asked : misses.entrySet()) {
            List<Map<String, AttributeValue>> fetched = answer.responses() == null ? null : answer.responses().get(asked.getKey());
            fetched = fetched == null ? List.of() : fetched;
            responses.computeIfAbsent(asked.getKey(), t -> new ArrayList<>()).addAll(fetched);
            String name = Tables.nameOf(asked.getKey());
            Long generation = generationsSeen.get(name);
            if (generation != null) {
                fillBatch(name, asked.getValue(), fetched, unprocessed.get(asked.getKey()), generation);
            }
        }
        return new BatchGetItemOutput(responses, unprocessed, answer.consumedCapacity());
    }

    /** Caches what a BatchGetItem fetched: found items, and as absent the asked keys it did not return. */
    private void fillBatch(String name, KeysAndAttributes asked, List<Map<String, AttributeValue>> fetched,
            KeysAndAttributes unprocessed, long generation) {
        Tables.Table table = tables.get(name);
        if (table == null) return;
        ItemCache.Projection projection = projectionOf(asked);
        Set<ItemCache.Key> answered = new HashSet<>();
        for (Map<String, AttributeValue> item : fetched) {
            Map<String, AttributeValue> key = table.keyOf(item);
            if (key == null) {
                return; // the projection hid the key: which asked key is absent cannot be told
            }
            ItemCache.Key cacheKey = new ItemCache.Key(name, key);
            answered.add(cacheKey);
            items.fill(cacheKey, projection, item, generation, generations);
        }
        if (unprocessed != null && unprocessed.keys() != null) {
            unprocessed.keys().forEach(key -> answered.add(new ItemCache.Key(name, key)));
        }
        for (Map<String, AttributeValue> key : asked.keys()) {
            ItemCache.Key cacheKey = new ItemCache.Key(name, key);
            if (!answered.contains(cacheKey)) {
                items.fill(cacheKey, projection, null, generation, generations);
            }
        }
    }

    @Override
    public QueryOutput query(QueryInput request) {
        if (Boolean.TRUE.equals(request.consistentRead()) || asksCapacity(request.returnConsumedCapacity())) {
            return delegate.query(request);
        }
        return cachedQuery("Query", request.tableName(), request, () -> delegate.query(request));
    }

    @Override
    public ScanOutput scan(ScanInput request) {
        if (Boolean.TRUE.equals(request.consistentRead()) || asksCapacity(request.returnConsumedCapacity())) {
            return delegate.scan(request);
        }
        return cachedQuery("Scan", request.tableName(), request, () -> delegate.scan(request));
    }

    @SuppressWarnings("unchecked")
    private <I, O> O cachedQuery(String operation, String tableName, I request, Supplier<O> fetch) {
        String name = Tables.nameOf(tableName);
        if (name == null || tables.get(name) == null) {
            return fetch.get();
        }
        // The request as the codec writes it: the same bytes for the same request, however it was spelled.
        var op = (dev.flywheel.protocol.json.Operation<DynamoDbApi, I, O>) DynamoDbOperations.named(operation);
        QueryCache.Key key = new QueryCache.Key(operation, name, generations.current(name), ByteBuffer.wrap(op.writeInput(request)));
        O cached = (O) queries.get(key);
        if (cached != null) {
            return cached;
        }
        O answer = fetch.get();
        // A write since the key was made bumped the generation: the entry is then unreachable, never stale.
        queries.put(key, answer);
        return answer;
    }

    // ---- writes: the target first, then the caches ----

    @Override
    public PutItemOutput putItem(PutItemInput request) {
        String name = Tables.nameOf(request.tableName());
        long before = generations.current(name);
        PutItemOutput answer = write(name, () -> delegate.putItem(request), () -> forgetItem(name, request.item()));
        putWritten(name, tables.get(name), request.item(), before + 1);
        return answer;
    }

    @Override
    public UpdateItemOutput updateItem(UpdateItemInput request) {
        String name = Tables.nameOf(request.tableName());
        long before = generations.current(name);
        UpdateItemOutput answer = write(name, () -> delegate.updateItem(request), () -> forgetKey(name, request.key()));
        ItemCache.Key key = new ItemCache.Key(name, request.key());
        if ("ALL_NEW".equals(request.returnValues()) && answer.attributes() != null) {
            items.replace(key, answer.attributes(), before + 1, generations);
        } else {
            items.invalidate(key);
        }
        return answer;
    }

    @Override
    public DeleteItemOutput deleteItem(DeleteItemInput request) {
        String name = Tables.nameOf(request.tableName());
        long before = generations.current(name);
        DeleteItemOutput answer = write(name, () -> delegate.deleteItem(request), () -> forgetKey(name, request.key()));
        items.markAbsent(new ItemCache.Key(name, request.key()), before + 1, generations);
        return answer;
    }

    /** After {@code item} was put: cached as the item, if it reads back as written and no other write came between. */
    private void putWritten(String name, Tables.Table table, Map<String, AttributeValue> item, long generation) {
        Map<String, AttributeValue> key = table == null || item == null ? null : table.keyOf(item);
        if (key == null) {
            items.invalidateTable(name);
        } else if (WrittenItems.readsBackAsWritten(item)) {
            items.replace(new ItemCache.Key(name, key), Map.copyOf(item), generation, generations);
        } else {
            items.invalidate(new ItemCache.Key(name, key));
        }
    }

    @Override
    public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) {
        Map<String, List<WriteRequest>> requested = request.requestItems() == null ? Map.of() : request.requestItems();
        Map<String, Long> before = new HashMap<>();
        requested.keySet().forEach(t -> before.put(Tables.nameOf(t), generations.current(Tables.nameOf(t))));
        BatchWriteItemOutput answer;
        try {
            answer = delegate.batchWriteItem(request);
        } catch (DynamoDbException e) {
            if (e.status() >= 500) requested.forEach(this::forgetWrites);
            throw e;
        }
        // Unprocessed writes did not happen, but dropping their items is simpler than telling them apart.
        Map<String, List<WriteRequest>> unprocessed = answer.unprocessedItems() == null ? Map.of() : answer.unprocessedItems();
        for (Map.Entry<String, List<WriteRequest>> writes : requested.entrySet()) {
            String name = Tables.nameOf(writes.getKey());
            tableWritten(name);
            // As for PutItem: stored only if no other write to the table came between.
            long generation = before.get(name) + 1;
            Tables.Table table = tables.get(name);
            List<WriteRequest> notDone = unprocessed.getOrDefault(writes.getKey(), List.of());
            for (WriteRequest write : writes.getValue()) {
                if (table == null || notDone.contains(write)) {
                    forgetWrites(writes.getKey(), List.of(write));
                } else if (write.putRequest() != null) {
                    putWritten(name, table, write.putRequest().item(), generation);
                } else if (write.deleteRequest() != null) {
                    items.markAbsent(new ItemCache.Key(name, write.deleteRequest().key()), generation, generations);
                }
            }
        }
        return answer;
    }

    @Override
    public TransactWriteItemsOutput transactWriteItems(TransactWriteItemsInput request) {
        try {
            TransactWriteItemsOutput answer = delegate.transactWriteItems(request);
            forgetTransactWrites(request);
            return answer;
        } catch (DynamoDbException e) {
            // A cancelled transaction changed nothing; one that failed may have committed.
            if (e.status() >= 500) forgetTransactWrites(request);
            throw e;
        }
    }

    private void forgetTransactWrites(TransactWriteItemsInput request) {
        if (request.transactItems() == null) return;
        for (TransactWriteItem action : request.transactItems()) {
            if (action.put() != null) forgetItem(Tables.nameOf(action.put().tableName()), action.put().item());
            if (action.update() != null) forgetKey(Tables.nameOf(action.update().tableName()), action.update().key());
            if (action.delete() != null) forgetKey(Tables.nameOf(action.delete().tableName()), action.delete().key());
        }
    }

    // ---- PartiQL: its writes name no key we can read ----

    @Override
    public ExecuteStatementOutput executeStatement(ExecuteStatementInput request) {
        return partiQl(List.of(String.valueOf(request.statement())), () -> delegate.executeStatement(request));
    }

    @Override
    public BatchExecuteStatementOutput batchExecuteStatement(BatchExecuteStatementInput request) {
        List<String> statements = request.statements() == null ? List.of()
                : request.statements().stream().map(s -> String.valueOf(s.statement())).toList();
        return partiQl(statements, () -> delegate.batchExecuteStatement(request));
    }

    @Override
    public ExecuteTransactionOutput executeTransaction(ExecuteTransactionInput request) {
        List<String> statements = request.transactStatements() == null ? List.of()
                : request.transactStatements().stream().map(s -> String.valueOf(s.statement())).toList();
        return partiQl(statements, () -> delegate.executeTransaction(request));
    }

    private <O> O partiQl(List<String> statements, Supplier<O> call) {
        boolean writes = statements.stream().anyMatch(s -> !s.stripLeading().regionMatches(true, 0, "SELECT", 0, 6));
        if (!writes) return call.get();
        try {
            return call.get();
        } finally {
            generations.bumpAll();
            items.invalidateAll();
        }
    }

    // ---- tables ----

    @Override
    public CreateTableOutput createTable(CreateTableInput request) {
        try {
            return delegate.createTable(request);
        } finally {
            forgetTable(Tables.nameOf(request.tableName()));
        }
    }

    @Override
    public UpdateTableOutput updateTable(UpdateTableInput request) {
        try {
            return delegate.updateTable(request);
        } finally {
            forgetTable(Tables.nameOf(request.tableName()));
        }
    }

    @Override
    public DeleteTableOutput deleteTable(DeleteTableInput request) {
        try {
            return delegate.deleteTable(request);
        } finally {
            forgetTable(Tables.nameOf(request.tableName()));
        }
    }

    // ---- DynamoDB Streams: forwarded, so clients need only the accelerator's endpoint ----

    @Override
    public DescribeStreamOutput describeStream(DescribeStreamInput request) {
        return streams == null ? DynamoDbStreamsApi.super.describeStream(request) : streams.describeStream(request);
    }

    @Override
    public GetRecordsOutput getRecords(GetRecordsInput request) {
        return streams == null ? DynamoDbStreamsApi.super.getRecords(request) : streams.getRecords(request);
    }

    @Override
    public GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
        return streams == null ? DynamoDbStreamsApi.super.getShardIterator(request) : streams.getShardIterator(request);
    }

    @Override
    public ListStreamsOutput listStreams(ListStreamsInput request) {
        return streams == null ? DynamoDbStreamsApi.super.listStreams(request) : streams.listStreams(request);
    }

    // ---- invalidation ----

    /**
     * A write to an item was seen on the table's stream: its entries are dropped, unless they hold
     * exactly what the write wrote (the accelerator's own write-through, when the stream carries new
     * images), and so are the table's cached queries.
     */
    void itemChanged(String table, Map<String, AttributeValue> key, Map<String, AttributeValue> newImage, boolean removed) {
        tableWritten(table);
        items.streamed(new ItemCache.Key(table, key), newImage, removed);
    }

    /** Everything of {@code table} is dropped (its stream could not be followed without a gap). */
    void tableChanged(String table) {
        tableWritten(table);
        items.invalidateTable(table);
    }

    private void forgetTable(String name) {
        tableChanged(name);
        tables.forget(name);
    }

    /** Runs the caches' pending evictions and expirations (Caffeine does so lazily). */
    void cleanUp() {
        items.cleanUp();
        queries.cleanUp();
    }

    /**
     * Calls a single-item write. On success the table's generation moves (its cached queries go); on
     * a 5xx, which may hide a write that happened, {@code forget} drops the item too.
     */
    private <O> O write(String name, Supplier<O> call, Runnable forget) {
        O answer;
        try {
            answer = call.get();
        } catch (DynamoDbException e) {
            if (e.status() >= 500) forget.run();
            throw e;
        }
        tableWritten(name);
        return answer;
    }

    /** The table's cached queries go; returns its new generation. */
    private long tableWritten(String name) {
        metrics.query.invalidations.increment();
        return generations.bump(name);
    }

    private void forgetKey(String name, Map<String, AttributeValue> key) {
        tableWritten(name);
        if (key != null) items.invalidate(new ItemCache.Key(name, key));
    }

    private void forgetItem(String name, Map<String, AttributeValue> item) {
        Tables.Table table = tables.get(name);
        Map<String, AttributeValue> key = table == null || item == null ? null : table.keyOf(item);
        if (key != null) {
            forgetKey(name, key);
        } else {
            tableChanged(name);
        }
    }

    private void forgetWrites(String tableName, List<WriteRequest> writes) {
        String name = Tables.nameOf(tableName);
        for (WriteRequest write : writes) {
            if (write.putRequest() != null) forgetItem(name, write.putRequest().item());
            if (write.deleteRequest() != null) forgetKey(name, write.deleteRequest().key());
        }
    }

    private static ItemCache.Projection projectionOf(KeysAndAttributes keys) {
        return ItemCache.Projection.of(keys.projectionExpression(), keys.expressionAttributeNames(), keys.attributesToGet());
    }

    private static boolean asksCapacity(String returnConsumedCapacity) {
        return returnConsumedCapacity != null && !"NONE".equals(returnConsumedCapacity);
    }

    private static long sizeOf(Object answer) {
        return switch (answer) {
            case QueryOutput q -> Sizes.items(q.items()) + Sizes.item(q.lastEvaluatedKey());
            case ScanOutput s -> Sizes.items(s.items()) + Sizes.item(s.lastEvaluatedKey());
            default -> 64;
        };
    }
}

package dev.flywheel.it;

import static dev.flywheel.it.GlobalSecondaryIndexIT.definition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbIndex;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSecondarySortKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.CreateTableEnhancedRequest;
import software.amazon.awssdk.enhanced.dynamodb.model.EnhancedLocalSecondaryIndex;
import software.amazon.awssdk.enhanced.dynamodb.model.Page;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Local secondary indexes through the AWS SDK for Java v2 and its Enhanced Client: creation and
 * description, entries kept exactly in step with the items (read back consistently at once), Query and
 * Scan on an index with paging, attributes fetched from the table, item collection metrics.
 */
class LocalSecondaryIndexIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    static LocalSecondaryIndex index(String name, String range, Consumer<Projection.Builder> projection) {
        return LocalSecondaryIndex.builder().indexName(name).keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build())
                .projection(projection).build();
    }

    /**
     * Orders: pk (S) and sk (N); by-date on date (S) projecting status; by-total on total (N), keys only;
     * by-rank on rank (N), all attributes.
     */
    static CreateTableRequest.Builder orders(String name) {
        return TablesIT.hashAndRange(name)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("date", ScalarAttributeType.S), definition("total", ScalarAttributeType.N),
                        definition("rank", ScalarAttributeType.N))
                .localSecondaryIndexes(
                        index("by-date", "date", p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("status")),
                        index("by-total", "total", p -> p.projectionType(ProjectionType.KEYS_ONLY)),
                        index("by-rank", "rank", p -> p.projectionType(ProjectionType.ALL)));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    private static void put(String table, Map<String, AttributeValue> item) {
        ddb.putItem(b -> b.tableName(table).item(item));
    }

    private static Map<String, AttributeValue> order(String pk, long sk, String date, long total, String status) {
        return Map.of("pk", s(pk), "sk", n(sk), "date", s(date), "total", n(total), "status", s(status),
                "note", s("note " + sk));
    }

    private static QueryRequest.Builder byDate(String table, String pk) {
        return QueryRequest.builder().tableName(table).indexName("by-date").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", s(pk)));
    }

    private static List<Long> sortKeys(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> Long.parseLong(i.get("sk").n())).toList();
    }

    @Test
    void createTableDescribesItsLocalIndexes() {
        String name = TablesIT.uniqueName("lsi-create");
        TableDescription created = ddb.createTable(orders(name).build()).tableDescription();
        assertThat(created.localSecondaryIndexes()).extracting(LocalSecondaryIndexDescription::indexName)
                .containsExactly("by-date", "by-total", "by-rank");

        put(name, order("a", 1, "2024-01-02", 10, "open"));
        TableDescription described = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(described.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("pk", "sk", "date", "total", "rank");
        LocalSecondaryIndexDescription byDate = described.localSecondaryIndexes().getFirst();
        assertThat(byDate.keySchema()).extracting(KeySchemaElement::attributeName, KeySchemaElement::keyType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("pk", KeyType.HASH),
                        org.assertj.core.groups.Tuple.tuple("date", KeyType.RANGE));
        assertThat(byDate.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
        assertThat(byDate.projection().nonKeyAttributes()).containsExactly("status");
        assertThat(byDate.itemCount()).isEqualTo(1);
        assertThat(byDate.indexSizeBytes()).isPositive();
        assertThat(byDate.indexArn()).isEqualTo(described.tableArn() + "/index/by-date");
        LocalSecondaryIndexDescription byRank = described.localSecondaryIndexes().get(2);
        assertThat(byRank.projection().projectionType()).isEqualTo(ProjectionType.ALL);
        assertThat(byRank.projection().hasNonKeyAttributes()).isFalse();
        assertThat(byRank.itemCount()).as("sparse: the item has no rank").isZero();
    }

    @Test
    void createTableValidatesLocalIndexesAsDynamoDb() {
        String name = TablesIT.uniqueName("lsi-invalid");
        assertThatThrownBy(() -> ddb.createTable(orders(name).localSecondaryIndexes(List.of()).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty");
        assertThatThrownBy(() -> ddb.createTable(CreateTableRequest.builder().tableName(name)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("date", ScalarAttributeType.S))
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .localSecondaryIndexes(index("by-date", "date", p -> p.projectionType(ProjectionType.ALL))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Table KeySchema does not have a range"
                        + " key, which is required when specifying a LocalSecondaryIndex");
        assertThatThrownBy(() -> ddb.createTable(orders(name).localSecondaryIndexes(LocalSecondaryIndex.builder()
                .indexName("by-date").keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .projection(p -> p.projectionType(ProjectionType.ALL)).build()).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Index KeySchema does not have a range"
                        + " key for index: by-date");
        assertThatThrownBy(() -> ddb.createTable(orders(name).localSecondaryIndexes(LocalSecondaryIndex.builder()
                .indexName("by-date").keySchema(KeySchemaElement.builder().attributeName("total").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("date").keyType(KeyType.RANGE).build())
                .projection(p -> p.projectionType(ProjectionType.ALL)).build()).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Index KeySchema does not have the same"
                        + " leading hash key as table KeySchema for index: by-date. index hash key: total, table hash key: pk");
        assertThatThrownBy(() -> ddb.createTable(orders(name).localSecondaryIndexes(
                index("one", "date", p -> p.projectionType(ProjectionType.ALL)),
                index("two", "date", p -> p.projectionType(ProjectionType.ALL)),
                index("three", "date", p -> p.projectionType(ProjectionType.ALL)),
                index("four", "date", p -> p.projectionType(ProjectionType.ALL)),
                index("five", "total", p -> p.projectionType(ProjectionType.ALL)),
                index("six", "rank", p -> p.projectionType(ProjectionType.ALL))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds"
                        + " per-table limit of 5");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(GlobalSecondaryIndexIT.index(
                "by-date", "date", null, p -> p.projectionType(ProjectionType.ALL))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Duplicate index name: by-date");
        assertThatThrownBy(() -> ddb.createTable(orders(name).attributeDefinitions(definition("pk", ScalarAttributeType.S),
                definition("sk", ScalarAttributeType.N), definition("date", ScalarAttributeType.S),
                definition("total", ScalarAttributeType.N), definition("rank", ScalarAttributeType.N),
                definition("unused", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Some AttributeDefinitions are not used.");
        assertThat(ddb.listTables().tableNames()).doesNotContain(name);
    }

    @Test
    void updateTableCannotReuseALocalIndexName() {
        String name = TablesIT.uniqueName("lsi-update");
        ddb.createTable(orders(name).build());
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name)
                .attributeDefinitions(definition("date", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("by-date")
                        .keySchema(KeySchemaElement.builder().attributeName("date").keyType(KeyType.HASH).build())
                        .projection(p -> p.projectionType(ProjectionType.ALL))))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("Attempting to create an index which already exists");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name)
                .globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-date")))))
                .hasMessageStartingWith("Cannot delete an index that is not a GlobalSecondaryIndex: by-date");

        // A global index sharing a key attribute with a local one: removing it keeps the attribute's definition.
        ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(u -> u.create(c -> c.indexName("g-total")
                .keySchema(KeySchemaElement.builder().attributeName("total").keyType(KeyType.HASH).build())
                .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))));
        server.awaitIndexes();
        ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("g-total"))));
        server.awaitIndexes();
        TableDescription described = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(described.hasGlobalSecondaryIndexes()).isFalse();
        assertThat(described.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("pk", "sk", "date", "total", "rank");
        assertThat(described.localSecondaryIndexes()).hasSize(3);
    }

    @Test
    void entriesFollowTheirItemsAndAreReadConsistently() {
        String name = TablesIT.uniqueName("lsi-writes");
        ddb.createTable(orders(name).build());
        put(name, order("a", 1, "2024-03-01", 30, "open"));
        put(name, order("a", 2, "2024-01-01", 10, "open"));
        put(name, order("a", 3, "2024-02-01", 20, "closed"));
        put(name, order("b", 1, "2024-01-15", 5, "open"));
        put(name, Map.of("pk", s("a"), "sk", n(4), "note", s("no date, no total")));

        QueryResponse all = ddb.query(byDate(name, "a").consistentRead(true).build());
        assertThat(sortKeys(all.items())).as("index order, sparse").containsExactly(2L, 3L, 1L);
        assertThat(all.items().getFirst()).as("keys and the projected status only")
                .containsOnlyKeys("pk", "sk", "date", "status");
        assertThat(sortKeys(ddb.query(byDate(name, "a").scanIndexForward(false).build()).items()))
                .containsExactly(1L, 3L, 2L);
        assertThat(sortKeys(ddb.query(byDate(name, "a").keyConditionExpression("pk = :p AND #d BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":p", s("a"), ":lo", s("2024-01-15"), ":hi", s("2024-03-01"))).build())
                .items())).containsExactly(3L, 1L);

        // Moving an item's index key moves its entry; removing it removes the entry; deleting the item too.
        ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(2)))
                .updateExpression("SET #d = :d").expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":d", s("2025-01-01"))));
        ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(3))).updateExpression("REMOVE #d")
                .expressionAttributeNames(Map.of("#d", "date")));
        ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1))).updateExpression("SET #s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("shipped"))));
        List<Map<String, AttributeValue>> after = ddb.query(byDate(name, "a").consistentRead(true).build()).items();
        assertThat(sortKeys(after)).containsExactly(1L, 2L);
        assertThat(after.getFirst().get("status")).isEqualTo(s("shipped"));
        ddb.deleteItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1))));
        assertThat(sortKeys(ddb.query(byDate(name, "a").consistentRead(true).build()).items())).containsExactly(2L);
        assertThat(sortKeys(ddb.scan(b -> b.tableName(name).indexName("by-date").consistentRead(true)).items()))
                .containsExactlyInAnyOrder(2L, 1L);

        ddb.deleteTable(b -> b.tableName(name));
        ddb.createTable(orders(name).build());
        assertThat(ddb.scan(b -> b.tableName(name).indexName("by-date")).count()).as("a re-created table starts empty")
                .isZero();
    }

    @Test
    void writesRefuseIndexKeysTheIndexCannotHold() {
        String name = TablesIT.uniqueName("lsi-types");
        ddb.createTable(orders(name).build());
        assertThatThrownBy(() -> put(name, Map.of("pk", s("a"), "sk", n(1), "date", n(20240101))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key date"
                        + " Expected: S Actual: N IndexName: by-date");
        put(name, Map.of("pk", s("a"), "sk", n(1)));
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1)))
                .updateExpression("SET #t = :t").expressionAttributeNames(Map.of("#t", "total"))
                .expressionAttributeValues(Map.of(":t", s("ten")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key total"
                        + " Expected: N Actual: S IndexName: by-total");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1)))
                .updateExpression("SET #d.x = :t").expressionAttributeNames(Map.of("#d", "date"))
                .expressionAttributeValues(Map.of(":t", s("ten")))))
                .hasMessageContaining("IndexKey: date");
        assertThat(ddb.scan(b -> b.tableName(name).indexName("by-total")).count()).isZero();
    }

    @Test
    void unprojectedAttributesAreFetchedFromTheTableAtTheirCost() {
        String name = TablesIT.uniqueName("lsi-fetch");
        ddb.createTable(orders(name).build());
        for (int i = 1; i <= 3; i++) put(name, order("a", i, "2024-01-0" + i, i * 10L, "open"));

        QueryRequest byTotal = QueryRequest.builder().tableName(name).indexName("by-total")
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", s("a")))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES).build();
        QueryResponse keysOnly = ddb.query(byTotal);
        assertThat(keysOnly.items().getFirst()).containsOnlyKeys("pk", "sk", "total");
        assertThat(keysOnly.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(keysOnly.consumedCapacity().localSecondaryIndexes()).containsOnlyKeys("by-total");

        QueryResponse all = ddb.query(byTotal.toBuilder().select(Select.ALL_ATTRIBUTES).build());
        assertThat(all.items()).containsExactly(order("a", 1, "2024-01-01", 10, "open"),
                order("a", 2, "2024-01-02", 20, "open"), order("a", 3, "2024-01-03", 30, "open"));
        // The index read (0.5) and one eventually consistent read of each item from the table (0.5 each).
        assertThat(all.consumedCapacity().capacityUnits()).isEqualTo(2.0);
        assertThat(all.consumedCapacity().table().capacityUnits()).isEqualTo(1.5);
        assertThat(all.consumedCapacity().localSecondaryIndexes().get("by-total").capacityUnits()).isEqualTo(0.5);

        QueryResponse projected = ddb.query(byTotal.toBuilder().projectionExpression("note, #t")
                .expressionAttributeNames(Map.of("#t", "total")).consistentRead(true).build());
        assertThat(projected.items().getFirst()).isEqualTo(Map.of("note", s("note 1"), "total", n(10)));
        assertThat(ddb.query(byTotal.toBuilder().select(Select.ALL_PROJECTED_ATTRIBUTES).build()).items().getFirst())
                .containsOnlyKeys("pk", "sk", "total");
        assertThat(ddb.scan(b -> b.tableName(name).indexName("by-date").select(Select.ALL_ATTRIBUTES)).items())
                .hasSize(3).allSatisfy(item -> assertThat(item).containsKey("note"));

        assertThatThrownBy(() -> ddb.query(byTotal.toBuilder().filterExpression("note = :n")
                .expressionAttributeValues(Map.of(":p", s("a"), ":n", s("x"))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Secondary index by-total does not"
                        + " project one or more filter attributes: [note]");
        assertThatThrownBy(() -> ddb.query(byTotal.toBuilder().indexName("nope").build()))
                .hasMessageStartingWith("The table does not have the specified index: nope");
    }

    /** The units of a write, in total and in each local index (null: none there). */
    private static void assertUnits(ConsumedCapacity consumed, double total, Double byDate, Double byTotal) {
        assertThat(consumed.capacityUnits()).isEqualTo(total);
        assertThat(consumed.table().capacityUnits()).isEqualTo(1.0);
        Map<String, Capacity> indexes = consumed.hasLocalSecondaryIndexes() ? consumed.localSecondaryIndexes() : Map.of();
        assertThat(indexes.get("by-date") == null ? null : indexes.get("by-date").capacityUnits()).isEqualTo(byDate);
        assertThat(indexes.get("by-total") == null ? null : indexes.get("by-total").capacityUnits()).isEqualTo(byTotal);
    }

    /** The figures are DynamoDB Local 3.3.1's for the same requests (and the Developer Guide's rules). */
    @Test
    void writesCostCapacityInEachIndexTheyWrite() {
        String name = TablesIT.uniqueName("lsi-wcu");
        ddb.createTable(orders(name).build());
        Map<String, AttributeValue> key = Map.of("pk", s("a"), "sk", n(7));
        ReturnConsumedCapacity indexes = ReturnConsumedCapacity.INDEXES;
        assertUnits(ddb.putItem(b -> b.tableName(name).returnConsumedCapacity(indexes).item(Map.of("pk", s("a"),
                "sk", n(7), "date", s("x"), "total", n(1), "status", s("s")))).consumedCapacity(), 3.0, 1.0, 1.0);
        UpdateItemRequest.Builder update = UpdateItemRequest.builder().tableName(name).key(key).returnConsumedCapacity(indexes);
        assertUnits(ddb.updateItem(update.updateExpression("SET note = :n")
                .expressionAttributeValues(Map.of(":n", s("n"))).build()).consumedCapacity(), 1.0, null, null);
        assertUnits(ddb.updateItem(update.updateExpression("SET #s = :v").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":v", s("t"))).build()).consumedCapacity(), 2.0, 1.0, null);
        assertUnits(ddb.updateItem(update.updateExpression("SET #s = :v").expressionAttributeNames(Map.of("#s", "date"))
                .expressionAttributeValues(Map.of(":v", s("y"))).build()).consumedCapacity(), 3.0, 2.0, null);
        assertUnits(ddb.updateItem(update.updateExpression("REMOVE #s").expressionAttributeNames(Map.of("#s", "date"))
                .expressionAttributeValues(null).build()).consumedCapacity(), 2.0, 1.0, null);
        assertUnits(ddb.deleteItem(b -> b.tableName(name).key(key).returnConsumedCapacity(indexes)).consumedCapacity(),
                2.0, null, 1.0);
        assertUnits(ddb.deleteItem(b -> b.tableName(name).key(key).returnConsumedCapacity(indexes)).consumedCapacity(),
                1.0, null, null);
    }

    @Test
    void pagesResumeFromTheTableAndIndexKeys() {
        String name = TablesIT.uniqueName("lsi-pages");
        ddb.createTable(orders(name).build());
        // Equal index keys: entries stay distinct, ordered by the table's sort key.
        for (int i = 0; i < 7; i++) put(name, order("a", i, "same", i, "open"));
        for (int i = 0; i < 5; i++) put(name, order("p" + i, 0, "d", i, "open"));

        List<Long> seen = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = ddb.query(byDate(name, "a").limit(3).exclusiveStartKey(start).build());
            seen.addAll(sortKeys(page.items()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            if (start != null) assertThat(start).containsOnlyKeys("pk", "sk", "date");
        } while (start != null);
        assertThat(seen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);

        assertThatThrownBy(() -> ddb.query(byDate(name, "a").exclusiveStartKey(Map.of("pk", s("a"), "sk", n(1))).build()))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("The provided starting key is invalid");

        Set<String> scanned = new HashSet<>();
        for (int segment = 0; segment < 3; segment++) {
            int seg = segment;
            Map<String, AttributeValue> from = null;
            do {
                Map<String, AttributeValue> resume = from;
                ScanResponse page = ddb.scan(b -> b.tableName(name).indexName("by-date").segment(seg).totalSegments(3)
                        .limit(2).exclusiveStartKey(resume));
                for (Map<String, AttributeValue> item : page.items()) {
                    assertThat(scanned.add(item.get("pk").s() + "/" + item.get("sk").n())).isTrue();
                }
                from = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
            } while (from != null);
        }
        assertThat(scanned).hasSize(12);
    }

    @Test
    void writesReportTheirItemCollectionOnRequest() {
        String name = TablesIT.uniqueName("lsi-metrics");
        ddb.createTable(orders(name).build());
        PutItemResponse put = ddb.putItem(b -> b.tableName(name).item(order("a", 1, "d", 1, "open"))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        assertThat(put.itemCollectionMetrics().itemCollectionKey()).isEqualTo(Map.of("pk", s("a")));
        assertThat(put.itemCollectionMetrics().sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
        UpdateItemResponse update = ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1)))
                .updateExpression("SET #s = :s").expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", s("closed"))).returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        assertThat(update.itemCollectionMetrics().itemCollectionKey()).isEqualTo(Map.of("pk", s("a")));
        DeleteItemResponse delete = ddb.deleteItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n(1)))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE));
        assertThat(delete.itemCollectionMetrics().sizeEstimateRangeGB()).containsExactly(0.0, 1.0);
        BatchWriteItemResponse batch = ddb.batchWriteItem(b -> b.returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)
                .requestItems(Map.of(name, List.of(WriteRequest.builder().putRequest(r -> r.item(order("b", 1, "d", 1, "x"))).build()))));
        assertThat(batch.itemCollectionMetrics().get(name)).singleElement()
                .satisfies(m -> assertThat(m.itemCollectionKey()).isEqualTo(Map.of("pk", s("b"))));

        assertThat(ddb.putItem(b -> b.tableName(name).item(order("a", 2, "d", 1, "open"))).itemCollectionMetrics())
                .as("not asked for").isNull();
        String plain = TablesIT.uniqueName("lsi-none");
        ddb.createTable(TablesIT.hashAndRange(plain).build());
        assertThat(ddb.putItem(b -> b.tableName(plain).item(Map.of("pk", s("a"), "sk", n(1)))
                .returnItemCollectionMetrics(ReturnItemCollectionMetrics.SIZE)).itemCollectionMetrics())
                .as("a table without local indexes has no item collections").isNull();
    }

    /**
     * Entries are written in the item's own atomic write, so a server killed in the middle of writes that
     * create, move and remove index keys leaves every index exactly matching its items after a restart.
     */
    @Test
    @Tag("slow")
    void indexesMatchTheirItemsAfterKill9(@TempDir Path dataDir) throws Exception {
        String name = "lsi-crash";
        try (ServerProcess server = ServerProcess.jar(dataDir)) {
            try (DynamoDbClient client = Clients.sync(server.endpoint())) {
                client.createTable(orders(name).build());
            }
            CountDownLatch enoughWritten = new CountDownLatch(2);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                String pk = "w" + w;
                writers.add(pool.submit(() -> {
                    Random random = new Random(pk.hashCode());
                    try (DynamoDbClient client = Clients.sync(server.endpoint())) {
                        for (int i = 0; ; i++) {
                            long sk = random.nextInt(20);
                            if (random.nextInt(4) == 0) {
                                client.deleteItem(b -> b.tableName(name).key(Map.of("pk", s(pk), "sk", n(sk))));
                            } else if (random.nextBoolean()) {
                                client.putItem(b -> b.tableName(name).item(order(pk, sk, "d" + random.nextInt(5),
                                        random.nextInt(5), "open")));
                            } else {
                                client.updateItem(b -> b.tableName(name).key(Map.of("pk", s(pk), "sk", n(sk)))
                                        .updateExpression("SET #r = :r REMOVE #d").expressionAttributeNames(Map.of(
                                                "#r", "rank", "#d", "date"))
                                        .expressionAttributeValues(Map.of(":r", n(random.nextInt(5)))));
                            }
                            if (i == 300) enoughWritten.countDown();
                        }
                    } catch (RuntimeException expected) {
                        // the server was killed under us: stop writing
                    }
                    return null;
                }));
            }
            enoughWritten.await();
            server.kill();
            for (Future<?> f : writers) f.get();
            pool.shutdown();
        }
        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient client = Clients.sync(restarted.endpoint())) {
            List<Map<String, AttributeValue>> items = client.scan(b -> b.tableName(name).consistentRead(true)).items();
            assertThat(items).isNotEmpty();
            for (String index : List.of("by-date", "by-total", "by-rank")) {
                String range = switch (index) { case "by-date" -> "date"; case "by-total" -> "total"; default -> "rank"; };
                Set<String> expected = new HashSet<>();
                for (Map<String, AttributeValue> item : items) {
                    if (item.containsKey(range)) expected.add(item.get("pk").s() + "/" + item.get("sk").n() + "/" + item.get(range));
                }
                Set<String> actual = new HashSet<>();
                for (Map<String, AttributeValue> entry : client.scan(b -> b.tableName(name).indexName(index)
                        .consistentRead(true)).items()) {
                    assertThat(actual.add(entry.get("pk").s() + "/" + entry.get("sk").n() + "/" + entry.get(range))).isTrue();
                }
                assertThat(actual).as("index %s", index).isEqualTo(expected);
            }
        }
    }

    /** An order as the Enhanced Client maps it, with a local index on its date. */
    @DynamoDbBean
    public static class Order {
        private String customer;
        private int number;
        private String date;
        private String item;

        @DynamoDbPartitionKey
        public String getCustomer() { return customer; }
        public void setCustomer(String customer) { this.customer = customer; }
        @DynamoDbSortKey
        public int getNumber() { return number; }
        public void setNumber(int number) { this.number = number; }
        @DynamoDbSecondarySortKey(indexNames = "by-date")
        public String getDate() { return date; }
        public void setDate(String date) { this.date = date; }
        public String getItem() { return item; }
        public void setItem(String item) { this.item = item; }

        static Order of(String customer, int number, String date, String item) {
            Order o = new Order();
            o.setCustomer(customer);
            o.setNumber(number);
            o.setDate(date);
            o.setItem(item);
            return o;
        }
    }

    @Test
    void enhancedClientQueriesALocalIndex() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build();
        DynamoDbTable<Order> orders = enhanced.table(TablesIT.uniqueName("lsi-enhanced"), TableSchema.fromBean(Order.class));
        orders.createTable(CreateTableEnhancedRequest.builder().localSecondaryIndices(EnhancedLocalSecondaryIndex.builder()
                .indexName("by-date").projection(p -> p.projectionType(ProjectionType.ALL)).build()).build());
        orders.putItem(Order.of("ann", 1, "2024-05-01", "pen"));
        orders.putItem(Order.of("ann", 2, "2024-04-01", "ink"));
        orders.putItem(Order.of("ann", 3, "2024-06-01", "pad"));
        orders.putItem(Order.of("bob", 1, "2024-01-01", "cap"));

        DynamoDbIndex<Order> byDate = orders.index("by-date");
        List<String> items = new ArrayList<>();
        for (Page<Order> page : byDate.query(QueryEnhancedRequest.builder()
                .queryConditional(QueryConditional.sortGreaterThan(Key.builder().partitionValue("ann").sortValue("2024-04-15").build()))
                .consistentRead(true).limit(1).build())) {
            page.items().forEach(o -> items.add(o.getItem()));
        }
        assertThat(items).containsExactly("pen", "pad");
    }
}

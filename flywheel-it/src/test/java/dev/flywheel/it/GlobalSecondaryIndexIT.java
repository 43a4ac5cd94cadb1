package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Global secondary indexes through the AWS SDK for Java v2: creation and description, maintenance as
 * items change, Query and Scan on an index, and indexes added and removed by UpdateTable.
 */
class GlobalSecondaryIndexIT {
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

    static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static GlobalSecondaryIndex index(String name, String hash, String range, Consumer<Projection.Builder> projection) {
        List<KeySchemaElement> key = new ArrayList<>();
        key.add(KeySchemaElement.builder().attributeName(hash).keyType(KeyType.HASH).build());
        if (range != null) key.add(KeySchemaElement.builder().attributeName(range).keyType(KeyType.RANGE).build());
        return GlobalSecondaryIndex.builder().indexName(name).keySchema(key).projection(projection).build();
    }

    /**
     * Orders: pk (S) and sk (N); by-customer on customer (S) and total (N) projecting status; by-status
     * on status, keys only; by-email on email alone, all attributes.
     */
    static CreateTableRequest.Builder orders(String name) {
        return TablesIT.hashAndRange(name)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N),
                        definition("status", ScalarAttributeType.S), definition("email", ScalarAttributeType.S))
                .globalSecondaryIndexes(
                        index("by-customer", "customer", "total", p -> p.projectionType(ProjectionType.INCLUDE)
                                .nonKeyAttributes("status")),
                        index("by-status", "status", null, p -> p.projectionType(ProjectionType.KEYS_ONLY)),
                        index("by-email", "email", null, p -> p.projectionType(ProjectionType.ALL)));
    }

    @Test
    void createTableDescribesItsIndexes() {
        String name = TablesIT.uniqueName("gsi-create");
        TableDescription created = ddb.createTable(orders(name).build()).tableDescription();
        assertThat(created.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactly("by-customer", "by-status", "by-email");
        assertThat(created.globalSecondaryIndexes()).allSatisfy(i -> assertThat(i.indexStatus()).isEqualTo(IndexStatus.CREATING));

        TableDescription described = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(described.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("pk", "sk", "customer", "total", "status", "email");
        GlobalSecondaryIndexDescription byCustomer = described.globalSecondaryIndexes().getFirst();
        assertThat(byCustomer.indexName()).isEqualTo("by-customer");
        assertThat(byCustomer.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        assertThat(byCustomer.backfilling()).isNull();
        assertThat(byCustomer.keySchema()).extracting(KeySchemaElement::attributeName, KeySchemaElement::keyType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("customer", KeyType.HASH),
                        org.assertj.core.groups.Tuple.tuple("total", KeyType.RANGE));
        assertThat(byCustomer.projection().projectionType()).isEqualTo(ProjectionType.INCLUDE);
        assertThat(byCustomer.projection().nonKeyAttributes()).containsExactly("status");
        assertThat(byCustomer.provisionedThroughput().readCapacityUnits()).isZero();
        assertThat(byCustomer.provisionedThroughput().writeCapacityUnits()).isZero();
        assertThat(byCustomer.provisionedThroughput().numberOfDecreasesToday()).isZero();
        assertThat(byCustomer.itemCount()).isZero();
        assertThat(byCustomer.indexSizeBytes()).isZero();
        assertThat(byCustomer.indexArn()).isEqualTo(described.tableArn() + "/index/by-customer");
        GlobalSecondaryIndexDescription byStatus = described.globalSecondaryIndexes().get(1);
        assertThat(byStatus.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("status");
        assertThat(byStatus.projection().projectionType()).isEqualTo(ProjectionType.KEYS_ONLY);
        assertThat(byStatus.projection().hasNonKeyAttributes()).isFalse();
    }

    @Test
    void provisionedTablesGiveEachIndexItsThroughput() {
        String name = TablesIT.uniqueName("gsi-prov");
        GlobalSecondaryIndex withThroughput = index("by-customer", "customer", null, p -> p.projectionType(ProjectionType.ALL))
                .toBuilder().provisionedThroughput(t -> t.readCapacityUnits(3L).writeCapacityUnits(4L)).build();
        CreateTableRequest.Builder request = TablesIT.hashAndRange(name)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("customer", ScalarAttributeType.S))
                .billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L));

        assertThatThrownBy(() -> ddb.createTable(request.globalSecondaryIndexes(
                index("by-customer", "customer", null, p -> p.projectionType(ProjectionType.ALL))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: ProvisionedThroughput is not specified"
                        + " for index: by-customer");

        ddb.createTable(request.globalSecondaryIndexes(withThroughput).build());
        GlobalSecondaryIndexDescription described = ddb.describeTable(b -> b.tableName(name)).table()
                .globalSecondaryIndexes().getFirst();
        assertThat(described.provisionedThroughput().readCapacityUnits()).isEqualTo(3L);
        assertThat(described.provisionedThroughput().writeCapacityUnits()).isEqualTo(4L);

        assertThatThrownBy(() -> ddb.createTable(orders(TablesIT.uniqueName("gsi-ppr"))
                .globalSecondaryIndexes(withThroughput.toBuilder().keySchema(
                        KeySchemaElement.builder().attributeName("email").keyType(KeyType.HASH).build()).build())
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S))
                .build()))
                .hasMessageStartingWith("One or more parameter values were invalid: ProvisionedThroughput should not be"
                        + " specified for index: by-customer when BillingMode is PAY_PER_REQUEST");
    }

    @Test
    void createTableValidatesIndexesAsDynamoDb() {
        String name = TablesIT.uniqueName("gsi-bad");
        assertThatThrownBy(() -> ddb.createTable(orders(name).attributeDefinitions(definition("pk", ScalarAttributeType.S),
                definition("sk", ScalarAttributeType.N), definition("customer", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Some index key attributes are not"
                        + " defined in AttributeDefinitions. Keys: [customer, total], AttributeDefinitions: [pk, sk, customer]");
        assertThatThrownBy(() -> ddb.createTable(orders(name)
                .globalSecondaryIndexes(index("by-email", "email", null, p -> p.projectionType(ProjectionType.ALL))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Some AttributeDefinitions are not used."
                        + " AttributeDefinitions: [pk, sk, customer, total, status, email], keys used: [pk, sk, email]");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(
                index("twice", "email", null, p -> p.projectionType(ProjectionType.ALL)),
                index("twice", "status", null, p -> p.projectionType(ProjectionType.ALL))).attributeDefinitions(
                definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                definition("status", ScalarAttributeType.S), definition("email", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Duplicate index name: twice");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(
                index("by-email", "email", null, p -> p.projectionType(ProjectionType.KEYS_ONLY).nonKeyAttributes("x")))
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: ProjectionType is KEYS_ONLY, but"
                        + " NonKeyAttributes is specified");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(
                index("by-email", "email", null, p -> p.projectionType(ProjectionType.INCLUDE)))
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: ProjectionType is INCLUDE, but"
                        + " NonKeyAttributes is not specified");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(
                index("by-email", "email", null, p -> {}))
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Unknown ProjectionType: null");
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(
                index("ab", "email", null, p -> p.projectionType(ProjectionType.ALL)))
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S)).build()))
                .hasMessageContaining("Member must have length greater than or equal to 3");

        List<GlobalSecondaryIndex> tooMany = new ArrayList<>();
        for (int i = 0; i < 21; i++) tooMany.add(index("index-" + i, "email", null, p -> p.projectionType(ProjectionType.ALL)));
        assertThatThrownBy(() -> ddb.createTable(orders(name).globalSecondaryIndexes(tooMany)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("email", ScalarAttributeType.S)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the"
                        + " per-table limit of 20");
        assertThat(ddb.listTables().tableNames()).doesNotContain(name);
    }

    static AttributeValue s(String v) { return AttributeValue.fromS(v); }

    static AttributeValue n(String v) { return AttributeValue.fromN(v); }

    @Test
    void writesRefuseIndexKeysTheIndexCannotHold() {
        String name = TablesIT.uniqueName("gsi-keys");
        ddb.createTable(orders(name).build());
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "sk", n("1"),
                "customer", n("5")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key customer"
                        + " Expected: S Actual: N IndexName: by-customer");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "sk", n("1"),
                "status", AttributeValue.fromNul(true)))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key status"
                        + " Expected: S Actual: NULL IndexName: by-status");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "sk", n("1"),
                "email", s("")))))
                .hasMessageStartingWith("One or more parameter values are not valid. A value specified for a secondary"
                        + " index key is not supported. The AttributeValue for a key attribute cannot contain an empty"
                        + " string value. IndexName: by-email, IndexKey: email");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n("1")))
                .updateExpression("SET #t = :t").expressionAttributeNames(Map.of("#t", "total"))
                .expressionAttributeValues(Map.of(":t", s("lots")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key total"
                        + " Expected: N Actual: S IndexName: by-customer");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n("1")))
                .updateExpression("SET email = :e").expressionAttributeValues(Map.of(":e", s("")))))
                .hasMessageStartingWith("One or more parameter values are not valid. The update expression attempted to"
                        + " update a secondary index key to a value that is not supported. The AttributeValue for a key"
                        + " attribute cannot contain an empty string value.");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(name).key(Map.of("pk", s("a"), "sk", n("1")))
                .updateExpression("SET customer.given = :v").expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageStartingWith("Key attributes must be scalars; list random access '[]' and map lookup '.' are"
                        + " not allowed: IndexKey: customer");
        assertThatThrownBy(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(name, List.of(WriteRequest.builder()
                .putRequest(p -> p.item(Map.of("pk", s("a"), "sk", n("1"), "total", s("x")))).build())))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key total"
                        + " Expected: N Actual: S IndexName: by-customer");
        // Nothing was written.
        assertThat(ddb.scan(b -> b.tableName(name)).count()).isZero();
    }

    @Test
    void describeTableCountsEachIndexsItems() {
        String name = TablesIT.uniqueName("gsi-count");
        ddb.createTable(orders(name).build());
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("a"), "sk", n("1"), "customer", s("c1"), "total", n("10"))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("b"), "sk", n("1"), "customer", s("c1"), "total", n("20"),
                "status", s("open"))));
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", s("c"), "sk", n("1"), "customer", s("c2"))));
        server.awaitIndexes();
        Map<String, GlobalSecondaryIndexDescription> indexes = new java.util.HashMap<>();
        ddb.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().forEach(i -> indexes.put(i.indexName(), i));
        // c has no total: by-customer needs both its keys.
        assertThat(indexes.get("by-customer").itemCount()).isEqualTo(2);
        assertThat(indexes.get("by-customer").indexSizeBytes()).isPositive();
        assertThat(indexes.get("by-status").itemCount()).isEqualTo(1);
        assertThat(indexes.get("by-email").itemCount()).isZero();
    }

    /** An order; null attributes are left out. */
    static Map<String, AttributeValue> order(String pk, int sk, String customer, Integer total, String status) {
        Map<String, AttributeValue> item = new java.util.LinkedHashMap<>();
        item.put("pk", s(pk));
        item.put("sk", n(Integer.toString(sk)));
        if (customer != null) item.put("customer", s(customer));
        if (total != null) item.put("total", n(Integer.toString(total)));
        if (status != null) item.put("status", s(status));
        item.put("note", s("note of " + pk + "/" + sk));
        return item;
    }

    static QueryRequest.Builder byCustomer(String table, String customer) {
        return QueryRequest.builder().tableName(table).indexName("by-customer")
                .keyConditionExpression("customer = :c").expressionAttributeValues(Map.of(":c", s(customer)));
    }

    static List<String> keysOf(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("pk").s() + "/" + i.get("sk").n()).toList();
    }

    @Test
    void queryReadsAnIndexInItsKeyOrderWithWhatItProjects() {
        String name = TablesIT.uniqueName("gsi-query");
        ddb.createTable(orders(name).build());
        ddb.putItem(b -> b.tableName(name).item(order("a", 1, "c1", 30, "open")));
        ddb.putItem(b -> b.tableName(name).item(order("b", 1, "c1", 10, "closed")));
        ddb.putItem(b -> b.tableName(name).item(order("c", 1, "c1", 20, null)));
        ddb.putItem(b -> b.tableName(name).item(order("d", 1, "c2", 5, "open")));
        ddb.putItem(b -> b.tableName(name).item(order("e", 1, null, 5, "open")));
        server.awaitIndexes();

        QueryResponse all = ddb.query(byCustomer(name, "c1").build());
        assertThat(keysOf(all.items())).containsExactly("b/1", "c/1", "a/1");
        // INCLUDE status: the keys of table and index, and status; never note.
        assertThat(all.items().getFirst()).isEqualTo(Map.of("pk", s("b"), "sk", n("1"), "customer", s("c1"),
                "total", n("10"), "status", s("closed")));
        assertThat(all.count()).isEqualTo(3);
        assertThat(all.lastEvaluatedKey()).isEmpty();

        QueryResponse range = ddb.query(byCustomer(name, "c1").keyConditionExpression("customer = :c AND #t BETWEEN :lo AND :hi")
                .expressionAttributeNames(Map.of("#t", "total"))
                .expressionAttributeValues(Map.of(":c", s("c1"), ":lo", n("15"), ":hi", n("30")))
                .scanIndexForward(false).build());
        assertThat(keysOf(range.items())).containsExactly("a/1", "c/1");

        QueryResponse filtered = ddb.query(byCustomer(name, "c1").filterExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":c", s("c1"), ":s", s("open"))).build());
        assertThat(keysOf(filtered.items())).containsExactly("a/1");
        assertThat(filtered.scannedCount()).isEqualTo(3);

        // KEYS_ONLY, and sparse: only items with a status are in by-status.
        QueryResponse open = ddb.query(b -> b.tableName(name).indexName("by-status").keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":s", s("open"))));
        assertThat(open.items()).containsExactlyInAnyOrder(
                Map.of("pk", s("a"), "sk", n("1"), "status", s("open")),
                Map.of("pk", s("d"), "sk", n("1"), "status", s("open")),
                Map.of("pk", s("e"), "sk", n("1"), "status", s("open")));
        assertThat(ddb.scan(b -> b.tableName(name).indexName("by-status")).count()).isEqualTo(4);
        assertThat(ddb.scan(b -> b.tableName(name).indexName("by-email")).count()).isZero();
        assertThat(ddb.query(byCustomer(name, "c1").select(Select.COUNT).build()).count()).isEqualTo(3);

        ConsumedCapacity consumed = ddb.query(byCustomer(name, "c1").returnConsumedCapacity(ReturnConsumedCapacity.INDEXES)
                .build()).consumedCapacity();
        assertThat(consumed.tableName()).isEqualTo(name);
        assertThat(consumed.capacityUnits()).isEqualTo(0.5);
        assertThat(consumed.globalSecondaryIndexes()).containsOnlyKeys("by-customer");
        assertThat(consumed.globalSecondaryIndexes().get("by-customer").capacityUnits()).isEqualTo(0.5);
    }

    @Test
    void entriesWithEqualIndexKeysStayDistinctAndPaginate() {
        String name = TablesIT.uniqueName("gsi-pages");
        ddb.createTable(orders(name).build());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String pk = "p" + (char) ('a' + i % 4);
            int sk = i / 4;
            ddb.putItem(b -> b.tableName(name).item(order(pk, sk, "same", 7, "s" + (sk % 2))));
        }
        List<String> all = new ArrayList<>();
        for (char c = 'a'; c <= 'd'; c++) for (int sk = 0; sk < 3; sk++) all.add("p" + c + "/" + sk);
        server.awaitIndexes();

        // Equal index keys: every entry once, in one order that paging keeps. DynamoDB promises no order among
        // them; Flywheel's is by the table key as stored (the partition key hidden by encryption at rest).
        QueryResponse whole = ddb.query(byCustomer(name, "same").build());
        expected.addAll(keysOf(whole.items()));
        assertThat(expected).containsExactlyInAnyOrderElementsOf(all);
        QueryResponse first = ddb.query(byCustomer(name, "same").limit(5).build());
        assertThat(keysOf(first.items())).isEqualTo(expected.subList(0, 5));
        Map<String, AttributeValue> fifth = first.items().get(4);
        assertThat(first.lastEvaluatedKey()).isEqualTo(Map.of("customer", s("same"), "total", n("7"),
                "pk", fifth.get("pk"), "sk", fifth.get("sk")));
        QueryResponse second = ddb.query(byCustomer(name, "same").limit(5).exclusiveStartKey(first.lastEvaluatedKey()).build());
        assertThat(keysOf(second.items())).isEqualTo(expected.subList(5, 10));

        List<Map<String, AttributeValue>> paged = new ArrayList<>();
        ddb.queryPaginator(byCustomer(name, "same").limit(5).build()).items().forEach(paged::add);
        assertThat(keysOf(paged)).isEqualTo(expected);
        List<Map<String, AttributeValue>> backwards = new ArrayList<>();
        ddb.queryPaginator(byCustomer(name, "same").limit(4).scanIndexForward(false).build()).items().forEach(backwards::add);
        assertThat(keysOf(backwards)).isEqualTo(expected.reversed());

        List<Map<String, AttributeValue>> scanned = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(name).indexName("by-status").limit(5)).items().forEach(scanned::add);
        assertThat(keysOf(scanned)).containsExactlyInAnyOrderElementsOf(expected);
        ScanResponse page = ddb.scan(b -> b.tableName(name).indexName("by-status").limit(2));
        assertThat(page.lastEvaluatedKey()).containsOnlyKeys("status", "pk", "sk");

        List<String> segments = new ArrayList<>();
        for (int segment = 0; segment < 3; segment++) {
            int seg = segment;
            ddb.scanPaginator(b -> b.tableName(name).indexName("by-customer").segment(seg).totalSegments(3).limit(2))
                    .items().forEach(i -> segments.add(i.get("pk").s() + "/" + i.get("sk").n()));
        }
        assertThat(segments).containsExactlyInAnyOrderElementsOf(expected);

        assertThatThrownBy(() -> ddb.query(byCustomer(name, "same").exclusiveStartKey(Map.of("customer", s("same"),
                "pk", s("pa"), "sk", n("0"))).build()))
                .hasMessageStartingWith("The provided starting key is invalid: The provided key element does not match the schema");
    }

    @Test
    void noEntryIsLeftBehindWhenItemsMoveOrLoseTheirIndexKeys() {
        String name = TablesIT.uniqueName("gsi-moves");
        ddb.createTable(orders(name).build());
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 300; i++) {
            String pk = "k" + random.nextInt(15);
            int choice = random.nextInt(6);
            String customer = random.nextInt(4) == 0 ? null : "c" + random.nextInt(3);
            Integer total = random.nextInt(5) == 0 ? null : random.nextInt(4);
            Map<String, AttributeValue> key = Map.of("pk", s(pk), "sk", n("0"));
            switch (choice) {
                case 0 -> ddb.deleteItem(b -> b.tableName(name).key(key));
                case 1 -> ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("REMOVE customer"));
                case 2 -> ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("SET customer = :c")
                        .expressionAttributeValues(Map.of(":c", s(customer == null ? "c9" : customer))));
                case 3 -> ddb.batchWriteItem(b -> b.requestItems(Map.of(name, List.of(WriteRequest.builder()
                        .putRequest(p -> p.item(order(pk, 0, customer, total, null))).build()))));
                default -> ddb.putItem(b -> b.tableName(name).item(order(pk, 0, customer, total, "x")));
            }
        }
        server.awaitIndexes();
        List<String> expected = new ArrayList<>();
        for (Map<String, AttributeValue> item : ddb.scan(b -> b.tableName(name).consistentRead(true)).items()) {
            if (item.containsKey("customer") && item.containsKey("total")) {
                expected.add(item.get("customer").s() + ":" + item.get("total").n() + ":" + item.get("pk").s());
            }
        }
        List<String> indexed = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(name).indexName("by-customer").limit(7)).items()
                .forEach(i -> indexed.add(i.get("customer").s() + ":" + i.get("total").n() + ":" + i.get("pk").s()));
        assertThat(indexed).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void indexReadsAreRefusedAsDynamoDbRefusesThem() {
        String name = TablesIT.uniqueName("gsi-refused");
        ddb.createTable(orders(name).build());
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").indexName("nope").build()))
                .hasMessageStartingWith("The table does not have the specified index: nope");
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(name).indexName("nope")))
                .hasMessageStartingWith("The table does not have the specified index: nope");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").consistentRead(true).build()))
                .hasMessageStartingWith("Consistent reads are not supported on global secondary indexes");
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(name).indexName("by-status").consistentRead(true)))
                .hasMessageStartingWith("Consistent reads are not supported on global secondary indexes");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").select(Select.ALL_ATTRIBUTES).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not"
                        + " supported for global secondary index by-customer because its projection type is not ALL");
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(name).indexName("by-status").select(Select.ALL_ATTRIBUTES)))
                .hasMessageStartingWith("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not"
                        + " supported for global secondary index by-status because its projection type is not ALL");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").projectionExpression("pk, note, customer").build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Global secondary index by-customer"
                        + " does not project [note]");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").attributesToGet("note", "pk").build()
                .toBuilder().keyConditionExpression(null).expressionAttributeValues(null)
                .keyConditions(Map.of("customer", Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                        .attributeValueList(s("c")).build())).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Global secondary index by-customer"
                        + " does not project [note]");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").filterExpression("note = :c").build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Secondary index by-customer does not"
                        + " project one or more filter attributes: [note]");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").filterExpression("#t > :c")
                .expressionAttributeNames(Map.of("#t", "total")).build()))
                .hasMessageStartingWith("Filter Expression can only contain non-primary key attributes: Primary key"
                        + " attribute: total");
        assertThatThrownBy(() -> ddb.query(byCustomer(name, "c").keyConditionExpression("pk = :c").build()))
                .hasMessageStartingWith("Query condition missed key schema element: customer");
        assertThatThrownBy(() -> ddb.query(b -> b.tableName(name).keyConditionExpression("pk = :c")
                .expressionAttributeValues(Map.of(":c", s("c"))).select(Select.ALL_PROJECTED_ATTRIBUTES)))
                .hasMessageStartingWith("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");

        // What an index projects can be asked for by name, or all at once.
        assertThat(ddb.query(byCustomer(name, "c").projectionExpression("pk, #s").expressionAttributeNames(
                Map.of("#s", "status")).build()).items()).isEmpty();
        assertThat(ddb.query(byCustomer(name, "c").select(Select.ALL_PROJECTED_ATTRIBUTES).build()).count()).isZero();
        assertThat(ddb.query(b -> b.tableName(name).indexName("by-email").keyConditionExpression("email = :e")
                .expressionAttributeValues(Map.of(":e", s("x"))).select(Select.ALL_ATTRIBUTES)).count()).isZero();
    }

    static GlobalSecondaryIndexUpdate createIndex(String name, String hash, String range, Consumer<Projection.Builder> projection) {
        GlobalSecondaryIndex index = index(name, hash, range, projection);
        return GlobalSecondaryIndexUpdate.builder().create(c -> c.indexName(index.indexName()).keySchema(index.keySchema())
                .projection(index.projection())).build();
    }

    static void writeAll(String table, List<Map<String, AttributeValue>> items) {
        for (int i = 0; i < items.size(); i += 25) {
            List<WriteRequest> batch = items.subList(i, Math.min(items.size(), i + 25)).stream()
                    .map(item -> WriteRequest.builder().putRequest(r -> r.item(item)).build()).toList();
            assertThat(ddb.batchWriteItem(b -> b.requestItems(Map.of(table, batch))).unprocessedItems()).isEmpty();
        }
    }

    /** Every entry of the index by-customer, as customer:total:pk/sk, read through paginated Scans. */
    static List<String> byCustomerEntries(String table) {
        return byCustomerEntries(ddb, table);
    }

    static List<String> byCustomerEntries(DynamoDbClient client, String table) {
        List<String> entries = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).indexName("by-customer").limit(100)).items().forEach(i ->
                entries.add(i.get("customer").s() + ":" + i.get("total").n() + ":" + i.get("pk").s() + "/" + i.get("sk").n()));
        return entries;
    }

    /** What by-customer must hold: the items of the table (read consistently) that have both its keys. */
    static List<String> expectedByCustomer(String table) {
        return expectedByCustomer(ddb, table);
    }

    static List<String> expectedByCustomer(DynamoDbClient client, String table) {
        List<String> expected = new ArrayList<>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items().forEach(i -> {
            if (i.containsKey("customer") && i.containsKey("total")) {
                expected.add(i.get("customer").s() + ":" + i.get("total").n() + ":" + i.get("pk").s() + "/" + i.get("sk").n());
            }
        });
        return expected;
    }

    @Test
    void updateTableAddsAnIndexAndBackfillsIt() {
        String name = TablesIT.uniqueName("gsi-add");
        ddb.createTable(TablesIT.hashAndRange(name).build());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 700; i++) {
            items.add(order("p" + i % 50, i / 50, i % 3 == 0 ? null : "c" + i % 7, i % 11, null));
        }
        writeAll(name, items);

        TableDescription updating = ddb.updateTable(b -> b.tableName(name)
                .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total",
                        p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("status")))).tableDescription();
        assertThat(updating.tableStatus()).isEqualTo(TableStatus.UPDATING);
        GlobalSecondaryIndexDescription creating = updating.globalSecondaryIndexes().getFirst();
        assertThat(creating.indexStatus()).isEqualTo(IndexStatus.CREATING);
        assertThat(creating.backfilling()).isTrue();
        assertThat(updating.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("pk", "sk", "customer", "total");

        server.awaitIndexes();
        GlobalSecondaryIndexDescription active = ddb.describeTable(b -> b.tableName(name)).table()
                .globalSecondaryIndexes().getFirst();
        assertThat(active.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
        assertThat(active.backfilling()).isNull();
        assertThat(byCustomerEntries(name)).hasSize(466).containsExactlyInAnyOrderElementsOf(expectedByCustomer(name));
        assertThat(ddb.query(byCustomer(name, "c1").build()).items()).allSatisfy(i ->
                assertThat(i).containsOnlyKeys("pk", "sk", "customer", "total"));
    }

    @Test
    void writesDuringABackfillAreIndexedExactlyOnce() throws Exception {
        String name = TablesIT.uniqueName("gsi-race");
        ddb.createTable(TablesIT.hashAndRange(name).build());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int i = 0; i < 3000; i++) items.add(order("p" + i % 100, i / 100, "c" + i % 5, i % 13, null));
        writeAll(name, items);

        java.util.concurrent.atomic.AtomicBoolean indexActive = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.ExecutorService writers = java.util.concurrent.Executors.newFixedThreadPool(3);
        List<java.util.concurrent.Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            long seed = w;
            done.add(writers.submit(() -> {
                java.util.Random random = new java.util.Random(seed);
                int writes = 0;
                // Until the backfill is over (and a little after), with a bound in case it is very fast or slow.
                for (int afterActive = 0; afterActive < 50 && writes < 20_000; writes++) {
                    if (indexActive.get()) afterActive++;
                    Map<String, AttributeValue> key = Map.of("pk", s("p" + random.nextInt(100)), "sk", n(Integer.toString(random.nextInt(30))));
                    switch (random.nextInt(4)) {
                        case 0 -> ddb.deleteItem(b -> b.tableName(name).key(key));
                        case 1 -> ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("REMOVE customer"));
                        default -> ddb.updateItem(b -> b.tableName(name).key(key).updateExpression("SET customer = :c, #t = :t")
                                .expressionAttributeNames(Map.of("#t", "total"))
                                .expressionAttributeValues(Map.of(":c", s("c" + random.nextInt(5)), ":t", n(Integer.toString(random.nextInt(13))))));
                    }
                }
                return writes;
            }));
        }
        ddb.updateTable(b -> b.tableName(name)
                .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total", p -> p.projectionType(ProjectionType.KEYS_ONLY))));
        // Not awaitIndexes() here: under a steady write load the log is never empty, so on a slow backend
        // (Cassandra) maintenance never finds a moment with nothing to do until the writers stop.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(5);
        while (!indexActive.get()) {
            assertThat(System.nanoTime()).as("the index became active within 5 minutes").isLessThan(deadline);
            Thread.sleep(100);
            indexActive.set(ddb.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().getFirst()
                    .indexStatus() == IndexStatus.ACTIVE);
        }
        for (java.util.concurrent.Future<Integer> f : done) assertThat(f.get()).isPositive();
        writers.shutdown();
        server.awaitIndexes();
        assertThat(byCustomerEntries(name)).containsExactlyInAnyOrderElementsOf(expectedByCustomer(name));
    }

    @Test
    void updateTableDeletesAnIndex() {
        String name = TablesIT.uniqueName("gsi-drop");
        ddb.createTable(orders(name).build());
        writeAll(name, List.of(order("a", 1, "c1", 1, "open"), order("b", 1, "c1", 2, "open")));
        server.awaitIndexes();
        TableDescription deleting = ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.delete(d -> d.indexName("by-status")))).tableDescription();
        assertThat(deleting.globalSecondaryIndexes()).filteredOn(i -> i.indexName().equals("by-status"))
                .singleElement().satisfies(i -> assertThat(i.indexStatus()).isEqualTo(IndexStatus.DELETING));
        server.awaitIndexes();
        TableDescription after = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(after.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactly("by-customer", "by-email");
        // status was only by-status's key: its definition goes with it.
        assertThat(after.attributeDefinitions()).extracting(AttributeDefinition::attributeName)
                .containsExactly("pk", "sk", "customer", "total", "email");
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(name).indexName("by-status")))
                .hasMessageStartingWith("The table does not have the specified index: by-status");
        // Writes go on, and the other indexes with them; the last index going stops the log.
        ddb.putItem(b -> b.tableName(name).item(order("c", 1, "c1", 3, "anything")));
        ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-email"))));
        server.awaitIndexes();
        assertThat(ddb.query(byCustomer(name, "c1").build()).count()).isEqualTo(3);
        ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(u -> u.delete(d -> d.indexName("by-customer"))));
        server.awaitIndexes();
        assertThat(ddb.describeTable(b -> b.tableName(name)).table().hasGlobalSecondaryIndexes()).isFalse();
        ddb.putItem(b -> b.tableName(name).item(order("d", 1, "c1", 3, "anything")));

        // And an index can come back under the same name, starting from what the table holds.
        ddb.updateTable(b -> b.tableName(name)
                .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total", p -> p.projectionType(ProjectionType.ALL))));
        server.awaitIndexes();
        assertThat(byCustomerEntries(name)).containsExactlyInAnyOrderElementsOf(expectedByCustomer(name)).hasSize(4);
    }

    @Test
    void updateTableRefusesIndexChangesAsDynamoDb() {
        String name = TablesIT.uniqueName("gsi-upd-bad");
        ddb.createTable(orders(name).build());
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                createIndex("by-status", "status", null, p -> p.projectionType(ProjectionType.ALL)))))
                .hasMessageStartingWith("Attempting to create an index which already exists");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                createIndex("by-other", "other", null, p -> p.projectionType(ProjectionType.ALL)))))
                .hasMessageStartingWith("One or more parameter values were invalid: AttributeDefinitions is not specified"
                        + " for index: by-other");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name)
                .attributeDefinitions(definition("x", ScalarAttributeType.S), definition("y", ScalarAttributeType.S))
                .globalSecondaryIndexUpdates(createIndex("by-x", "x", null, p -> p.projectionType(ProjectionType.ALL)),
                        createIndex("by-y", "y", null, p -> p.projectionType(ProjectionType.ALL)))))
                .isInstanceOf(LimitExceededException.class)
                .hasMessageStartingWith("Subscriber limit exceeded: Only 1 online index can be created or deleted"
                        + " simultaneously per table");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.delete(d -> d.indexName("by-status")), u -> u.delete(d -> d.indexName("by-status")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Only one global secondary index update"
                        + " per index is allowed simultaneously. Index: by-status");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.delete(d -> d.indexName("missing")))))
                .hasMessageStartingWith("Cannot delete an index that is not a GlobalSecondaryIndex: missing");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.update(d -> d.indexName("by-status").provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))))))
                .hasMessageStartingWith("One or more parameter values were invalid: Neither ReadCapacityUnits nor"
                        + " WriteCapacityUnits can be specified for index: by-status when BillingMode is PAY_PER_REQUEST");
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(1L).writeCapacityUnits(1L))))
                .hasMessageStartingWith("One or more parameter values were invalid: ProvisionedThroughput must be specified"
                        + " for index: by-customer,by-status,by-email");
        assertThat(ddb.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes()).hasSize(3)
                .allSatisfy(i -> assertThat(i.indexStatus()).isEqualTo(IndexStatus.ACTIVE));
    }

    @Test
    void provisionedIndexesChangeThroughputAndFollowTheBillingMode() {
        String name = TablesIT.uniqueName("gsi-capacity");
        GlobalSecondaryIndex byCustomer = index("by-customer", "customer", null, p -> p.projectionType(ProjectionType.KEYS_ONLY))
                .toBuilder().provisionedThroughput(t -> t.readCapacityUnits(2L).writeCapacityUnits(2L)).build();
        ddb.createTable(TablesIT.hashAndRange(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("customer", ScalarAttributeType.S))
                .globalSecondaryIndexes(byCustomer).build());
        GlobalSecondaryIndexDescription raised = ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.update(d -> d.indexName("by-customer").provisionedThroughput(t -> t.readCapacityUnits(7L).writeCapacityUnits(3L)))))
                .tableDescription().globalSecondaryIndexes().getFirst();
        assertThat(raised.provisionedThroughput().readCapacityUnits()).isEqualTo(7L);
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).globalSecondaryIndexUpdates(
                u -> u.update(d -> d.indexName("by-customer").provisionedThroughput(t -> t.readCapacityUnits(7L).writeCapacityUnits(3L))))))
                .hasMessageStartingWith("The provisioned throughput for the index by-customer will not change.");

        GlobalSecondaryIndexDescription onDemand = ddb.updateTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST))
                .tableDescription().globalSecondaryIndexes().getFirst();
        assertThat(onDemand.provisionedThroughput().readCapacityUnits()).isZero();
        GlobalSecondaryIndexDescription back = ddb.updateTable(b -> b.tableName(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(t -> t.readCapacityUnits(5L).writeCapacityUnits(5L))
                .globalSecondaryIndexUpdates(u -> u.update(d -> d.indexName("by-customer")
                        .provisionedThroughput(t -> t.readCapacityUnits(4L).writeCapacityUnits(4L)))))
                .tableDescription().globalSecondaryIndexes().getFirst();
        assertThat(back.provisionedThroughput().writeCapacityUnits()).isEqualTo(4L);
    }

    /**
     * Index changes logged but not applied when the server is killed are applied after the restart, and
     * a backfill that never ran completes: the first server runs with index maintenance off (as if it
     * always crashed before applying anything), so the restart has every change to apply.
     */
    @Test
    @Tag("slow")
    void changesLoggedBeforeKill9AreAppliedAfterTheRestart(@TempDir java.nio.file.Path dataDir) throws Exception {
        String name = "orders", added = "later";
        try (ServerProcess first = ServerProcess.jar(dataDir, "--no-index-maintenance");
             DynamoDbClient client = Clients.sync(first.endpoint())) {
            client.createTable(orders(name).build());
            client.createTable(TablesIT.hashAndRange(added).build());
            for (int i = 0; i < 60; i++) {
                Map<String, AttributeValue> item = order("p" + i % 12, i / 12, "c" + i % 3, i % 7, i % 2 == 0 ? "open" : null);
                client.putItem(b -> b.tableName(name).item(item));
                client.putItem(b -> b.tableName(added).item(item));
            }
            for (int i = 0; i < 12; i++) {
                Map<String, AttributeValue> key = Map.of("pk", s("p" + i), "sk", n("0"));
                if (i % 3 == 0) client.deleteItem(b -> b.tableName(name).key(key));
                else client.updateItem(b -> b.tableName(name).key(key).updateExpression("SET customer = :c REMOVE #s")
                        .expressionAttributeNames(Map.of("#s", "status")).expressionAttributeValues(Map.of(":c", s("moved"))));
            }
            client.updateTable(b -> b.tableName(added)
                    .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                    .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total", p -> p.projectionType(ProjectionType.ALL))));
            // Nothing applied: the indexes are empty, the new one still backfilling.
            assertThat(client.scan(b -> b.tableName(name).indexName("by-customer")).count()).isZero();
            first.kill();
        }
        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient client = Clients.sync(restarted.endpoint())) {
            List<Map<String, AttributeValue>> items = client.scan(b -> b.tableName(name).consistentRead(true)).items();
            List<String> expected = entries(items, true);
            // Index maintenance is asynchronous: poll, each poll a request, until it is done or a minute passed.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
            int withStatus = (int) items.stream().filter(i -> i.containsKey("status")).count();
            List<String> indexed;
            int statusEntries;
            do {
                indexed = entries(client.scan(b -> b.tableName(name).indexName("by-customer")).items(), false);
                statusEntries = client.scan(b -> b.tableName(name).indexName("by-status")).count();
            } while ((!indexed.equals(expected) || statusEntries != withStatus) && System.nanoTime() < deadline);
            // 60 items, 4 deleted, 8 moved to customer "moved".
            assertThat(indexed).hasSize(56).isEqualTo(expected);
            assertThat(indexed).filteredOn(e -> e.startsWith("moved:")).hasSize(8);
            assertThat(statusEntries).isEqualTo(withStatus);

            IndexStatus status;
            do {
                status = client.describeTable(b -> b.tableName(added)).table().globalSecondaryIndexes().getFirst().indexStatus();
            } while (status != IndexStatus.ACTIVE && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(IndexStatus.ACTIVE);
            assertThat(client.scan(b -> b.tableName(added).indexName("by-customer")).count()).isEqualTo(60);
        }
    }

    /** by-customer's entries of these items (only those with its keys if {@code filter}), sorted. */
    private static List<String> entries(List<Map<String, AttributeValue>> items, boolean filter) {
        return items.stream().filter(i -> !filter || (i.containsKey("customer") && i.containsKey("total")))
                .map(i -> i.get("customer").s() + ":" + i.get("total").n() + ":" + i.get("pk").s() + "/" + i.get("sk").n())
                .sorted().toList();
    }
}

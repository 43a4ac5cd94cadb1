package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
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
}

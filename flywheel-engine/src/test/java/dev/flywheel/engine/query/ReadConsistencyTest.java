package dev.flywheel.engine.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.query.ConsistencyRecordingStorage.Read;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BatchGetItemInput;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.Get;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.KeysAndAttributes;
import dev.flywheel.model.shapes.LocalSecondaryIndex;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.ScanInput;
import dev.flywheel.model.shapes.TransactGetItem;
import dev.flywheel.model.shapes.TransactGetItemsInput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.TreeMapStorage;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the engine asks of storage's consistency (issue 8): the reads DynamoDB answers eventually
 * consistently (GetItem, BatchGetItem, Query and Scan without ConsistentRead, which is DynamoDB's default,
 * and every read of a global index) are asked for {@link ReadConsistency#EVENTUAL}; with ConsistentRead
 * true, and every read a write or a transaction makes, {@link ReadConsistency#STRONG}.
 */
class ReadConsistencyTest {
    private static final ReadConsistency EVENTUAL = ReadConsistency.EVENTUAL;
    private static final ReadConsistency STRONG = ReadConsistency.STRONG;

    private ConsistencyRecordingStorage storage;
    private FlywheelEngine engine;

    @BeforeEach
    void createTable() {
        storage = new ConsistencyRecordingStorage(new TreeMapStorage());
        engine = engineOver(storage);
        engine.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N"),
                        new AttributeDefinition("color", "S"), new AttributeDefinition("size", "N")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                .localSecondaryIndexes(List.of(LocalSecondaryIndex.builder().indexName("bySize")
                        .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("size", "RANGE")))
                        .projection(new Projection("KEYS_ONLY", null)).build()))
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndex.builder().indexName("byColor")
                        .keySchema(List.of(new KeySchemaElement("color", "HASH")))
                        .projection(new Projection("ALL", null)).build()))
                .build());
        for (int i = 0; i < 3; i++) {
            engine.putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", AttributeValue.s("a"),
                    "sk", AttributeValue.n(i), "color", AttributeValue.s("red"), "size", AttributeValue.n(10 + i))).build());
        }
    }

    /** The engine under test, over {@code storage}. */
    protected FlywheelEngine engineOver(ConsistencyRecordingStorage storage) {
        return new FlywheelEngine(storage, EngineConfig.defaults());
    }

    @AfterEach
    void close() {
        engine.close();
    }

    /** The consistencies of the row reads {@code request} made (at least one read). */
    private Set<ReadConsistency> consistencyOf(Runnable request) {
        storage.recordThisThread();
        request.run();
        List<Read> reads = storage.reads();
        assertThat(reads).as("reads of the request").isNotEmpty();
        return reads.stream().map(Read::consistency).collect(Collectors.toSet());
    }

    private static Map<String, AttributeValue> key(int sk) {
        return Map.of("pk", AttributeValue.s("a"), "sk", AttributeValue.n(sk));
    }

    @Test
    void getItemIsEventualUnlessConsistentReadIsTrue() {
        assertThat(consistencyOf(() -> engine.getItem(GetItemInput.builder().tableName("things").key(key(1)).build())))
                .containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.getItem(GetItemInput.builder().tableName("things").key(key(1))
                .consistentRead(false).build()))).containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.getItem(GetItemInput.builder().tableName("things").key(key(1))
                .consistentRead(true).build()))).containsExactly(STRONG);
    }

    @Test
    void batchGetItemFollowsEachTablesConsistentRead() {
        assertThat(consistencyOf(() -> engine.batchGetItem(BatchGetItemInput.builder().requestItems(Map.of("things",
                KeysAndAttributes.builder().keys(List.of(key(0), key(1))).build())).build()))).containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.batchGetItem(BatchGetItemInput.builder().requestItems(Map.of("things",
                KeysAndAttributes.builder().keys(List.of(key(0), key(1))).consistentRead(true).build())).build())))
                .containsExactly(STRONG);
    }

    @Test
    void queryAndScanOfTheTableAreEventualUnlessConsistentReadIsTrue() {
        QueryInput.Builder query = QueryInput.builder().tableName("things").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.s("a")));
        assertThat(consistencyOf(() -> engine.query(query.build()))).containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.query(query.consistentRead(true).build()))).containsExactly(STRONG);
        assertThat(consistencyOf(() -> engine.scan(ScanInput.builder().tableName("things").build()))).containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.scan(ScanInput.builder().tableName("things").segment(1).totalSegments(4).build())))
                .containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.scan(ScanInput.builder().tableName("things").consistentRead(true).build())))
                .containsExactly(STRONG);
    }

    /** A local index read that fetches unprojected attributes from the table fetches as consistently as it reads. */
    @Test
    void aLocalIndexAndItsFetchesFollowConsistentRead() {
        QueryInput.Builder query = QueryInput.builder().tableName("things").indexName("bySize").select("ALL_ATTRIBUTES")
                .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.s("a")));
        storage.recordThisThread();
        assertThat(engine.query(query.build()).items()).hasSize(3);
        assertThat(storage.reads()).extracting(Read::call).contains("read", "get");
        assertThat(storage.reads()).extracting(Read::consistency).containsOnly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.query(query.consistentRead(true).build()))).containsExactly(STRONG);
    }

    @Test
    void aGlobalIndexIsAlwaysReadEventually() {
        assertThat(consistencyOf(() -> engine.query(QueryInput.builder().tableName("things").indexName("byColor")
                .keyConditionExpression("color = :c").expressionAttributeValues(Map.of(":c", AttributeValue.s("red")))
                .build()))).containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.scan(ScanInput.builder().tableName("things").indexName("byColor").build())))
                .containsExactly(EVENTUAL);
        assertThat(consistencyOf(() -> engine.scan(ScanInput.builder().tableName("things").indexName("byColor")
                .consistentRead(false).segment(0).totalSegments(2).build()))).containsExactly(EVENTUAL);
    }

    /** A write's read of the item it changes, and a transaction's reads, are the compare-and-set's: never stale. */
    @Test
    void writesAndTransactionsReadStrongly() {
        assertThat(consistencyOf(() -> engine.updateItem(UpdateItemInput.builder().tableName("things").key(key(1))
                .updateExpression("SET n = :n").expressionAttributeValues(Map.of(":n", AttributeValue.n(1))).build())))
                .containsExactly(STRONG);
        assertThat(consistencyOf(() -> engine.putItem(PutItemInput.builder().tableName("things")
                .item(Map.of("pk", AttributeValue.s("a"), "sk", AttributeValue.n(7)))
                .conditionExpression("attribute_not_exists(pk)").build()))).containsExactly(STRONG);
        assertThat(consistencyOf(() -> engine.transactGetItems(TransactGetItemsInput.builder().transactItems(List.of(
                TransactGetItem.builder().get(Get.builder().tableName("things").key(key(0)).build()).build(),
                TransactGetItem.builder().get(Get.builder().tableName("things").key(key(2)).build()).build())).build())))
                .containsExactly(STRONG);
    }
}

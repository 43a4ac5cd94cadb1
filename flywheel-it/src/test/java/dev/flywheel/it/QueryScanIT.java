package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/** Query and Scan through the SDK's paginators, and BatchGetItem / BatchWriteItem. */
class QueryScanIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static String table;
    private static final int PARTITIONS = 20;
    private static final int PER_PARTITION = 30;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        table = TablesIT.uniqueName("qs");
        ddb.createTable(TablesIT.hashAndRange(table).build());
        for (int p = 0; p < PARTITIONS; p++) {
            List<WriteRequest> batch = new ArrayList<>();
            for (int s = 0; s < PER_PARTITION; s++) {
                Map<String, AttributeValue> item = item("p" + p, s);
                batch.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
                if (batch.size() == 25) {
                    write(batch);
                    batch.clear();
                }
            }
            if (!batch.isEmpty()) write(batch);
        }
    }

    private static void write(List<WriteRequest> batch) {
        BatchWriteItemResponse r = ddb.batchWriteItem(b -> b.requestItems(Map.of(table, List.copyOf(batch))));
        assertThat(r.unprocessedItems()).isEmpty();
    }

    static Map<String, AttributeValue> item(String pk, int sk) {
        // Sort keys from -15 to 14 as decimals, to exercise negative number ordering.
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Double.toString((sk - 15) / 2.0)),
                "data", AttributeValue.fromS("v" + sk));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    private static Condition eq(AttributeValue v) {
        return Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(v).build();
    }

    @Test
    void queryReturnsAPartitionInSortKeyOrderAcrossPages() {
        List<Double> sortKeys = new ArrayList<>();
        ddb.queryPaginator(b -> b.tableName(table).limit(7)
                        .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p3")))))
                .items().forEach(i -> sortKeys.add(Double.parseDouble(i.get("sk").n())));
        assertThat(sortKeys).hasSize(PER_PARTITION).isSorted();
        assertThat(sortKeys.getFirst()).isEqualTo(-7.5);

        List<Double> backwards = new ArrayList<>();
        ddb.queryPaginator(b -> b.tableName(table).limit(4).scanIndexForward(false)
                        .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p3")))))
                .items().forEach(i -> backwards.add(Double.parseDouble(i.get("sk").n())));
        assertThat(backwards).hasSize(PER_PARTITION).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void querySortKeyConditions() {
        QueryResponse between = ddb.query(b -> b.tableName(table).keyConditions(Map.of(
                "pk", eq(AttributeValue.fromS("p1")),
                "sk", Condition.builder().comparisonOperator(ComparisonOperator.BETWEEN)
                        .attributeValueList(AttributeValue.fromN("-1"), AttributeValue.fromN("1")).build())));
        assertThat(between.items()).extracting(i -> i.get("sk").n()).containsExactly("-1", "-0.5", "0", "0.5", "1");
        assertThat(between.count()).isEqualTo(5);
        assertThat(between.scannedCount()).isEqualTo(5);
        assertThat(between.lastEvaluatedKey()).isEmpty();

        QueryResponse lt = ddb.query(b -> b.tableName(table).keyConditions(Map.of(
                "pk", eq(AttributeValue.fromS("p1")),
                "sk", Condition.builder().comparisonOperator(ComparisonOperator.LT).attributeValueList(AttributeValue.fromN("-6.5")).build())));
        assertThat(lt.items()).extracting(i -> i.get("sk").n()).containsExactly("-7.5", "-7");

        QueryResponse count = ddb.query(b -> b.tableName(table).select(Select.COUNT)
                .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p1")))));
        assertThat(count.count()).isEqualTo(PER_PARTITION);
        assertThat(count.hasItems()).isFalse();

        assertThatThrownBy(() -> ddb.query(b -> b.tableName(table).keyConditions(Map.of("sk", eq(AttributeValue.fromN("1"))))))
                .hasMessageStartingWith("Query condition missed key schema element: pk");
        assertThatThrownBy(() -> ddb.query(b -> b.tableName(table).keyConditions(Map.of("pk", eq(AttributeValue.fromN("1"))))))
                .hasMessageStartingWith("One or more parameter values were invalid: Condition parameter type does not match schema type");
    }

    @Test
    void limitStopsAPageAndReportsWhereItStopped() {
        QueryResponse first = ddb.query(b -> b.tableName(table).limit(2).keyConditions(Map.of("pk", eq(AttributeValue.fromS("p2")))));
        assertThat(first.items()).hasSize(2);
        assertThat(first.lastEvaluatedKey()).containsOnlyKeys("pk", "sk").containsEntry("sk", AttributeValue.fromN("-7"));
        QueryResponse second = ddb.query(b -> b.tableName(table).limit(2).exclusiveStartKey(first.lastEvaluatedKey())
                .keyConditions(Map.of("pk", eq(AttributeValue.fromS("p2")))));
        assertThat(second.items()).extracting(i -> i.get("sk").n()).containsExactly("-6.5", "-6");
    }

    @Test
    void scanVisitsEveryItemOnceAcrossPages() {
        Set<String> seen = new HashSet<>();
        int[] pages = {0};
        ddb.scanPaginator(b -> b.tableName(table).limit(53)).forEach(page -> {
            pages[0]++;
            for (Map<String, AttributeValue> i : page.items()) {
                assertThat(seen.add(i.get("pk").s() + "/" + i.get("sk").n())).isTrue();
            }
        });
        assertThat(seen).hasSize(PARTITIONS * PER_PARTITION);
        assertThat(pages[0]).isGreaterThanOrEqualTo(PARTITIONS * PER_PARTITION / 53);
    }

    @Test
    void parallelScanSegmentsPartitionTheTable() {
        for (int total : new int[] {1, 2, 3, 7}) {
            Set<String> seen = new HashSet<>();
            for (int segment = 0; segment < total; segment++) {
                int s = segment;
                ddb.scanPaginator(b -> b.tableName(table).segment(s).totalSegments(total).limit(100)).items()
                        .forEach(i -> assertThat(seen.add(i.get("pk").s() + "/" + i.get("sk").n())).isTrue());
            }
            assertThat(seen).as("segments of " + total).hasSize(PARTITIONS * PER_PARTITION);
        }
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(table).segment(3).totalSegments(3)))
                .hasMessageStartingWith("The Segment parameter is zero-based and must be less than parameter TotalSegments");
    }

    @Test
    void scanPagesStopAtOneMegabyte() {
        String big = TablesIT.uniqueName("big");
        ddb.createTable(TablesIT.hashAndRange(big).build());
        String payload = "z".repeat(100_000);
        for (int i = 0; i < 25; i++) {
            int n = i;
            ddb.putItem(b -> b.tableName(big).item(Map.of("pk", AttributeValue.fromS("k" + n), "sk", AttributeValue.fromN("0"),
                    "payload", AttributeValue.fromS(payload))));
        }
        ScanResponse page = ddb.scan(b -> b.tableName(big));
        // 1 MB holds ten 100 KB items and the one that crosses the limit.
        assertThat(page.count()).isEqualTo(11);
        assertThat(page.lastEvaluatedKey()).isNotEmpty();
        int total = 0;
        for (ScanResponse p : ddb.scanPaginator(b -> b.tableName(big))) total += p.count();
        assertThat(total).isEqualTo(25);
    }

    @Test
    void batchGetItem() {
        List<Map<String, AttributeValue>> keys = List.of(
                Map.of("pk", AttributeValue.fromS("p0"), "sk", AttributeValue.fromN("-7.5")),
                Map.of("pk", AttributeValue.fromS("p1"), "sk", AttributeValue.fromN("0")),
                Map.of("pk", AttributeValue.fromS("nope"), "sk", AttributeValue.fromN("0")));
        BatchGetItemResponse r = ddb.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(keys).attributesToGet("data").build()))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(r.responses().get(table)).extracting(i -> i.get("data").s()).containsExactlyInAnyOrder("v0", "v15");
        assertThat(r.unprocessedKeys()).isEmpty();
        assertThat(r.consumedCapacity()).singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(1.5));

        assertThatThrownBy(() -> ddb.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(keys.get(0), keys.get(0)).build()))))
                .hasMessageStartingWith("Provided list of item keys contains duplicates");
    }

    @Test
    void batchWriteItemPutsAndDeletes() {
        String t = TablesIT.uniqueName("bw");
        ddb.createTable(TablesIT.hashAndRange(t).build());
        ddb.batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("a", 1))).build(),
                WriteRequest.builder().putRequest(p -> p.item(item("a", 2))).build()))));
        ddb.batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
                WriteRequest.builder().deleteRequest(d -> d.key(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("-7")))).build()))));
        assertThat(ddb.scan(b -> b.tableName(t)).items()).extracting(i -> i.get("sk").n()).containsExactly("-6.5");

        List<WriteRequest> tooMany = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            int n = i;
            tooMany.add(WriteRequest.builder().putRequest(p -> p.item(item("m", n))).build());
        }
        assertThatThrownBy(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(t, tooMany))))
                .isInstanceOf(DynamoDbException.class);
        assertThatThrownBy(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(t, List.of(
                WriteRequest.builder().putRequest(p -> p.item(item("d", 1))).build(),
                WriteRequest.builder().putRequest(p -> p.item(item("d", 1))).build())))))
                .hasMessageStartingWith("Provided list of item keys contains duplicates");
    }
}

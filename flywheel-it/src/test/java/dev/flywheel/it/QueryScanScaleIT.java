package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.document.EnhancedDocument;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbSortKey;
import software.amazon.awssdk.enhanced.dynamodb.model.QueryConditional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Query, Scan, BatchGetItem and BatchWriteItem over a table of 10,000+ items (loaded 25 per
 * BatchWriteItem), through the clients people use: the SDK's paginators, the Enhanced Client and the
 * AWS CLI's auto-pagination. Every item must come back exactly once, in DynamoDB's order, with Limit,
 * filters, Count/ScannedCount and LastEvaluatedKey as the Developer Guide describes them ("Paginating
 * table query results", "Limiting the number of items in the result set", "Parallel scan"), and bad
 * requests must get DynamoDB's messages. One test starts the server with a heap smaller than the table
 * it then scans.
 *
 * <p>The table: partitions {@code p000..p100} of 100 items each, whose sort keys (numbers written in
 * several textual forms, negative and positive, of magnitudes 1E-3 to 1E+7) are not in the order the
 * items were written, plus a partition {@code big} of a few items of almost 400 KB.
 */
@Tag("slow")
class QueryScanScaleIT {
    private static final int PARTITIONS = 101;
    private static final int PER_PARTITION = 100;
    private static final String BIG = "big";
    private static final int BIG_ITEMS = 5;
    /**
     * The payload of a big item: DynamoDB's largest item is 400 KB (409,600 bytes), names and values
     * together, and this leaves ~140 bytes for the rest.
     */
    private static final int BIG_PAYLOAD = 409_460;
    private static final int TOTAL = PARTITIONS * PER_PARTITION + BIG_ITEMS;

    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static String table;
    /** What was written, by partition, in sort key order. */
    private static final Map<String, List<Map<String, AttributeValue>>> written = new TreeMap<>();

    @BeforeAll
    static void load() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        table = TablesIT.uniqueName("scale");
        ddb.createTable(TablesIT.hashAndRange(table).build());
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            for (int i = 0; i < PER_PARTITION; i++) items.add(item(partition(p), i));
        }
        String payload = "x".repeat(BIG_PAYLOAD);
        for (int i = 0; i < BIG_ITEMS; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(item(BIG, i));
            item.remove("pad");
            item.put("payload", AttributeValue.fromS(payload));
            items.add(item);
        }
        writeAll(ddb, table, items);
        for (Map<String, AttributeValue> item : items) {
            written.computeIfAbsent(item.get("pk").s(), k -> new ArrayList<>()).add(item);
        }
        written.values().forEach(list -> list.sort(Comparator.comparing(QueryScanScaleIT::sortKey)));
        assertThat(written.values().stream().mapToInt(List::size).sum()).isEqualTo(TOTAL);
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    static String partition(int p) {
        return "p%03d".formatted(p);
    }

    /**
     * Item {@code i} of a partition. Its sort key, ((i - 50) * 1000 + i) * 10^(i % 7 - 3), is unique in
     * the partition, and written plainly, in scientific notation or with trailing zeros.
     */
    static Map<String, AttributeValue> item(String pk, int i) {
        BigDecimal sk = BigDecimal.valueOf((i - 50) * 1000L + i).scaleByPowerOfTen(i % 7 - 3);
        String text = switch (i % 3) {
            case 0 -> sk.toPlainString();
            case 1 -> sk.toString();
            default -> sk.toPlainString().contains(".") ? sk.toPlainString() + "00" : sk.toPlainString() + ".0";
        };
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(text),
                "n", AttributeValue.fromN(Integer.toString(i)), "tag", AttributeValue.fromS("t" + i % 7),
                "pad", AttributeValue.fromS("-".repeat(200)));
    }

    static BigDecimal sortKey(Map<String, AttributeValue> item) {
        return new BigDecimal(item.get("sk").n());
    }

    /** An item's key as text, the same however its number was written. */
    static String key(Map<String, AttributeValue> item) {
        return item.get("pk").s() + "/" + sortKey(item).stripTrailingZeros().toPlainString();
    }

    static Set<String> allKeys() {
        return written.values().stream().flatMap(List::stream).map(QueryScanScaleIT::key).collect(Collectors.toSet());
    }

    /** BatchWriteItem, 25 puts per call, sending UnprocessedItems again until there are none. */
    static void writeAll(DynamoDbClient client, String tableName, List<Map<String, AttributeValue>> items) {
        for (int from = 0; from < items.size(); from += 25) {
            List<WriteRequest> batch = items.subList(from, Math.min(from + 25, items.size())).stream()
                    .map(i -> WriteRequest.builder().putRequest(r -> r.item(i)).build()).toList();
            Map<String, List<WriteRequest>> pending = Map.of(tableName, batch);
            for (int attempt = 0; !pending.isEmpty(); attempt++) {
                assertThat(attempt).as("attempts to write a batch").isLessThan(10);
                Map<String, List<WriteRequest>> request = pending;
                pending = client.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
            }
        }
    }

    /** Adds each key to {@code seen}, failing on the first one already there. */
    static void addOnce(Set<String> seen, Collection<Map<String, AttributeValue>> items) {
        for (Map<String, AttributeValue> item : items) {
            assertThat(seen.add(key(item))).as("returned twice: %s", key(item)).isTrue();
        }
    }

    // ---------------------------------------------------------------- Scan

    @Test
    void scanPaginatorReturnsEveryItemOnce() {
        for (Integer limit : new Integer[] {null, 777}) {
            Set<String> seen = new HashSet<>();
            List<ScanResponse> pages = new ArrayList<>();
            ddb.scanPaginator(b -> b.tableName(table).limit(limit)).forEach(page -> {
                pages.add(page);
                addOnce(seen, page.items());
            });
            assertThat(seen).as("limit %s", limit).isEqualTo(allKeys());
            // Every page but the last says where to continue.
            assertThat(pages.subList(0, pages.size() - 1)).allSatisfy(p -> assertThat(p.hasLastEvaluatedKey()).isTrue());
            assertThat(pages.getLast().hasLastEvaluatedKey()).isFalse();
            // ~2 MB of small items and ~2 MB of big ones: more than one 1 MB page even without a Limit.
            assertThat(pages).hasSizeGreaterThanOrEqualTo(limit == null ? 4 : TOTAL / limit);
        }
    }

    @Test
    void parallelScanSegmentsPartitionTheTable() throws Exception {
        for (int total : new int[] {1, 4, 13}) {
            List<List<Map<String, AttributeValue>>> segments = new ArrayList<>();
            // Each segment scanned by its own thread, as the Developer Guide's parallel scan does.
            try (ExecutorService threads = Executors.newFixedThreadPool(total)) {
                List<Future<List<Map<String, AttributeValue>>>> futures = new ArrayList<>();
                for (int segment = 0; segment < total; segment++) {
                    int s = segment;
                    futures.add(threads.submit(() -> {
                        List<Map<String, AttributeValue>> items = new ArrayList<>();
                        ddb.scanPaginator(b -> b.tableName(table).segment(s).totalSegments(total).limit(500))
                                .items().forEach(items::add);
                        return items;
                    }));
                }
                for (Future<List<Map<String, AttributeValue>>> f : futures) segments.add(f.get());
            }
            Set<String> seen = new HashSet<>();
            segments.forEach(items -> addOnce(seen, items));
            assertThat(seen).as("%d segments", total).isEqualTo(allKeys());
            if (total == 4) assertThat(segments).allSatisfy(items -> assertThat(items).isNotEmpty());
        }
    }

    // ---------------------------------------------------------------- Query

    @Test
    void queryPaginatorReturnsAPartitionInSortKeyOrderBothWays() {
        for (String pk : List.of(partition(0), partition(37), partition(PARTITIONS - 1), BIG)) {
            List<BigDecimal> expected = written.get(pk).stream().map(QueryScanScaleIT::sortKey).toList();
            for (boolean forward : new boolean[] {true, false}) {
                List<BigDecimal> got = new ArrayList<>();
                int[] pages = {0};
                ddb.queryPaginator(b -> b.tableName(table).limit(17).scanIndexForward(forward)
                                .keyConditionExpression("pk = :p")
                                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk))))
                        .forEach(page -> {
                            pages[0]++;
                            page.items().forEach(i -> got.add(sortKey(i)));
                        });
                List<BigDecimal> want = forward ? expected : expected.reversed();
                assertThat(got).as("%s forward=%s", pk, forward).usingElementComparator(BigDecimal::compareTo)
                        .containsExactlyElementsOf(want);
                assertThat(pages[0]).isGreaterThanOrEqualTo((expected.size() + 16) / 17);
            }
        }
    }

    @Test
    void querySortKeyConditionsAcrossPages() {
        List<Map<String, AttributeValue>> partition = written.get(partition(42));
        BigDecimal low = sortKey(partition.get(20)), high = sortKey(partition.get(80));
        for (boolean forward : new boolean[] {true, false}) {
            List<BigDecimal> got = new ArrayList<>();
            ddb.queryPaginator(b -> b.tableName(table).limit(7).scanIndexForward(forward)
                            .keyConditionExpression("pk = :p AND sk BETWEEN :low AND :high")
                            .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition(42)),
                                    // Bounds written in another form than the items': the same numbers.
                                    ":low", AttributeValue.fromN(low.toString()),
                                    ":high", AttributeValue.fromN(high.setScale(Math.max(high.scale(), 0) + 3).toPlainString()))))
                    .items().forEach(i -> got.add(sortKey(i)));
            List<BigDecimal> want = partition.subList(20, 81).stream().map(QueryScanScaleIT::sortKey).toList();
            assertThat(got).usingElementComparator(BigDecimal::compareTo)
                    .containsExactlyElementsOf(forward ? want : want.reversed());
        }
        QueryResponse below = ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk < :v")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition(42)), ":v", AttributeValue.fromN("0"))));
        assertThat(below.count()).isEqualTo((int) partition.stream().filter(i -> sortKey(i).signum() < 0).count());
    }

    // ---------------------------------------------------------------- Limit and filters

    @Test
    void limitCountsItemsReadBeforeTheFilter() {
        String pk = partition(5);
        List<Map<String, AttributeValue>> partition = written.get(pk);
        Predicate<Map<String, AttributeValue>> tagged3 = i -> i.get("tag").s().equals("t3");
        QueryRequest.Builder request = QueryRequest.builder().tableName(table).limit(10)
                .keyConditionExpression("pk = :p").filterExpression("tag = :t")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(pk), ":t", AttributeValue.fromS("t3")));

        QueryResponse first = ddb.query(request.build());
        // Limit stops the read after 10 items; the filter then keeps those tagged t3 among them.
        assertThat(first.scannedCount()).isEqualTo(10);
        assertThat(first.count()).isEqualTo((int) partition.subList(0, 10).stream().filter(tagged3).count());
        assertThat(first.items()).hasSize(first.count()).allMatch(tagged3);
        // LastEvaluatedKey is the 10th item read, whether or not the filter kept it.
        assertThat(key(first.lastEvaluatedKey())).isEqualTo(key(partition.get(9)));
        assertThat(first.lastEvaluatedKey()).containsOnlyKeys("pk", "sk");

        List<QueryResponse> pages = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = ddb.query(request.exclusiveStartKey(start).build());
            pages.add(page);
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        // 100 items, 10 a page: the 10th page ends exactly at the last item but cannot know it, so an
        // 11th, empty page follows (Developer Guide: an empty page with no LastEvaluatedKey ends it).
        assertThat(pages).hasSize(11);
        assertThat(pages.subList(0, 10)).allSatisfy(p -> assertThat(p.scannedCount()).isEqualTo(10));
        assertThat(pages.getLast().scannedCount()).isZero();
        assertThat(pages.getLast().count()).isZero();
        assertThat(pages.stream().mapToInt(QueryResponse::count).sum())
                .isEqualTo((int) partition.stream().filter(tagged3).count());

        // A filter that keeps nothing still reads, and pages, through the whole partition.
        List<QueryResponse> empty = new ArrayList<>();
        ddb.queryPaginator(request.exclusiveStartKey(null).expressionAttributeValues(
                Map.of(":p", AttributeValue.fromS(pk), ":t", AttributeValue.fromS("none"))).build()).forEach(empty::add);
        assertThat(empty).hasSize(11).allSatisfy(p -> assertThat(p.count()).isZero());
        assertThat(empty.stream().mapToInt(QueryResponse::scannedCount).sum()).isEqualTo(PER_PARTITION);
    }

    @Test
    void scanLimitAndFilterCountOverTheWholeTable() {
        Map<String, AttributeValue> values = Map.of(":k", AttributeValue.fromN("13"), ":t", AttributeValue.fromS("t2"));
        String filter = "n < :k AND tag <> :t";
        long expected = written.values().stream().flatMap(List::stream)
                .filter(i -> Integer.parseInt(i.get("n").n()) < 13 && !i.get("tag").s().equals("t2")).count();

        int count = 0, scanned = 0;
        for (ScanResponse page : ddb.scanPaginator(b -> b.tableName(table).limit(1000).filterExpression(filter)
                .expressionAttributeValues(values))) {
            assertThat(page.scannedCount()).isLessThanOrEqualTo(1000);
            assertThat(page.items()).hasSize(page.count());
            count += page.count();
            scanned += page.scannedCount();
        }
        assertThat(count).isEqualTo(expected);
        assertThat(scanned).isEqualTo(TOTAL);

        int counted = 0;
        for (ScanResponse page : ddb.scanPaginator(b -> b.tableName(table).select(Select.COUNT).filterExpression(filter)
                .expressionAttributeValues(values))) {
            assertThat(page.hasItems()).isFalse();
            counted += page.count();
        }
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void aPageStopsAtOneMegabyteBeforeItsLimit() {
        QueryResponse page = ddb.query(b -> b.tableName(table).limit(10).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(BIG))));
        // Two items of ~400 KB stay under 1 MB; the third crosses it and is the last returned.
        assertThat(page.count()).isEqualTo(3);
        assertThat(page.hasLastEvaluatedKey()).isTrue();
        assertThat(page.items()).allSatisfy(i -> assertThat(i.get("payload").s()).hasSize(BIG_PAYLOAD));
    }

    // ---------------------------------------------------------------- validation

    /** The message of the ValidationException that {@code call} must raise. */
    static String validationMessage(ThrowingCallable call) {
        DynamoDbException e = catchThrowableOfType(DynamoDbException.class, call);
        assertThat(e).as("a ValidationException").isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        return e.awsErrorDetails().errorMessage();
    }

    @Test
    void badRequestsGetDynamoDbsMessages() {
        Map<String, AttributeValue> p1 = Map.of(":p", AttributeValue.fromS(partition(1)));
        String invalidKey = "The provided starting key is invalid: The provided key element does not match the schema";
        // ExclusiveStartKey not matching the schema: a missing, mistyped or extra key attribute.
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table)
                .exclusiveStartKey(Map.of("pk", AttributeValue.fromS("p001")))))).isEqualTo(invalidKey);
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table)
                .exclusiveStartKey(Map.of("pk", AttributeValue.fromS("p001"), "sk", AttributeValue.fromS("1"))))))
                .isEqualTo(invalidKey);
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(p1).exclusiveStartKey(Map.of("pk", AttributeValue.fromS("p001"),
                        "sk", AttributeValue.fromN("1"), "n", AttributeValue.fromN("1")))))).isEqualTo(invalidKey);
        // A well-formed key that the Query's key condition does not select (issue 5).
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .expressionAttributeValues(p1).exclusiveStartKey(Map.of("pk", AttributeValue.fromS("p002"),
                        "sk", AttributeValue.fromN("1"))))))
                .isEqualTo("The provided starting key is outside query boundaries based on provided conditions");
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk > :s")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p001"), ":s", AttributeValue.fromN("0")))
                .exclusiveStartKey(Map.of("pk", AttributeValue.fromS("p001"), "sk", AttributeValue.fromN("-1"))))))
                .isEqualTo("The provided starting key does not match the range key predicate");

        // Parallel scan parameters.
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).segment(0))))
                .isEqualTo("The TotalSegments parameter is required but was not present in the request when Segment"
                        + " parameter is present");
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).totalSegments(4))))
                .isEqualTo("The Segment parameter is required but was not present in the request when parameter"
                        + " TotalSegments is present");
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).segment(4).totalSegments(4))))
                .isEqualTo("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment:"
                        + " 4 is not less than TotalSegments: 4");
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).segment(0).totalSegments(1_000_001))))
                .isEqualTo("1 validation error detected: Value '1000001' at 'totalSegments' failed to satisfy"
                        + " constraint: Member must have value less than or equal to 1000000");

        // Select COUNT returns no attributes, so it takes no projection.
        assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).select(Select.COUNT)
                .projectionExpression("pk"))))
                .isEqualTo("Cannot specify the ProjectionExpression when choosing to get only the Count");
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).select(Select.COUNT)
                .keyConditionExpression("pk = :p").expressionAttributeValues(p1).projectionExpression("n"))))
                .endsWith("Cannot specify the ProjectionExpression when choosing to get only the Count");

        // Limit below the model's minimum: the constraint message of the service model (min 1).
        for (int limit : new int[] {0, -5}) {
            assertThat(validationMessage(() -> ddb.scan(b -> b.tableName(table).limit(limit))))
                    .isEqualTo("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy"
                            + " constraint: Member must have value greater than or equal to 1");
            assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).limit(limit)
                    .keyConditionExpression("pk = :p").expressionAttributeValues(p1))))
                    .isEqualTo("1 validation error detected: Value '" + limit + "' at 'limit' failed to satisfy"
                            + " constraint: Member must have value greater than or equal to 1");
        }

        // A Query's filter cannot name key attributes; BETWEEN's bounds must be in order.
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p")
                .filterExpression("sk > :z").expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p001"),
                        ":z", AttributeValue.fromN("0"))))))
                .isEqualTo("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");
        assertThat(validationMessage(() -> ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk BETWEEN :h AND :l")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("p001"), ":l", AttributeValue.fromN("2"),
                        ":h", AttributeValue.fromN("4"))))))
                .isEqualTo("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater"
                        + " than or equal to lower bound; lower bound operand: AttributeValue: {N:4}, upper bound"
                        + " operand: AttributeValue: {N:2}");
    }

    // ---------------------------------------------------------------- batches

    @Test
    void batchGetItemPaginatorFetchesEveryKey() {
        List<Map<String, AttributeValue>> keys = written.values().stream().flatMap(List::stream)
                .map(i -> Map.of("pk", i.get("pk"), "sk", i.get("sk"))).toList();
        Set<String> seen = new HashSet<>();
        for (int from = 0; from < keys.size(); from += 100) {
            List<Map<String, AttributeValue>> chunk = keys.subList(from, Math.min(from + 100, keys.size()));
            // The paginator sends UnprocessedKeys again until there are none.
            ddb.batchGetItemPaginator(b -> b.requestItems(Map.of(table, KeysAndAttributes.builder().keys(chunk)
                            .projectionExpression("pk, sk, n").build())))
                    .forEach(page -> addOnce(seen, page.responses().getOrDefault(table, List.of())));
        }
        assertThat(seen).isEqualTo(allKeys());
    }

    @Test
    void batchGetItemAnswersAtMost16MegabytesAndTheRestAsUnprocessedKeys() {
        String bigTable = TablesIT.uniqueName("bigitems");
        ddb.createTable(TablesIT.hashAndRange(bigTable).build());
        String payload = "y".repeat(BIG_PAYLOAD);
        List<Map<String, AttributeValue>> items = IntStream.range(0, 50).mapToObj(i -> {
            Map<String, AttributeValue> item = new LinkedHashMap<>(item(BIG, i));
            item.remove("pad");
            item.put("payload", AttributeValue.fromS(payload));
            return item;
        }).toList();
        writeAll(ddb, bigTable, items);
        List<Map<String, AttributeValue>> keys = items.stream().map(i -> Map.of("pk", i.get("pk"), "sk", i.get("sk"))).toList();

        BatchGetItemResponse first = ddb.batchGetItem(b -> b.requestItems(Map.of(bigTable,
                KeysAndAttributes.builder().keys(keys).build())));
        // 50 items of 400 KB are 20 MB: a response holds at most 16 MB (API Reference, BatchGetItem),
        // which is 40 of these items (DynamoDB Local 3.3.1 answers the same); the rest are unprocessed.
        assertThat(first.responses().get(bigTable)).hasSize(40);
        assertThat(first.unprocessedKeys().get(bigTable).keys()).hasSize(10);
        Set<String> seen = new HashSet<>();
        ddb.batchGetItemPaginator(b -> b.requestItems(Map.of(bigTable, KeysAndAttributes.builder().keys(keys).build())))
                .forEach(page -> addOnce(seen, page.responses().getOrDefault(bigTable, List.of())));
        assertThat(seen).isEqualTo(items.stream().map(QueryScanScaleIT::key).collect(Collectors.toSet()));
    }

    @Test
    void batchWriteItemPutsAndDeletesInOneCall() {
        String churn = TablesIT.uniqueName("churn");
        ddb.createTable(TablesIT.hashAndRange(churn).build());
        List<Map<String, AttributeValue>> items = IntStream.range(0, 300).mapToObj(i -> item(partition(i % 3), i)).toList();
        writeAll(ddb, churn, items);
        // Each call deletes 12 items and puts 13 new ones.
        Map<String, Map<String, AttributeValue>> expected = new LinkedHashMap<>();
        items.forEach(i -> expected.put(key(i), i));
        for (int call = 0; call < 8; call++) {
            List<WriteRequest> writes = new ArrayList<>();
            for (int d = 0; d < 12; d++) {
                Map<String, AttributeValue> gone = items.get(call * 12 + d);
                writes.add(WriteRequest.builder().deleteRequest(r -> r.key(Map.of("pk", gone.get("pk"), "sk", gone.get("sk")))).build());
                expected.remove(key(gone));
            }
            for (int p = 0; p < 13; p++) {
                Map<String, AttributeValue> added = item("new", 1000 + call * 13 + p);
                writes.add(WriteRequest.builder().putRequest(r -> r.item(added)).build());
                expected.put(key(added), added);
            }
            assertThat(ddb.batchWriteItem(b -> b.requestItems(Map.of(churn, writes))).unprocessedItems()).isEmpty();
        }
        Set<String> seen = new HashSet<>();
        ddb.scanPaginator(b -> b.tableName(churn).limit(40)).items().forEach(i -> addOnce(seen, List.of(i)));
        assertThat(seen).isEqualTo(expected.keySet());

        // One item over 400 KB fails the whole call: nothing of it is written.
        Map<String, AttributeValue> tooBig = new LinkedHashMap<>(item("huge", 1));
        tooBig.put("payload", AttributeValue.fromS("z".repeat(409_600)));
        assertThat(validationMessage(() -> ddb.batchWriteItem(b -> b.requestItems(Map.of(churn, List.of(
                WriteRequest.builder().putRequest(r -> r.item(item("huge", 2))).build(),
                WriteRequest.builder().putRequest(r -> r.item(tooBig)).build()))))))
                .isEqualTo("Item size has exceeded the maximum allowed size");
        assertThat(ddb.query(b -> b.tableName(churn).keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("huge")))).count()).isZero();
    }

    // ---------------------------------------------------------------- the Enhanced Client

    /** The scale table's items as a bean; the Enhanced Client ignores the attributes it does not map. */
    @DynamoDbBean
    public static class ScaleItem {
        private String pk;
        private BigDecimal sk;
        private Integer n;
        private String tag;

        @DynamoDbPartitionKey
        public String getPk() { return pk; }
        public void setPk(String pk) { this.pk = pk; }
        @DynamoDbSortKey
        public BigDecimal getSk() { return sk; }
        public void setSk(BigDecimal sk) { this.sk = sk; }
        public Integer getN() { return n; }
        public void setN(Integer n) { this.n = n; }
        public String getTag() { return tag; }
        public void setTag(String tag) { this.tag = tag; }
    }

    @Test
    void enhancedClientQueriesAndScansTheSameTable() {
        DynamoDbTable<ScaleItem> items = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build()
                .table(table, TableSchema.fromBean(ScaleItem.class));
        String pk = partition(64);
        List<BigDecimal> expected = written.get(pk).stream().map(QueryScanScaleIT::sortKey).toList();

        List<BigDecimal> all = items.query(QueryConditional.keyEqualTo(k -> k.partitionValue(pk))).items().stream()
                .map(ScaleItem::getSk).toList();
        assertThat(all).usingElementComparator(BigDecimal::compareTo).containsExactlyElementsOf(expected);

        BigDecimal low = expected.get(10), high = expected.get(60);
        List<BigDecimal> between = items.query(r -> r.limit(9).scanIndexForward(false)
                        .queryConditional(QueryConditional.sortBetween(Key.builder().partitionValue(pk).sortValue(low).build(),
                                Key.builder().partitionValue(pk).sortValue(high).build())))
                .items().stream().map(ScaleItem::getSk).toList();
        assertThat(between).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(expected.subList(10, 61).reversed());

        List<ScaleItem> above = items.query(r -> r.queryConditional(QueryConditional.sortGreaterThan(
                        Key.builder().partitionValue(pk).sortValue(BigDecimal.ZERO).build()))
                .filterExpression(Expression.builder().expression("tag = :t")
                        .putExpressionValue(":t", AttributeValue.fromS("t4")).build())).items().stream().toList();
        assertThat(above).extracting(ScaleItem::getSk).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(written.get(pk).stream()
                        .filter(i -> sortKey(i).signum() > 0 && i.get("tag").s().equals("t4")).map(QueryScanScaleIT::sortKey).toList());

        Set<String> seen = new HashSet<>();
        items.scan(r -> r.limit(2500)).items().forEach(i -> assertThat(seen.add(i.getPk() + "/"
                + i.getSk().stripTrailingZeros().toPlainString())).isTrue());
        assertThat(seen).isEqualTo(allKeys());
        long t0 = items.scan(r -> r.filterExpression(Expression.builder().expression("tag = :t")
                .putExpressionValue(":t", AttributeValue.fromS("t0")).build())).items().stream().count();
        assertThat(t0).isEqualTo(written.values().stream().flatMap(List::stream).filter(i -> i.get("tag").s().equals("t0")).count());
    }

    // ---------------------------------------------------------------- the AWS CLI

    @Test
    void awsCliFollowsLastEvaluatedKeyByItself() throws Exception {
        assumeTrue(CliSmokeIT.available("aws", "--version"), "the AWS CLI is not installed");
        // --page-size is the Limit of each request; the CLI keeps asking until no LastEvaluatedKey comes back,
        // and prints the items of all pages with their summed Count.
        EnhancedDocument all = cliScan("--page-size", "100");
        assertThat(all.getNumber("Count").intValue()).isEqualTo(TOTAL);
        assertThat(all.getNumber("ScannedCount").intValue()).isEqualTo(TOTAL);
        assertThat(cliKeys(all)).hasSize(TOTAL).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(allKeys());
        assertThat(all.isPresent("NextToken")).isFalse();

        // --max-items stops early with a NextToken (the CLI's wrapping of the LastEvaluatedKey);
        // --starting-token resumes from it.
        EnhancedDocument head = cliScan("--page-size", "100", "--max-items", "250");
        assertThat(cliKeys(head)).hasSize(250);
        EnhancedDocument tail = cliScan("--page-size", "100", "--starting-token", head.getString("NextToken"));
        List<String> keys = new ArrayList<>(cliKeys(head));
        keys.addAll(cliKeys(tail));
        assertThat(keys).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(allKeys());
    }

    private static EnhancedDocument cliScan(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("aws", "dynamodb", "scan", "--endpoint-url",
                server.endpoint().toString(), "--table-name", table, "--projection-expression", "pk, sk", "--output", "json"));
        command.addAll(List.of(options));
        CliSmokeIT.Result r = CliSmokeIT.run(command);
        assertThat(r.exit()).as(r.output()).isZero();
        return EnhancedDocument.fromJson(r.output());
    }

    /** The keys of the items in the CLI's JSON ({"pk": {"S": ...}, "sk": {"N": ...}}). */
    private static List<String> cliKeys(EnhancedDocument scan) {
        Function<Map<String, AttributeValue>, String> key = i -> i.get("pk").m().get("S").s() + "/"
                + new BigDecimal(i.get("sk").m().get("N").s()).stripTrailingZeros().toPlainString();
        return scan.toMap().get("Items").l().stream().map(i -> key.apply(i.m())).toList();
    }

    // ---------------------------------------------------------------- memory

    /**
     * A Scan reads one page at a time, so a table larger than the server's heap scans in full: 150 MB of
     * items through a 96 MB heap. The server exits on an OutOfMemoryError anywhere, so surviving the
     * test means none happened.
     */
    @Test
    void aTableLargerThanTheHeapScansInFull(@TempDir Path dataDir) throws Exception {
        try (ServerProcess big = ServerProcess.jar(List.of("-Xmx96m", "-XX:+ExitOnOutOfMemoryError"), dataDir);
             DynamoDbClient client = Clients.sync(big.endpoint())) {
            int itemCount = 385, payloadChars = 390_000;
            // Random letters, so that storage really holds ~150 MB; each item's payload starts elsewhere.
            Random random = new Random(5);
            char[] letters = new char[payloadChars + itemCount];
            for (int i = 0; i < letters.length; i++) letters[i] = (char) ('a' + random.nextInt(26));
            Set<String> seen = new HashSet<>();
            long[] bytes = {0};
            int[] pages = {0};
            try {
                client.createTable(TablesIT.hashAndRange("heap").build());
                for (int from = 0; from < itemCount; from += 25) {
                    List<Map<String, AttributeValue>> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(from + 25, itemCount); i++) {
                        batch.add(Map.of("pk", AttributeValue.fromS("k" + i), "sk", AttributeValue.fromN("0"),
                                "payload", AttributeValue.fromS(new String(letters, i, payloadChars))));
                    }
                    writeAll(client, "heap", batch);
                }
                for (ScanResponse page : client.scanPaginator(b -> b.tableName("heap"))) {
                    pages[0]++;
                    for (Map<String, AttributeValue> item : page.items()) {
                        assertThat(seen.add(item.get("pk").s())).isTrue();
                        int i = Integer.parseInt(item.get("pk").s().substring(1));
                        assertThat(item.get("payload").s()).hasSize(payloadChars).startsWith(new String(letters, i, 16));
                        bytes[0] += item.get("payload").s().length();
                    }
                }
            } catch (SdkException e) {
                throw new AssertionError("request failed; server " + (big.isAlive() ? "alive" : "gone")
                        + ", its output:\n" + big.output(), e);
            }
            assertThat(seen).hasSize(itemCount);
            assertThat(bytes[0]).isGreaterThan(150_000_000L);
            // A page holds 1 MB: two items, and the third that crosses the limit.
            assertThat(pages[0]).isGreaterThanOrEqualTo(itemCount / 3);
            assertThat(big.isAlive()).as(big.output()).isTrue();
            assertThat(big.output()).doesNotContain("OutOfMemoryError");
        }
    }
}

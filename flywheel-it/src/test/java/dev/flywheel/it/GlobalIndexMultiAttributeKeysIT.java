package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/**
 * Global secondary indexes with multi-attribute keys (issue 6; Developer Guide, "Multi-attribute key
 * schema"), through the AWS SDK for Java v2: a partition key of several attributes and a sort key of
 * several, each of its own type, at CreateTable and added by UpdateTable; items moving in and out of the
 * index; Query with the whole partition key and a left-to-right prefix of the sort key, a range on the
 * last attribute given, both directions and page by page; and DynamoDB's validation errors.
 *
 * <p>The table {@code matches} (pk S, sk N) has the index {@code by-round}: partition key tournament (S),
 * season (N), league (B); sort key round (N), bracket (S), slot (B). Within a partition every item has
 * its own (round, bracket, slot), so the index's order is fully determined and checked exactly.
 */
class GlobalIndexMultiAttributeKeysIT {
    private static final String INDEX = "by-round";
    /** Numbers whose text order is not their numeric order. */
    private static final List<String> ROUNDS = List.of("10", "9", "-1.5", "100");
    /** Strings where one is a prefix of another. */
    private static final List<String> BRACKETS = List.of("upper", "up", "lower", "final");
    /** Binaries compared unsigned, one a prefix of another, with zero bytes. */
    private static final List<byte[]> SLOTS = List.of(new byte[] {0x00}, new byte[] {(byte) 0x80},
            new byte[] {0x7F}, new byte[] {(byte) 0x80, 0x00});
    private static final byte[] LEAGUE = {0x01, 0x00};

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

    /** A match as the test's model sees it; null attributes are absent from the item. */
    record Match(String pk, int sk, String tournament, String season, byte[] league, String round, String bracket,
                 byte[] slot, String note) {

        Map<String, AttributeValue> item() {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", s(pk));
            item.put("sk", n(Integer.toString(sk)));
            if (tournament != null) item.put("tournament", s(tournament));
            if (season != null) item.put("season", n(season));
            if (league != null) item.put("league", b(league));
            if (round != null) item.put("round", n(round));
            if (bracket != null) item.put("bracket", s(bracket));
            if (slot != null) item.put("slot", b(slot));
            if (note != null) item.put("note", s(note));
            return item;
        }

        boolean indexed() {
            return tournament != null && season != null && league != null && round != null && bracket != null && slot != null;
        }

        String key() {
            return pk + "/" + sk;
        }
    }

    /** DynamoDB's order of the index's sort key: round by number, bracket by UTF-8 bytes, slot by unsigned bytes. */
    static final Comparator<Match> INDEX_ORDER = Comparator
            .comparing((Match m) -> new BigDecimal(m.round()))
            .thenComparing(Match::bracket)
            .thenComparing(Match::slot, Arrays::compareUnsigned);

    static AttributeValue s(String v) { return AttributeValue.fromS(v); }

    static AttributeValue n(String v) { return AttributeValue.fromN(v); }

    static AttributeValue b(byte[] v) { return AttributeValue.fromB(SdkBytes.fromByteArray(v)); }

    static AttributeDefinition definition(String name, ScalarAttributeType type) {
        return AttributeDefinition.builder().attributeName(name).attributeType(type).build();
    }

    static KeySchemaElement hash(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.HASH).build();
    }

    static KeySchemaElement range(String name) {
        return KeySchemaElement.builder().attributeName(name).keyType(KeyType.RANGE).build();
    }

    static CreateTableRequest.Builder matches(String name) {
        return TablesIT.hashAndRange(name)
                .attributeDefinitions(definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                        definition("tournament", ScalarAttributeType.S), definition("season", ScalarAttributeType.N),
                        definition("league", ScalarAttributeType.B), definition("round", ScalarAttributeType.N),
                        definition("bracket", ScalarAttributeType.S), definition("slot", ScalarAttributeType.B))
                .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(INDEX)
                        .keySchema(hash("tournament"), hash("season"), hash("league"), range("round"), range("bracket"),
                                range("slot"))
                        .projection(p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("note")).build());
    }

    /**
     * 64 matches in the partition (open, 2026, LEAGUE), each with its own sort key; 16 in a partition that
     * differs only in the season; and 4 that lack one key attribute each, so are in no partition.
     */
    static List<Match> matchData() {
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            matches.add(new Match("p" + i % 7, i, "open", "2026", LEAGUE, ROUNDS.get(i % 4), BRACKETS.get(i / 4 % 4),
                    SLOTS.get(i / 16), "n" + i));
        }
        for (int i = 64; i < 80; i++) {
            matches.add(new Match("p" + i % 7, i, "open", "2025", LEAGUE, ROUNDS.get(i % 4), BRACKETS.get(i / 4 % 4),
                    SLOTS.get(0), "n" + i));
        }
        matches.add(new Match("sparse", 1, "open", "2026", LEAGUE, "10", "upper", null, "no slot"));
        matches.add(new Match("sparse", 2, "open", "2026", null, "10", "upper", SLOTS.get(0), "no league"));
        matches.add(new Match("sparse", 3, null, "2026", LEAGUE, "10", "upper", SLOTS.get(0), "no tournament"));
        matches.add(new Match("sparse", 4, "open", "2026", LEAGUE, null, "upper", SLOTS.get(0), "no round"));
        return matches;
    }

    static String createAndFill(String prefix, List<Match> matches) {
        String name = TablesIT.uniqueName(prefix);
        ddb.createTable(matches(name).build());
        for (Match m : matches) ddb.putItem(p -> p.tableName(name).item(m.item()));
        server.awaitIndexes();
        return name;
    }

    /** A Query of the partition (open, 2026, LEAGUE) with {@code sortCondition} ("" for none) on the index. */
    static QueryRequest.Builder query(String table, String sortCondition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> all = new HashMap<>(values);
        all.put(":t", s("open"));
        all.put(":s", n("2026"));
        all.put(":l", b(LEAGUE));
        return QueryRequest.builder().tableName(table).indexName(INDEX)
                .keyConditionExpression("tournament = :t AND season = :s AND league = :l"
                        + (sortCondition.isEmpty() ? "" : " AND " + sortCondition))
                .expressionAttributeValues(all);
    }

    static List<String> keysOf(List<Map<String, AttributeValue>> items) {
        return items.stream().map(i -> i.get("pk").s() + "/" + i.get("sk").n()).toList();
    }

    /** The model's answer: the partition's indexed matches that pass {@code filter}, in index order. */
    static List<String> expected(List<Match> matches, Predicate<Match> filter) {
        return matches.stream().filter(Match::indexed)
                .filter(m -> m.tournament().equals("open") && m.season().equals("2026") && Arrays.equals(m.league(), LEAGUE))
                .filter(filter).sorted(INDEX_ORDER).map(Match::key).toList();
    }

    /** Every page of the query, {@code limit} items at a time, each resumed from the previous LastEvaluatedKey. */
    static List<String> paged(QueryRequest request, int limit) {
        List<String> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            QueryResponse page = ddb.query(request.toBuilder().limit(limit).exclusiveStartKey(start).build());
            keys.addAll(keysOf(page.items()));
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
            if (start != null) {
                assertThat(start).containsOnlyKeys("tournament", "season", "league", "round", "bracket", "slot", "pk", "sk");
                Map<String, AttributeValue> last = page.items().getLast();
                assertThat(start).allSatisfy((name, value) -> assertThat(value).isEqualTo(last.get(name)));
            }
        } while (start != null);
        return keys;
    }

    @Test
    void createTableKeepsTheKeySchemaAsGiven() {
        String name = TablesIT.uniqueName("multikey-describe");
        ddb.createTable(matches(name).build());
        GlobalSecondaryIndexDescription index = ddb.describeTable(d -> d.tableName(name)).table().globalSecondaryIndexes()
                .getFirst();
        assertThat(index.keySchema()).extracting(e -> e.attributeName() + " " + e.keyTypeAsString())
                .containsExactly("tournament HASH", "season HASH", "league HASH", "round RANGE", "bracket RANGE",
                        "slot RANGE");
        assertThat(index.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
    }

    @Test
    void queriesReadAPartitionInTheOrderOfItsSortKeyAttributes() {
        List<Match> matches = matchData();
        String name = createAndFill("multikey-query", matches);

        QueryResponse whole = ddb.query(query(name, "", Map.of()).build());
        assertThat(keysOf(whole.items())).isEqualTo(expected(matches, m -> true)).hasSize(64);
        assertThat(whole.items().getFirst()).containsOnlyKeys("pk", "sk", "tournament", "season", "league", "round",
                "bracket", "slot", "note");
        assertThat(keysOf(ddb.query(query(name, "", Map.of()).scanIndexForward(false).build()).items()))
                .isEqualTo(expected(matches, m -> true).reversed());

        // The first sort key attribute: equal, or a range.
        assertThat(keysOf(ddb.query(query(name, "round = :r", Map.of(":r", n("9.0"))).build()).items()))
                .isEqualTo(expected(matches, m -> m.round().equals("9"))).hasSize(16);
        assertThat(keysOf(ddb.query(query(name, "round > :r", Map.of(":r", n("9"))).build()).items()))
                .isEqualTo(expected(matches, m -> new BigDecimal(m.round()).compareTo(BigDecimal.valueOf(9)) > 0));
        assertThat(keysOf(ddb.query(query(name, "round BETWEEN :lo AND :hi", Map.of(":lo", n("-2"), ":hi", n("10")))
                .scanIndexForward(false).build()).items()))
                .isEqualTo(expected(matches, m -> !m.round().equals("100")).reversed()).hasSize(48);

        // Then the second, with the first equal; written in any order.
        assertThat(keysOf(ddb.query(query(name, "begins_with(bracket, :b) AND round = :r",
                Map.of(":r", n("10"), ":b", s("up"))).build()).items()))
                .isEqualTo(expected(matches, m -> m.round().equals("10") && m.bracket().startsWith("up"))).hasSize(8);
        assertThat(keysOf(ddb.query(query(name, "round = :r AND bracket < :b", Map.of(":r", n("100"), ":b", s("up")))
                .build()).items()))
                .isEqualTo(expected(matches, m -> m.round().equals("100") && m.bracket().compareTo("up") < 0)).hasSize(8);

        // Then the third, with the first two equal.
        assertThat(keysOf(ddb.query(query(name, "round = :r AND bracket = :b AND slot >= :x",
                Map.of(":r", n("-1.5"), ":b", s("lower"), ":x", b(new byte[] {0x7F}))).build()).items()))
                .isEqualTo(expected(matches, m -> m.round().equals("-1.5") && m.bracket().equals("lower")
                        && Arrays.compareUnsigned(m.slot(), new byte[] {0x7F}) >= 0)).hasSize(3);
        assertThat(keysOf(ddb.query(query(name, "round = :r AND bracket = :b AND slot = :x",
                Map.of(":r", n("9"), ":b", s("final"), ":x", b(new byte[] {(byte) 0x80, 0x00}))).build()).items()))
                .isEqualTo(expected(matches, m -> m.round().equals("9") && m.bracket().equals("final")
                        && Arrays.equals(m.slot(), new byte[] {(byte) 0x80, 0x00}))).hasSize(1);

        // The other partition, and the sparse items, are in no answer above; Scan sees every indexed item.
        List<Map<String, AttributeValue>> scanned = new ArrayList<>();
        ddb.scanPaginator(sc -> sc.tableName(name).indexName(INDEX).limit(7)).items().forEach(scanned::add);
        assertThat(keysOf(scanned)).containsExactlyInAnyOrderElementsOf(
                matches.stream().filter(Match::indexed).map(Match::key).toList()).hasSize(80);
        assertThat(ddb.scan(sc -> sc.tableName(name).indexName(INDEX).limit(3)).lastEvaluatedKey())
                .containsOnlyKeys("tournament", "season", "league", "round", "bracket", "slot", "pk", "sk");
    }

    @Test
    void pagesResumeFromTheirLastEvaluatedKeyInBothDirections() {
        List<Match> matches = matchData();
        String name = createAndFill("multikey-pages", matches);

        QueryRequest whole = query(name, "", Map.of()).build();
        assertThat(paged(whole, 5)).isEqualTo(expected(matches, m -> true));
        assertThat(paged(whole.toBuilder().scanIndexForward(false).build(), 6))
                .isEqualTo(expected(matches, m -> true).reversed());
        QueryRequest round = query(name, "round = :r AND bracket >= :b", Map.of(":r", n("100"), ":b", s("up"))).build();
        assertThat(paged(round, 3)).isEqualTo(expected(matches, m -> m.round().equals("100") && m.bracket().compareTo("up") >= 0))
                .hasSize(8);
        assertThat(paged(round.toBuilder().scanIndexForward(false).build(), 3))
                .isEqualTo(expected(matches, m -> m.round().equals("100") && m.bracket().compareTo("up") >= 0).reversed());

        // A start key outside the key condition is refused, as for single-attribute keys.
        Map<String, AttributeValue> outside = ddb.query(query(name, "round = :r", Map.of(":r", n("9"))).limit(1).build())
                .lastEvaluatedKey();
        assertThatThrownBy(() -> ddb.query(query(name, "round = :r", Map.of(":r", n("10"))).exclusiveStartKey(outside).build()))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("The provided starting key does not match the range key predicate");
        Map<String, AttributeValue> incomplete = new HashMap<>(outside);
        incomplete.remove("slot");
        assertThatThrownBy(() -> ddb.query(query(name, "round = :r", Map.of(":r", n("9"))).exclusiveStartKey(incomplete).build()))
                .hasMessageStartingWith("The provided starting key is invalid");
    }

    @Test
    void itemsMoveInAndOutOfTheIndexAsTheirKeyAttributesChange() {
        List<Match> matches = new ArrayList<>(List.of(
                new Match("a", 1, "open", "2026", LEAGUE, "1", "upper", SLOTS.get(0), null),
                new Match("a", 2, "open", "2026", LEAGUE, "2", "upper", SLOTS.get(0), null),
                new Match("b", 1, "open", "2026", LEAGUE, "3", "upper", SLOTS.get(0), null)));
        String name = createAndFill("multikey-writes", matches);
        assertThat(keysOf(ddb.query(query(name, "", Map.of()).build()).items())).containsExactly("a/1", "a/2", "b/1");

        ddb.updateItem(u -> u.tableName(name).key(Map.of("pk", s("a"), "sk", n("1")))
                .updateExpression("SET #r = :r").expressionAttributeNames(Map.of("#r", "round"))
                .expressionAttributeValues(Map.of(":r", n("4"))));
        ddb.updateItem(u -> u.tableName(name).key(Map.of("pk", s("a"), "sk", n("2"))).updateExpression("REMOVE slot"));
        ddb.putItem(p -> p.tableName(name).item(new Match("c", 1, "open", "2026", LEAGUE, "3", "lower", SLOTS.get(1), null)
                .item()));
        server.awaitIndexes();
        assertThat(keysOf(ddb.query(query(name, "", Map.of()).build()).items())).containsExactly("c/1", "b/1", "a/1");

        ddb.deleteItem(d -> d.tableName(name).key(Map.of("pk", s("b"), "sk", n("1"))));
        ddb.updateItem(u -> u.tableName(name).key(Map.of("pk", s("a"), "sk", n("2"))).updateExpression("SET slot = :x")
                .expressionAttributeValues(Map.of(":x", b(SLOTS.get(2)))));
        ddb.updateItem(u -> u.tableName(name).key(Map.of("pk", s("c"), "sk", n("1"))).updateExpression("SET season = :s")
                .expressionAttributeValues(Map.of(":s", n("2027"))));
        server.awaitIndexes();
        assertThat(keysOf(ddb.query(query(name, "", Map.of()).build()).items())).containsExactly("a/2", "a/1");
    }

    @Test
    void updateTableAddsAMultiAttributeIndexAndBackfillsIt() {
        List<Match> matches = matchData();
        String name = createAndFill("multikey-online", matches);
        ddb.putItem(p -> p.tableName(name).item(Map.of("pk", s("x"), "sk", n("1"), "tournament", s("open"),
                "bracket", s("upper"), "season", n("2026"))));

        TableDescription updating = ddb.updateTable(u -> u.tableName(name)
                .attributeDefinitions(definition("bracket", ScalarAttributeType.S), definition("season", ScalarAttributeType.N),
                        definition("tournament", ScalarAttributeType.S), definition("league", ScalarAttributeType.B),
                        definition("round", ScalarAttributeType.N), definition("sk", ScalarAttributeType.N))
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(c -> c.indexName("by-bracket")
                        .keySchema(hash("bracket"), hash("season"), hash("tournament"), hash("league"), range("round"),
                                range("sk"))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY))).build()))
                .tableDescription();
        assertThat(updating.globalSecondaryIndexes()).filteredOn(i -> i.indexName().equals("by-bracket"))
                .singleElement().satisfies(i -> assertThat(i.keySchema()).extracting(KeySchemaElement::attributeName)
                        .containsExactly("bracket", "season", "tournament", "league", "round", "sk"));
        server.awaitIndexes();

        QueryRequest byBracket = QueryRequest.builder().tableName(name).indexName("by-bracket")
                .keyConditionExpression("league = :l AND tournament = :t AND season = :s AND bracket = :b AND #r <= :r")
                .expressionAttributeNames(Map.of("#r", "round"))
                .expressionAttributeValues(Map.of(":l", b(LEAGUE), ":t", s("open"), ":s", n("2026"), ":b", s("upper"),
                        ":r", n("10"))).build();
        // The new index's own key attributes decide what it holds: the match without a slot is in it.
        Comparator<Match> order = Comparator.comparing((Match m) -> new BigDecimal(m.round())).thenComparingInt(Match::sk);
        List<String> expected = matches.stream()
                .filter(m -> m.tournament() != null && m.league() != null && m.round() != null)
                .filter(m -> m.season().equals("2026") && m.bracket().equals("upper") && !m.round().equals("100"))
                .sorted(order).map(Match::key).toList();
        QueryResponse all = ddb.query(byBracket);
        assertThat(keysOf(all.items())).isEqualTo(expected).hasSize(13).contains("sparse/1");
        assertThat(all.items().getFirst()).containsOnlyKeys("pk", "sk", "bracket", "season", "tournament", "league", "round");
        assertThat(keysOf(ddb.query(byBracket.toBuilder().scanIndexForward(false).limit(4).build()).items()))
                .isEqualTo(expected.reversed().subList(0, 4));
        assertThat(ddb.query(query(name, "", Map.of()).build()).count()).isEqualTo(64);
    }

    @Test
    void keySchemasAreValidatedAsDynamoDbValidatesThem() {
        String name = TablesIT.uniqueName("multikey-bad");
        List<AttributeDefinition> definitions = new ArrayList<>(List.of(definition("pk", ScalarAttributeType.S),
                definition("sk", ScalarAttributeType.N)));
        for (String a : List.of("a", "b", "c", "d", "e")) definitions.add(definition(a, ScalarAttributeType.S));
        UnaryOperator<CreateTableRequest.Builder> withAll = r -> r.attributeDefinitions(definitions);
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).globalSecondaryIndexes(
                gsi(hash("a"), hash("b"), hash("c"), hash("d"), hash("e"))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed"
                        + " number of HASH key attributes");
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).globalSecondaryIndexes(
                gsi(hash("pk"), range("a"), range("b"), range("c"), range("d"), range("e"))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed"
                        + " number of RANGE key attributes");
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).globalSecondaryIndexes(
                gsi(hash("a"), range("b"), hash("c"))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: All HASH key attributes must precede RANGE"
                        + " key attributes in the KeySchema");
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).globalSecondaryIndexes(
                gsi(range("a"), hash("b"))).build()))
                .hasMessageStartingWith("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).globalSecondaryIndexes(
                gsi(hash("a"), hash("b"), range("a"))).build()))
                .hasMessageStartingWith("The KeySchema contains multiple key attributes with the same name");
        assertThatThrownBy(() -> ddb.createTable(TablesIT.hashAndRange(name).attributeDefinitions(
                definition("pk", ScalarAttributeType.S), definition("sk", ScalarAttributeType.N),
                definition("a", ScalarAttributeType.S)).globalSecondaryIndexes(gsi(hash("a"), hash("b"))).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Some index key attributes are not defined"
                        + " in AttributeDefinitions. Keys: [a, b], AttributeDefinitions: [pk, sk, a]");
        // Tables and local indexes keep one attribute of each, with the errors they always had.
        assertThatThrownBy(() -> ddb.createTable(TablesIT.hashAndRange(name).attributeDefinitions(definitions)
                .keySchema(hash("pk"), range("sk"), range("a")).build()))
                .hasMessageContaining("Member must have length less than or equal to 2");
        assertThatThrownBy(() -> ddb.createTable(withAll.apply(TablesIT.hashAndRange(name)).localSecondaryIndexes(l -> l
                .indexName("local").keySchema(hash("pk"), hash("a")).projection(p -> p.projectionType(ProjectionType.ALL)))
                .build()))
                .hasMessageStartingWith("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        assertThat(ddb.listTables().tableNames()).doesNotContain(name);

        String existing = TablesIT.uniqueName("multikey-bad-online");
        ddb.createTable(TablesIT.hashAndRange(existing).build());
        assertThatThrownBy(() -> ddb.updateTable(u -> u.tableName(existing).attributeDefinitions(definitions)
                .globalSecondaryIndexUpdates(GlobalSecondaryIndexUpdate.builder().create(c -> c.indexName("five")
                        .keySchema(hash("a"), hash("b"), hash("c"), hash("d"), hash("e"))
                        .projection(p -> p.projectionType(ProjectionType.ALL))).build())))
                .hasMessageStartingWith("One or more parameter values were invalid: The KeySchema exceeds the maximum allowed"
                        + " number of HASH key attributes");
        assertThat(ddb.describeTable(d -> d.tableName(existing)).table().hasGlobalSecondaryIndexes()).isFalse();
    }

    static GlobalSecondaryIndex gsi(KeySchemaElement... key) {
        return GlobalSecondaryIndex.builder().indexName("bad-index").keySchema(key)
                .projection(p -> p.projectionType(ProjectionType.ALL)).build();
    }

    @Test
    void writesAndQueriesAreValidatedAsDynamoDbValidatesThem() {
        String name = createAndFill("multikey-invalid", List.of());
        Map<String, AttributeValue> item = new Match("a", 1, "open", "2026", LEAGUE, "1", "upper", SLOTS.get(0), null).item();

        Map<String, AttributeValue> wrongType = new HashMap<>(item);
        wrongType.put("season", s("2026"));
        assertThatThrownBy(() -> ddb.putItem(p -> p.tableName(name).item(wrongType)))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key season"
                        + " Expected: N Actual: S IndexName: by-round");
        // A wrong type is refused even when the item lacks other key attributes (it would not be indexed).
        assertThatThrownBy(() -> ddb.putItem(p -> p.tableName(name).item(Map.of("pk", s("a"), "sk", n("1"),
                "slot", s("x")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key slot"
                        + " Expected: B Actual: S IndexName: by-round");
        assertThatThrownBy(() -> ddb.updateItem(u -> u.tableName(name).key(Map.of("pk", s("a"), "sk", n("1")))
                .updateExpression("SET league = :l").expressionAttributeValues(Map.of(":l", n("1")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for Index Key league"
                        + " Expected: B Actual: N IndexName: by-round");
        Map<String, AttributeValue> tooLong = new HashMap<>(item);
        tooLong.put("tournament", s("t".repeat(1500)));
        tooLong.put("league", b(new byte[600]));
        assertThatThrownBy(() -> ddb.putItem(p -> p.tableName(name).item(tooLong)))
                .hasMessageStartingWith("Aggregate size for HASH key attributes tournament, season, league of index by-round"
                        + " has exceeded limit 2048 bytes, with actual size 2103 bytes");

        assertThatThrownBy(() -> ddb.query(q -> q.tableName(name).indexName(INDEX)
                .keyConditionExpression("tournament = :t AND round = :r")
                .expressionAttributeValues(Map.of(":t", s("open"), ":r", n("1")))))
                .hasMessageStartingWith("HASH key attributes season, league must have equality conditions specified in the"
                        + " query");
        assertThatThrownBy(() -> ddb.query(query(name, "", Map.of()).keyConditionExpression(
                "tournament = :t AND season > :s AND league = :l").build()))
                .hasMessageStartingWith("HASH key attributes season must have equality conditions specified in the query");
        assertThatThrownBy(() -> ddb.query(query(name, "bracket = :b", Map.of(":b", s("up"))).build()))
                .hasMessageStartingWith("RANGE key attributes round must have equality conditions specified in the query"
                        + " because a condition is present on key attribute bracket");
        assertThatThrownBy(() -> ddb.query(query(name, "round = :r AND slot = :x", Map.of(":r", n("1"), ":x", b(LEAGUE)))
                .build()))
                .hasMessageStartingWith("RANGE key attributes bracket must have equality conditions specified in the query"
                        + " because a condition is present on key attribute slot");
        assertThatThrownBy(() -> ddb.query(query(name, "round < :r AND bracket = :b", Map.of(":r", n("1"), ":b", s("up")))
                .build()))
                .hasMessageStartingWith("RANGE key attributes round must have equality conditions specified in the query"
                        + " because a condition is present on key attribute bracket");
        assertThatThrownBy(() -> ddb.query(query(name, "round = :r AND round = :r", Map.of(":r", n("1"))).build()))
                .hasMessageStartingWith("KeyConditionExpressions must only contain one condition per key");
        assertThatThrownBy(() -> ddb.query(query(name, "", Map.of()).filterExpression("bracket = :b")
                .expressionAttributeValues(Map.of(":t", s("open"), ":s", n("2026"), ":l", b(LEAGUE), ":b", s("up"))).build()))
                .hasMessageStartingWith("Filter Expression can only contain non-primary key attributes: Primary key"
                        + " attribute: bracket");
        // The legacy KeyConditions follow the same rules.
        assertThatThrownBy(() -> ddb.query(q -> q.tableName(name).indexName(INDEX).keyConditions(Map.of(
                "tournament", eq(s("open")), "season", eq(n("2026")), "league", eq(b(LEAGUE)), "slot", eq(b(LEAGUE))))))
                .hasMessageStartingWith("RANGE key attributes round, bracket must have equality conditions specified in the"
                        + " query because a condition is present on key attribute slot");
    }

    static Condition eq(AttributeValue value) {
        return Condition.builder().comparisonOperator(ComparisonOperator.EQ).attributeValueList(value).build();
    }
}

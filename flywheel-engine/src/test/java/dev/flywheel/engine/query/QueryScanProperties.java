package dev.flywheel.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.model.shapes.ScanInput;
import dev.flywheel.model.shapes.ScanOutput;
import dev.flywheel.storage.TreeMapStorage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;

/**
 * Query and Scan against a reference written here from DynamoDB's documented rules, over random
 * tables, items, key conditions and filters: the engine's pages, followed through LastEvaluatedKey
 * with a random Limit, must hold exactly the items that a plain filter and sort of all items gives.
 *
 * <p>The reference knows nothing of the engine's key encoding. It orders strings by their UTF-8 bytes,
 * numbers by value and binaries by unsigned bytes (Developer Guide, "Query": "sorted by sort key value
 * ... in order of UTF-8 bytes"); evaluates filters as DynamoDB does (a comparison with a missing
 * attribute or a value of another type is false, except {@code <>}, which is true); and treats two
 * numbers as the same key when they are equal in value, whatever their text ("1.50", "15E-1", "+1.5").
 *
 * <p>Values come from small domains so that items share partitions, keys collide (a later put replaces
 * an item) and conditions meet their edges: strings mix ASCII, a BMP private-use character (U+E000)
 * and one outside the BMP (U+1F600), whose UTF-16 and UTF-8 orders disagree; binaries use 0x00, 0x7F,
 * 0x80 and 0xFF. jqwik prints the seed of a failing run; rerun it with {@code @Property(seed = ...)}.
 */
class QueryScanProperties {

    private static final String TABLE = "items";
    private static final String HASH = "h";
    private static final String RANGE = "r";
    private static final List<String> STRING_PIECES = List.of("a", "b", "ab", "é", "中", "\uE000", "\uD83D\uDE00", "z");
    private static final byte[] BYTES = {0x00, 0x01, 0x7F, (byte) 0x80, (byte) 0xFF};

    // ---------------------------------------------------------------- the property

    @Property(tries = 200, edgeCases = EdgeCasesMode.NONE)
    @Tag("random")
    void queryAndScanReturnWhatTheReferenceReturns(@ForAll("scenarios") Scenario s) {
        FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(), EngineConfig.defaults());
        engine.createTable(createTable(s.schema()));
        Map<String, Map<String, AttributeValue>> reference = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : s.items()) {
            engine.putItem(PutItemInput.builder().tableName(TABLE).item(item).build());
            reference.put(canonicalKey(item), item);  // a key equal in value replaces the item
        }
        List<Map<String, AttributeValue>> all = List.copyOf(reference.values());

        for (QuerySpec q : s.queries()) {
            Map<String, AttributeValue> start = q.exclusiveStartKey(s.schema());
            if (start != null && q.rangeCondition() != null && !q.rangeCondition().test(start)) {
                // DynamoDB resumes a Query only from a key that its key condition selects.
                assertThatThrownBy(() -> query(engine, q, start)).as("%s", q)
                        .isInstanceOf(ValidationException.class)
                        .hasMessage("The provided starting key does not match the range key predicate");
                continue;
            }
            List<Map<String, AttributeValue>> matching = all.stream()
                    .filter(i -> sameValue(i.get(HASH), q.hashValue()))
                    .filter(i -> q.rangeCondition() == null || q.rangeCondition().test(i))
                    .filter(i -> start == null || byRangeKey(q.forward()).compare(i, start) > 0)
                    .sorted(byRangeKey(q.forward()))
                    .toList();
            List<Map<String, AttributeValue>> expected = matching.stream()
                    .filter(i -> q.filter() == null || q.filter().test(i)).toList();
            Paged actual = query(engine, q, start);
            assertThat(actual.scannedCount()).as("ScannedCount summed over pages of %s", q).isEqualTo(matching.size());
            assertThat(actual.count()).as("Count summed over pages of %s", q).isEqualTo(expected.size());
            if (!q.countOnly()) {
                assertThat(canonical(actual.items())).as("%s", q).containsExactlyElementsOf(canonical(expected));
            }
        }

        ScanSpec scan = s.scan();
        List<Map<String, AttributeValue>> expected = all.stream()
                .filter(i -> scan.filter() == null || scan.filter().test(i)).toList();
        Paged actual = scan(engine, scan);
        assertThat(actual.scannedCount()).as("ScannedCount summed over pages of %s", scan).isEqualTo(all.size());
        assertThat(actual.count()).as("Count summed over pages of %s", scan).isEqualTo(expected.size());
        // Scan order is the engine's (partitions by hash); only the multiset is DynamoDB's contract.
        assertThat(canonical(actual.items())).as("%s", scan).containsExactlyInAnyOrderElementsOf(canonical(expected));
    }

    private record Paged(List<Map<String, AttributeValue>> items, int count, int scannedCount) {}

    private static Paged query(FlywheelEngine engine, QuerySpec q, Map<String, AttributeValue> exclusiveStartKey) {
        Expressions x = new Expressions();
        String keyCondition = x.name(HASH) + " = " + x.value(q.hashValue());
        if (q.rangeCondition() != null) keyCondition += " AND " + q.rangeCondition().render(x);
        String filter = q.filter() == null ? null : q.filter().render(x);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int count = 0, scanned = 0, pages = 0;
        Map<String, AttributeValue> start = exclusiveStartKey;
        do {
            QueryOutput page = engine.query(QueryInput.builder().tableName(TABLE)
                    .keyConditionExpression(keyCondition).filterExpression(filter)
                    .expressionAttributeNames(x.names).expressionAttributeValues(x.values)
                    .limit(q.limit()).scanIndexForward(q.forward()).exclusiveStartKey(start)
                    .select(q.countOnly() ? "COUNT" : null).build());
            checkPage(page.items(), page.count(), page.scannedCount(), q.limit(), q.countOnly());
            if (page.items() != null) items.addAll(page.items());
            count += page.count();
            scanned += page.scannedCount();
            start = page.lastEvaluatedKey();
            assertThat(++pages).as("pages of %s", q).isLessThanOrEqualTo(100);
        } while (start != null);
        return new Paged(items, count, scanned);
    }

    private static Paged scan(FlywheelEngine engine, ScanSpec s) {
        Expressions x = new Expressions();
        String filter = s.filter() == null ? null : s.filter().render(x);
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        int count = 0, scanned = 0, pages = 0;
        for (int segment = 0; segment < s.totalSegments(); segment++) {
            Map<String, AttributeValue> start = null;
            do {
                ScanOutput page = engine.scan(ScanInput.builder().tableName(TABLE).filterExpression(filter)
                        .expressionAttributeNames(x.names.isEmpty() ? null : x.names)
                        .expressionAttributeValues(x.values.isEmpty() ? null : x.values)
                        .limit(s.limit()).exclusiveStartKey(start)
                        .segment(s.totalSegments() == 1 ? null : segment)
                        .totalSegments(s.totalSegments() == 1 ? null : s.totalSegments()).build());
                checkPage(page.items(), page.count(), page.scannedCount(), s.limit(), false);
                items.addAll(page.items());
                count += page.count();
                scanned += page.scannedCount();
                start = page.lastEvaluatedKey();
                assertThat(++pages).as("pages of %s", s).isLessThanOrEqualTo(200);
            } while (start != null);
        }
        return new Paged(items, count, scanned);
    }

    /** What holds for every page: Count counts the items returned, ScannedCount never exceeds Limit. */
    private static void checkPage(List<Map<String, AttributeValue>> items, int count, int scannedCount, Integer limit,
                                  boolean countOnly) {
        assertThat(count).isLessThanOrEqualTo(scannedCount);
        if (limit != null) assertThat(scannedCount).isLessThanOrEqualTo(limit);
        if (countOnly) assertThat(items).isNull();
        else assertThat(items).hasSize(count);
    }

    /** Placeholders handed out as a request is rendered: every name and value used exactly once. */
    static final class Expressions {
        final Map<String, String> names = new LinkedHashMap<>();
        final Map<String, AttributeValue> values = new LinkedHashMap<>();

        String name(String attribute) {
            names.put("#" + attribute, attribute);
            return "#" + attribute;
        }

        String value(AttributeValue v) {
            String placeholder = ":v" + values.size();
            values.put(placeholder, v);
            return placeholder;
        }
    }

    private static CreateTableInput createTable(Schema schema) {
        List<AttributeDefinition> definitions = new ArrayList<>(List.of(new AttributeDefinition(HASH, schema.hashType())));
        List<KeySchemaElement> keys = new ArrayList<>(List.of(new KeySchemaElement(HASH, "HASH")));
        if (schema.rangeType() != null) {
            definitions.add(new AttributeDefinition(RANGE, schema.rangeType()));
            keys.add(new KeySchemaElement(RANGE, "RANGE"));
        }
        return CreateTableInput.builder().tableName(TABLE).attributeDefinitions(definitions).keySchema(keys)
                .billingMode("PAY_PER_REQUEST").build();
    }

    // ---------------------------------------------------------------- the reference

    /** DynamoDB's order of two scalars of one type: UTF-8 bytes, numeric value, unsigned bytes. */
    static int compare(AttributeValue x, AttributeValue y) {
        return switch (x) {
            case AttributeValue.S s -> Arrays.compareUnsigned(utf8(s.value()), utf8(((AttributeValue.S) y).value()));
            case AttributeValue.N n -> new BigDecimal(n.value()).compareTo(new BigDecimal(((AttributeValue.N) y).value()));
            case AttributeValue.B b -> Arrays.compareUnsigned(b.value(), ((AttributeValue.B) y).value());
            default -> throw new IllegalArgumentException("not ordered: " + x);
        };
    }

    private static boolean ordered(AttributeValue v) {
        return v instanceof AttributeValue.S || v instanceof AttributeValue.N || v instanceof AttributeValue.B;
    }

    /** Equal as DynamoDB compares: same type, and numbers by value. */
    static boolean sameValue(AttributeValue x, AttributeValue y) {
        if (x == null || y == null || !x.type().equals(y.type())) return false;
        return ordered(x) ? compare(x, y) == 0 : x.equals(y);
    }

    /** Items of one partition in Query order; on a table without sort key, all equal. */
    private static Comparator<Map<String, AttributeValue>> byRangeKey(boolean forward) {
        Comparator<Map<String, AttributeValue>> c = (i, j) -> i.get(RANGE) == null ? 0 : compare(i.get(RANGE), j.get(RANGE));
        return forward ? c : c.reversed();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean startsWith(AttributeValue value, AttributeValue prefix) {
        return switch (value) {
            case AttributeValue.S s when prefix instanceof AttributeValue.S p -> s.value().startsWith(p.value());
            case AttributeValue.B b when prefix instanceof AttributeValue.B p -> b.value().length >= p.value().length
                    && Arrays.equals(b.value(), 0, p.value().length, p.value(), 0, p.value().length);
            default -> false;
        };
    }

    /** An item as text independent of how its numbers were written: for comparing results. */
    static String canonical(Map<String, AttributeValue> item) {
        return new TreeMap<>(item).entrySet().stream().map(e -> e.getKey() + "=" + canonical(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static List<String> canonical(List<Map<String, AttributeValue>> items) {
        return items.stream().map(QueryScanProperties::canonical).toList();
    }

    static String canonical(AttributeValue v) {
        return switch (v) {
            case AttributeValue.N n -> "N:" + new BigDecimal(n.value()).stripTrailingZeros().toPlainString();
            case AttributeValue.B b -> "B:" + HexFormat.of().formatHex(b.value());
            case AttributeValue.S s -> "S:" + s.value();
            default -> v.type() + ":" + v;
        };
    }

    private static String canonicalKey(Map<String, AttributeValue> item) {
        return canonical(item.get(HASH)) + "|" + (item.get(RANGE) == null ? "" : canonical(item.get(RANGE)));
    }

    // ---------------------------------------------------------------- conditions: text and meaning

    /** A condition both as DynamoDB expression text and as the reference's predicate. */
    sealed interface Cond {
        String render(Expressions x);

        boolean test(Map<String, AttributeValue> item);
    }

    /** {@code path op :v}, or {@code :v op' path} when {@code flipped} (same meaning). */
    record Compare(String attribute, String op, AttributeValue value, boolean flipped) implements Cond {
        public String render(Expressions x) {
            String path = x.name(attribute), v = x.value(value);
            if (!flipped) return path + " " + op + " " + v;
            String mirrored = switch (op) { case "<" -> ">"; case "<=" -> ">="; case ">" -> "<"; case ">=" -> "<="; default -> op; };
            return v + " " + mirrored + " " + path;
        }

        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = item.get(attribute);
            if (op.equals("=")) return sameValue(a, value);
            if (op.equals("<>")) return !sameValue(a, value);
            if (a == null || !a.type().equals(value.type())) return false;
            int c = compare(a, value);
            return switch (op) {
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                default -> throw new IllegalStateException(op);
            };
        }
    }

    record Between(String attribute, AttributeValue low, AttributeValue high) implements Cond {
        public String render(Expressions x) {
            return x.name(attribute) + " BETWEEN " + x.value(low) + " AND " + x.value(high);
        }

        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = item.get(attribute);
            return a != null && a.type().equals(low.type()) && compare(low, a) <= 0 && compare(a, high) <= 0;
        }
    }

    record BeginsWith(String attribute, AttributeValue prefix) implements Cond {
        public String render(Expressions x) {
            return "begins_with(" + x.name(attribute) + ", " + x.value(prefix) + ")";
        }

        public boolean test(Map<String, AttributeValue> item) {
            AttributeValue a = item.get(attribute);
            return a != null && startsWith(a, prefix);
        }
    }

    record Exists(String attribute, boolean exists) implements Cond {
        public String render(Expressions x) {
            return (exists ? "attribute_exists(" : "attribute_not_exists(") + x.name(attribute) + ")";
        }

        public boolean test(Map<String, AttributeValue> item) {
            return item.containsKey(attribute) == exists;
        }
    }

    record In(String attribute, List<AttributeValue> values) implements Cond {
        public String render(Expressions x) {
            return x.name(attribute) + " IN (" + values.stream().map(x::value).collect(Collectors.joining(", ")) + ")";
        }

        public boolean test(Map<String, AttributeValue> item) {
            return values.stream().anyMatch(v -> sameValue(item.get(attribute), v));
        }
    }

    record Not(Cond c) implements Cond {
        public String render(Expressions x) { return "NOT (" + c.render(x) + ")"; }
        public boolean test(Map<String, AttributeValue> item) { return !c.test(item); }
    }

    record And(Cond l, Cond r) implements Cond {
        public String render(Expressions x) { return "(" + l.render(x) + ") AND (" + r.render(x) + ")"; }
        public boolean test(Map<String, AttributeValue> item) { return l.test(item) && r.test(item); }
    }

    record Or(Cond l, Cond r) implements Cond {
        public String render(Expressions x) { return "(" + l.render(x) + ") OR (" + r.render(x) + ")"; }
        public boolean test(Map<String, AttributeValue> item) { return l.test(item) || r.test(item); }
    }

    // ---------------------------------------------------------------- scenarios

    record Schema(String hashType, String rangeType) {}

    /**
     * A Query; {@code start} (nullable) asks to begin after the key of {@code hashValue} and
     * {@code start.range()} (null on a table without sort key), whether or not such an item exists.
     */
    record QuerySpec(AttributeValue hashValue, Cond rangeCondition, Cond filter, Integer limit, boolean forward,
                     boolean countOnly, Start start) {
        Map<String, AttributeValue> exclusiveStartKey(Schema schema) {
            if (start == null) return null;
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            key.put(HASH, hashValue);
            if (schema.rangeType() != null) key.put(RANGE, start.range());
            return key;
        }
    }

    record Start(AttributeValue range) {}

    record ScanSpec(Cond filter, Integer limit, int totalSegments) {}

    record Scenario(Schema schema, List<Map<String, AttributeValue>> items, List<QuerySpec> queries, ScanSpec scan) {}

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<String> keyType = Arbitraries.of("S", "N", "B");
        Arbitrary<Schema> schemas = Combinators.combine(keyType, keyType.injectNull(0.3)).as(Schema::new);
        // Partition keys from a small pool, so that partitions hold several items (many of them when
        // the table has no sort key, where each partition holds one).
        return schemas.flatMap(schema -> values(schema.hashType()).list().ofMinSize(1)
                .ofMaxSize(schema.rangeType() == null ? 30 : 3).flatMap(hashes ->
                item(schema, hashes).list().ofMinSize(0).ofMaxSize(40).withSizeDistribution(RandomDistribution.uniform())
                        .flatMap(items -> {
                            // Conditions take their operands from the items' values as often as not, so
                            // that = and the bounds of <, BETWEEN and begins_with meet stored values.
                            Pool pool = new Pool(items);
                            return Combinators.combine(query(schema, hashes, pool).list().ofMinSize(1).ofMaxSize(4),
                                    scan(schema, pool)).as((q, s) -> new Scenario(schema, items, q, s));
                        })));
    }

    /** The scalars stored in the items, by type: operands for conditions. */
    private record Pool(Map<String, List<AttributeValue>> byType) {
        Pool(List<Map<String, AttributeValue>> items) {
            this(items.stream().flatMap(i -> i.values().stream()).filter(QueryScanProperties::ordered)
                    .collect(Collectors.groupingBy(AttributeValue::type)));
        }

        /** A value of {@code type}: a stored one (perhaps written another way) or a fresh one. */
        Arbitrary<AttributeValue> value(String type) {
            List<AttributeValue> stored = byType.getOrDefault(type, List.of());
            if (stored.isEmpty()) return values(type);
            return Arbitraries.oneOf(values(type), Arbitraries.of(stored).flatMap(QueryScanProperties::rewritten));
        }

        Arbitrary<AttributeValue> value(Arbitrary<String> types) {
            return types.flatMap(this::value);
        }
    }

    private Arbitrary<Map<String, AttributeValue>> item(Schema schema, List<AttributeValue> hashes) {
        Arbitrary<AttributeValue> hash = Arbitraries.of(hashes).flatMap(QueryScanProperties::rewritten);
        Arbitrary<Optional<AttributeValue>> range = schema.rangeType() == null ? Arbitraries.just(Optional.empty())
                : values(schema.rangeType()).map(Optional::of);
        Arbitrary<AttributeValue> a = Arbitraries.oneOf(values("S"), values("N"), values("B"),
                Arbitraries.of(AttributeValue.TRUE, AttributeValue.FALSE, AttributeValue.NULL)).injectNull(0.2);
        Arbitrary<AttributeValue> b = values("N").injectNull(0.3);
        return Combinators.combine(hash, range, a, b).as((h, r, av, bv) -> {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put(HASH, h);
            r.ifPresent(v -> item.put(RANGE, v));
            if (av != null) item.put("a", av);
            if (bv != null) item.put("b", bv);
            return item;
        });
    }

    private Arbitrary<QuerySpec> query(Schema schema, List<AttributeValue> hashes, Pool pool) {
        // Mostly a partition that exists, written perhaps in another textual form; sometimes any value.
        Arbitrary<AttributeValue> hash = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(hashes).flatMap(QueryScanProperties::rewritten)),
                Tuple.of(1, values(schema.hashType())));
        Arbitrary<Optional<Cond>> range = schema.rangeType() == null ? Arbitraries.just(Optional.empty())
                : rangeCondition(schema.rangeType(), pool).map(Optional::of).injectNull(0.2)
                        .map(c -> c == null ? Optional.empty() : c);
        Arbitrary<Cond> filter = filter(List.of("a", "b"), pool, 2).injectNull(0.3);
        Arbitrary<Integer> limit = Arbitraries.integers().between(1, 8).injectNull(0.3);
        Arbitrary<Start> start = (schema.rangeType() == null ? Arbitraries.just(new Start(null))
                : pool.value(schema.rangeType()).map(Start::new)).injectNull(0.75);
        return Combinators.combine(hash, range, filter, limit, Arbitraries.of(true, false),
                Arbitraries.of(false, false, false, true), start)
                .as((h, r, f, l, forward, countOnly, from) -> new QuerySpec(h, r.orElse(null), f, l, forward, countOnly, from));
    }

    private Arbitrary<ScanSpec> scan(Schema schema, Pool pool) {
        List<String> attributes = schema.rangeType() == null ? List.of(HASH, "a", "b") : List.of(HASH, RANGE, "a", "b");
        return Combinators.combine(filter(attributes, pool, 2).injectNull(0.3),
                Arbitraries.integers().between(1, 10).injectNull(0.3),
                Arbitraries.integers().between(1, 4)).as(ScanSpec::new);
    }

    /** A sort key condition of the KeyConditionExpression: =, <, <=, >, >=, BETWEEN, begins_with. */
    private Arbitrary<Cond> rangeCondition(String type, Pool pool) {
        Arbitrary<Cond> compare = Combinators.combine(Arbitraries.of("=", "<", "<=", ">", ">="), pool.value(type),
                Arbitraries.of(false, true)).as((op, v, flipped) -> new Compare(RANGE, op, v, flipped));
        Arbitrary<Cond> between = pool.value(type).list().ofSize(2).map(QueryScanProperties::sorted)
                .map(lh -> new Between(RANGE, lh.get(0), lh.get(1)));
        if (type.equals("N")) return Arbitraries.oneOf(compare, between);
        Arbitrary<Cond> beginsWith = pool.value(type).flatMap(QueryScanProperties::prefixes).map(v -> new BeginsWith(RANGE, v));
        return Arbitraries.oneOf(compare, between, beginsWith);
    }

    /** A FilterExpression over {@code attributes}, nested up to {@code depth} levels of NOT, AND, OR. */
    private Arbitrary<Cond> filter(List<String> attributes, Pool pool, int depth) {
        Arbitrary<String> attribute = Arbitraries.of(attributes);
        Arbitrary<String> orderedType = Arbitraries.of("S", "N", "B");
        Arbitrary<AttributeValue> anyValue = Arbitraries.frequencyOf(
                Tuple.of(4, pool.value(orderedType)),
                Tuple.of(1, Arbitraries.of(AttributeValue.TRUE, AttributeValue.NULL)));
        Arbitrary<Cond> equality = Combinators.combine(attribute, Arbitraries.of("=", "<>"), anyValue,
                Arbitraries.of(false, true)).as(Compare::new);
        Arbitrary<Cond> order = Combinators.combine(attribute, Arbitraries.of("<", "<=", ">", ">="),
                pool.value(orderedType), Arbitraries.of(false, true)).as(Compare::new);
        Arbitrary<Cond> between = Combinators.combine(attribute,
                orderedType.flatMap(t -> pool.value(t).list().ofSize(2)).map(QueryScanProperties::sorted))
                .as((n, lh) -> new Between(n, lh.get(0), lh.get(1)));
        Arbitrary<Cond> beginsWith = Combinators.combine(attribute,
                pool.value(Arbitraries.of("S", "B")).flatMap(QueryScanProperties::prefixes)).as(BeginsWith::new);
        Arbitrary<Cond> exists = Combinators.combine(attribute, Arbitraries.of(true, false)).as(Exists::new);
        Arbitrary<Cond> in = Combinators.combine(attribute, anyValue.list().ofMinSize(1).ofMaxSize(3)).as(In::new);
        Arbitrary<Cond> leaf = Arbitraries.oneOf(equality, order, between, beginsWith, exists, in);
        if (depth == 0) return leaf;
        Arbitrary<Cond> inner = filter(attributes, pool, depth - 1);
        return Arbitraries.frequencyOf(
                Tuple.of(3, leaf),
                Tuple.of(1, inner.map(Not::new)),
                Tuple.of(1, Combinators.combine(inner, inner).as(And::new)),
                Tuple.of(1, Combinators.combine(inner, inner).as(Or::new)));
    }

    /** A non-empty prefix of a string (whole characters) or binary: an operand of begins_with. */
    private static Arbitrary<AttributeValue> prefixes(AttributeValue v) {
        return switch (v) {
            case AttributeValue.S s -> {
                int codePoints = s.value().codePointCount(0, s.value().length());
                yield Arbitraries.integers().between(1, codePoints)
                        .map(n -> AttributeValue.s(s.value().substring(0, s.value().offsetByCodePoints(0, n))));
            }
            case AttributeValue.B b -> Arbitraries.integers().between(1, b.value().length)
                    .map(n -> AttributeValue.b(Arrays.copyOf(b.value(), n)));
            default -> throw new IllegalArgumentException("no prefixes: " + v);
        };
    }

    private static List<AttributeValue> sorted(List<AttributeValue> two) {
        return two.stream().sorted(QueryScanProperties::compare).toList();
    }

    /** Scalars of one type from small domains, so that values repeat and share prefixes. */
    static Arbitrary<AttributeValue> values(String type) {
        return switch (type) {
            case "S" -> Arbitraries.of(STRING_PIECES).list().ofMinSize(1).ofMaxSize(3)
                    .map(pieces -> AttributeValue.s(String.join("", pieces)));
            case "N" -> Combinators.combine(Arbitraries.integers().between(-40, 40), Arbitraries.integers().between(-2, 2),
                    Arbitraries.integers().between(0, 5)).as((unscaled, scale, form) ->
                    AttributeValue.n(write(BigDecimal.valueOf(unscaled, scale), form)));
            case "B" -> Arbitraries.integers().between(0, BYTES.length - 1).list().ofMinSize(1).ofMaxSize(3)
                    .map(indexes -> {
                        byte[] b = new byte[indexes.size()];
                        for (int i = 0; i < b.length; i++) b[i] = BYTES[indexes.get(i)];
                        return AttributeValue.b(b);
                    });
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The same value, a number perhaps written another way. */
    private static Arbitrary<AttributeValue> rewritten(AttributeValue v) {
        if (!(v instanceof AttributeValue.N n)) return Arbitraries.just(v);
        return Arbitraries.integers().between(0, 5).map(form -> AttributeValue.n(write(new BigDecimal(n.value()), form)));
    }

    /**
     * A number in one of the textual forms DynamoDB accepts for the same value: plain, with trailing
     * zeros, with an exponent ("15E-1", "1.5e+1"), with a plus sign or leading zeros ("+1.5",
     * "-001.5"), or as Java prints it. Negative zero is written as "-0" sometimes.
     */
    static String write(BigDecimal v, int form) {
        String plain = v.toPlainString();
        return switch (form) {
            case 0 -> plain;
            case 1 -> plain.contains(".") ? plain + "00" : plain + ".000";
            case 2 -> v.unscaledValue() + "E" + (-v.scale());
            case 3 -> {
                BigDecimal s = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
                int exponent = s.precision() - s.scale() - 1;
                yield s.movePointLeft(exponent).toPlainString() + "e" + (exponent >= 0 ? "+" : "") + exponent;
            }
            case 4 -> v.signum() < 0 ? "-00" + plain.substring(1) : v.signum() == 0 ? "-0" : "+00" + plain;
            default -> v.toString();
        };
    }
}

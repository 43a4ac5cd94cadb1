package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.LocalSecondaryIndex;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.ScanInput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.storage.TreeMapStorage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Model-based test of secondary indexes (issue 6): random puts, updates and deletes through the engine;
 * after each step every index must equal what a model computes from the table's items: each item that
 * has the index's key attributes, projected. Local indexes are compared at once (they are written with
 * their items) and in their Query order; the global ones once the engine says it caught up, each of their
 * partitions in the order of their sort key. One global index has a multi-attribute key (two partition
 * key and two sort key attributes).
 *
 * <p>Few keys and few values, so that items collide, move between index keys, lose and regain them.
 * jqwik prints the seed and the shrunk sequence of a failing run.
 */
class SecondaryIndexModelProperties {
    private static final String TABLE = "items";
    private static final List<String> PARTITIONS = List.of("p0", "p1", "p2");

    /**
     * An index as the model sees it: its partition and sort key attributes (several of each for a
     * multi-attribute key) and the non-key attributes it projects (null: all).
     */
    record IndexModel(String name, List<String> hash, List<String> range, Set<String> projected, boolean local) {
        boolean holds(Map<String, AttributeValue> item) {
            return item.keySet().containsAll(hash) && item.keySet().containsAll(range);
        }

        Map<String, AttributeValue> project(Map<String, AttributeValue> item) {
            if (projected == null) return item;
            Map<String, AttributeValue> entry = new HashMap<>();
            item.forEach((name, value) -> {
                if (name.equals("pk") || name.equals("sk") || hash.contains(name) || range.contains(name)
                        || projected.contains(name)) entry.put(name, value);
            });
            return entry;
        }

        /** DynamoDB's order of the index's sort key: attribute by attribute. */
        Comparator<Map<String, AttributeValue>> sortKeyOrder() {
            Comparator<Map<String, AttributeValue>> order = (x, y) -> 0;
            for (String name : range) order = order.thenComparing(i -> i.get(name), Subject::compare);
            return order;
        }
    }

    static final List<IndexModel> INDEXES = List.of(
            new IndexModel("l-all", List.of("pk"), List.of("a"), null, true),
            new IndexModel("l-keys", List.of("pk"), List.of("b"), Set.of(), true),
            new IndexModel("l-inc", List.of("pk"), List.of("c"), Set.of("x"), true),
            new IndexModel("g-inc", List.of("b"), List.of("a"), Set.of("x"), false),
            // A multi-attribute key: partition key (b, c), sort key (a, y).
            new IndexModel("g-multi", List.of("b", "c"), List.of("a", "y"), Set.of(), false));

    /** The engine under test and the model: the items by partition and sort key. */
    static final class Subject {
        final FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(), EngineConfig.defaults());
        final Map<String, Map<Integer, Map<String, AttributeValue>>> items = new HashMap<>();

        Subject() {
            engine.createTable(CreateTableInput.builder().tableName(TABLE).billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N"),
                            new AttributeDefinition("a", "N"), new AttributeDefinition("b", "S"),
                            new AttributeDefinition("c", "N"), new AttributeDefinition("y", "S")))
                    .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                    .localSecondaryIndexes(List.of(
                            local("l-all", "a", new Projection("ALL", null)),
                            local("l-keys", "b", new Projection("KEYS_ONLY", null)),
                            local("l-inc", "c", new Projection("INCLUDE", List.of("x")))))
                    .globalSecondaryIndexes(List.of(GlobalSecondaryIndex.builder().indexName("g-inc")
                            .keySchema(List.of(new KeySchemaElement("b", "HASH"), new KeySchemaElement("a", "RANGE")))
                            .projection(new Projection("INCLUDE", List.of("x"))).build(),
                            GlobalSecondaryIndex.builder().indexName("g-multi")
                                    .keySchema(List.of(new KeySchemaElement("b", "HASH"), new KeySchemaElement("c", "HASH"),
                                            new KeySchemaElement("a", "RANGE"), new KeySchemaElement("y", "RANGE")))
                                    .projection(new Projection("KEYS_ONLY", null)).build()))
                    .build());
        }

        private static LocalSecondaryIndex local(String name, String range, Projection projection) {
            return LocalSecondaryIndex.builder().indexName(name)
                    .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement(range, "RANGE")))
                    .projection(projection).build();
        }

        Map<String, AttributeValue> item(String pk, int sk) {
            return items.getOrDefault(pk, Map.of()).get(sk);
        }

        void model(String pk, int sk, Map<String, AttributeValue> item) {
            Map<Integer, Map<String, AttributeValue>> partition = items.computeIfAbsent(pk, p -> new HashMap<>());
            if (item == null) partition.remove(sk); else partition.put(sk, item);
        }

        /** Every index equals the model's projection of the items; local ones in their Query order too. */
        void checkIndexes() {
            for (IndexModel index : INDEXES) {
                if (!index.local()) awaitIndexes();
                List<Map<String, AttributeValue>> expected = new ArrayList<>();
                for (Map<Integer, Map<String, AttributeValue>> partition : items.values()) {
                    for (Map<String, AttributeValue> item : partition.values()) {
                        if (index.holds(item)) expected.add(index.project(item));
                    }
                }
                List<Map<String, AttributeValue>> scanned = engine.scan(ScanInput.builder().tableName(TABLE)
                        .indexName(index.name()).consistentRead(index.local() ? Boolean.TRUE : null).build()).items();
                assertThat(scanned).as("index %s", index.name()).containsExactlyInAnyOrderElementsOf(expected);
                if (index.local()) checkQueryOrder(index); else checkGlobalQueries(index, expected);
            }
        }

        /**
         * A Query of each of the global index's partitions returns its entries in the order of the index's
         * sort key (DynamoDB promises no order among entries with equal index keys, so only that is checked).
         */
        private void checkGlobalQueries(IndexModel index, List<Map<String, AttributeValue>> entries) {
            Map<List<AttributeValue>, List<Map<String, AttributeValue>>> partitions = new HashMap<>();
            for (Map<String, AttributeValue> entry : entries) {
                List<AttributeValue> key = index.hash().stream().map(entry::get).toList();
                partitions.computeIfAbsent(key, k -> new ArrayList<>()).add(entry);
            }
            partitions.forEach((key, expected) -> {
                List<String> conditions = new ArrayList<>();
                Map<String, String> names = new HashMap<>();
                Map<String, AttributeValue> values = new HashMap<>();
                for (int i = 0; i < key.size(); i++) {
                    conditions.add("#h" + i + " = :h" + i);
                    names.put("#h" + i, index.hash().get(i));
                    values.put(":h" + i, key.get(i));
                }
                List<Map<String, AttributeValue>> queried = engine.query(QueryInput.builder().tableName(TABLE)
                        .indexName(index.name()).keyConditionExpression(String.join(" AND ", conditions))
                        .expressionAttributeNames(names).expressionAttributeValues(values).build()).items();
                assertThat(queried).as("query of %s in %s", index.name(), key).containsExactlyInAnyOrderElementsOf(expected)
                        .isSortedAccordingTo(index.sortKeyOrder());
            });
        }

        private void checkQueryOrder(IndexModel index) {
            Comparator<Map<String, AttributeValue>> order = index.sortKeyOrder()
                    .thenComparing(i -> i.get("sk"), Subject::compare);
            for (String pk : PARTITIONS) {
                List<Map<String, AttributeValue>> expected = items.getOrDefault(pk, Map.of()).values().stream()
                        .filter(index::holds).map(index::project).sorted(order).toList();
                List<Map<String, AttributeValue>> queried = engine.query(QueryInput.builder().tableName(TABLE)
                        .indexName(index.name()).keyConditionExpression("pk = :p").consistentRead(true)
                        .expressionAttributeValues(Map.of(":p", new AttributeValue.S(pk))).build()).items();
                assertThat(queried).as("query of %s in %s", index.name(), pk).containsExactlyElementsOf(expected);
            }
        }

        /** DynamoDB's order of the model's key values: numbers by value, (ASCII) strings by their bytes. */
        private static int compare(AttributeValue x, AttributeValue y) {
            if (x instanceof AttributeValue.N n) return new BigDecimal(n.value()).compareTo(new BigDecimal(((AttributeValue.N) y).value()));
            return ((AttributeValue.S) x).value().compareTo(((AttributeValue.S) y).value());
        }

        private void awaitIndexes() {
            try {
                assertThat(engine.awaitIndexes(Duration.ofSeconds(30))).isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        void close() {
            engine.close();
        }

        @Override
        public String toString() {
            return "items " + items;
        }
    }

    @Property(tries = 40)
    @Tag("random")
    void everyIndexEqualsTheProjectionOfTheTablesItems(@ForAll("chains") ActionChain<Subject> chain) {
        chain = chain.withInvariant(Subject::checkIndexes);
        try {
            chain.run();
        } finally {
            chain.finalState().ifPresent(Subject::close);
        }
    }

    @Provide
    Arbitrary<ActionChain<Subject>> chains() {
        return ActionChain.startWith(Subject::new)
                .withAction(3, new Put())
                .withAction(2, new PutWithEveryKey())
                .withAction(3, new Update())
                .withAction(1, new Delete())
                .withMaxTransformations(25);
    }

    static Arbitrary<String> partitions() {
        return Arbitraries.of(PARTITIONS);
    }

    static Arbitrary<Integer> sortKeys() {
        return Arbitraries.integers().between(0, 4);
    }

    /** A value for attribute {@code name}: numbers for a and c, strings for the others, from a few each. */
    static Arbitrary<AttributeValue> value(String name) {
        return name.equals("a") || name.equals("c")
                ? Arbitraries.integers().between(0, 3).map(i -> (AttributeValue) new AttributeValue.N(Integer.toString(i)))
                : Arbitraries.of("u", "v", "w").map(s -> (AttributeValue) new AttributeValue.S(s));
    }

    /** Some of the non-key attributes, each with a value. */
    static Arbitrary<Map<String, AttributeValue>> attributes() {
        List<Arbitrary<Map<String, AttributeValue>>> each = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "x", "y")) {
            each.add(value(name).map(v -> Map.of(name, v)).injectNull(0.4));
        }
        return Combinators.combine(each).as(maps -> {
            Map<String, AttributeValue> attributes = new LinkedHashMap<>();
            for (Map<String, AttributeValue> m : maps) if (m != null) attributes.putAll(m);
            return attributes;
        });
    }

    static final class Put implements Action.Independent<Subject> {
        @Override
        public Arbitrary<Transformer<Subject>> transformer() {
            return Combinators.combine(partitions(), sortKeys(), attributes()).as((pk, sk, attributes) -> {
                Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
                item.put("pk", new AttributeValue.S(pk));
                item.put("sk", new AttributeValue.N(Integer.toString(sk)));
                return Transformer.mutate("put " + item, system -> {
                    system.engine.putItem(PutItemInput.builder().tableName(TABLE).item(item).build());
                    system.model(pk, sk, Map.copyOf(item));
                });
            });
        }
    }

    /**
     * Puts an item with every index key attribute (a, b, c, y), so that the partitions of the global
     * indexes hold several entries and their order shows.
     */
    static final class PutWithEveryKey implements Action.Independent<Subject> {
        @Override
        public Arbitrary<Transformer<Subject>> transformer() {
            return Combinators.combine(partitions(), sortKeys(), attributes(), value("a"), value("b"), value("c"), value("y"))
                    .as((pk, sk, attributes, a, b, c, y) -> {
                        Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
                        item.putAll(Map.of("a", a, "b", b, "c", c, "y", y));
                        item.put("pk", new AttributeValue.S(pk));
                        item.put("sk", new AttributeValue.N(Integer.toString(sk)));
                        return Transformer.mutate("put " + item, system -> {
                            system.engine.putItem(PutItemInput.builder().tableName(TABLE).item(item).build());
                            system.model(pk, sk, Map.copyOf(item));
                        });
                    });
        }
    }

    /** Sets some attributes and removes others, as one UpdateExpression (creating the item if absent). */
    static final class Update implements Action.Independent<Subject> {
        @Override
        public Arbitrary<Transformer<Subject>> transformer() {
            Arbitrary<List<String>> removed = Arbitraries.of("a", "b", "c", "x", "y").list().uniqueElements().ofMaxSize(2);
            return Combinators.combine(partitions(), sortKeys(), attributes(), removed).as((pk, sk, set, remove) -> {
                Map<String, AttributeValue> sets = new LinkedHashMap<>(set);
                remove.forEach(sets::remove);
                if (sets.isEmpty() && remove.isEmpty()) sets.put("y", new AttributeValue.S("u"));
                List<String> clauses = new ArrayList<>();
                Map<String, String> names = new HashMap<>();
                Map<String, AttributeValue> values = new HashMap<>();
                List<String> setClauses = new ArrayList<>();
                sets.forEach((name, value) -> {
                    names.put("#" + name, name);
                    values.put(":" + name, value);
                    setClauses.add("#" + name + " = :" + name);
                });
                if (!setClauses.isEmpty()) clauses.add("SET " + String.join(", ", setClauses));
                List<String> removeClauses = new ArrayList<>();
                for (String name : remove) {
                    names.put("#" + name, name);
                    removeClauses.add("#" + name);
                }
                if (!removeClauses.isEmpty()) clauses.add("REMOVE " + String.join(", ", removeClauses));
                String expression = String.join(" ", clauses);
                return Transformer.mutate("update " + pk + "/" + sk + " " + expression + " " + values, system -> {
                    system.engine.updateItem(UpdateItemInput.builder().tableName(TABLE)
                            .key(Map.of("pk", new AttributeValue.S(pk), "sk", new AttributeValue.N(Integer.toString(sk))))
                            .updateExpression(expression).expressionAttributeNames(names)
                            .expressionAttributeValues(values.isEmpty() ? null : values).build());
                    Map<String, AttributeValue> current = system.item(pk, sk);
                    Map<String, AttributeValue> updated = new HashMap<>(current != null ? current
                            : Map.of("pk", new AttributeValue.S(pk), "sk", new AttributeValue.N(Integer.toString(sk))));
                    updated.putAll(sets);
                    remove.forEach(updated::remove);
                    system.model(pk, sk, Map.copyOf(updated));
                });
            });
        }
    }

    static final class Delete implements Action.Independent<Subject> {
        @Override
        public Arbitrary<Transformer<Subject>> transformer() {
            return Combinators.combine(partitions(), sortKeys()).as((pk, sk) -> Transformer.mutate("delete " + pk + "/" + sk,
                    system -> {
                        system.engine.deleteItem(DeleteItemInput.builder().tableName(TABLE).key(Map.of(
                                "pk", new AttributeValue.S(pk), "sk", new AttributeValue.N(Integer.toString(sk)))).build());
                        system.model(pk, sk, null);
                    }));
        }
    }
}

package dev.flywheel.bench;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link FlywheelEngine#query} of a whole 100-item partition, on in-memory RocksDB: the engine's
 * part of a Query (expressions from the cache, key condition to a key range, one storage read, each
 * item decoded and sized for its capacity units), without the JSON codec or HTTP. The table (hash
 * key {@code pk} S, range key {@code sk} N) has 100 partitions of 100 items of ~300 bytes; each
 * Query reads one partition chosen from a Zipf distribution.
 *
 * <p>{@code request}: {@code all} returns the 100 items; {@code filter} adds
 * {@code FilterExpression f2 < :half}, which every item is evaluated against and half pass;
 * {@code projection} adds {@code ProjectionExpression sk, f2}, so each item is cut down to two
 * attributes.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar QueryBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class QueryBenchmark {
    private static final int PARTITIONS = 100;
    private static final int ITEMS_PER_PARTITION = 100;

    @Param({"all", "filter", "projection"})
    String request;

    private RocksDbStorage storage;
    private FlywheelEngine engine;
    private QueryInput[] queries;
    private ZipfKeys partitions;

    @Setup
    public void setUp() {
        storage = RocksDbStorage.open(new RocksDbConfig(null, true, false));
        engine = new FlywheelEngine(storage, EngineConfig.defaults());
        engine.createTable(CreateTableInput.builder()
                .tableName("bench")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                .billingMode("PAY_PER_REQUEST")
                .build());
        queries = new QueryInput[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            String pk = "user#" + p;
            for (int i = 0; i < ITEMS_PER_PARTITION; i++) {
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                item.put("pk", AttributeValue.s(pk));
                item.put("sk", AttributeValue.n(i));
                item.put("f0", AttributeValue.s("x".repeat(100)));
                item.put("f1", AttributeValue.s("y".repeat(100)));
                item.put("f2", AttributeValue.n(i));
                engine.putItem(PutItemInput.builder().tableName("bench").item(item).build());
            }
            Map<String, AttributeValue> values = new LinkedHashMap<>();
            values.put(":pk", AttributeValue.s(pk));
            QueryInput.Builder query = QueryInput.builder().tableName("bench").keyConditionExpression("pk = :pk");
            switch (request) {
                case "all" -> {}
                case "filter" -> {
                    query.filterExpression("f2 < :half");
                    values.put(":half", AttributeValue.n(ITEMS_PER_PARTITION / 2));
                }
                case "projection" -> query.projectionExpression("sk, f2");
                default -> throw new IllegalArgumentException(request);
            }
            queries[p] = query.expressionAttributeValues(values).build();
        }
        partitions = new ZipfKeys(PARTITIONS, 42);
        int expected = request.equals("filter") ? ITEMS_PER_PARTITION / 2 : ITEMS_PER_PARTITION;
        if (query().count() != expected) throw new IllegalStateException("a Query should return " + expected + " items");
    }

    @TearDown
    public void tearDown() {
        storage.close();
    }

    @Benchmark
    public QueryOutput query() {
        return engine.query(queries[partitions.next()]);
    }
}

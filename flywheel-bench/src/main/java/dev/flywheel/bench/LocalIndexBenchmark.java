package dev.flywheel.bench;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.LocalSecondaryIndex;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutItemOutput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.util.ArrayList;
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
 * What local secondary indexes cost through {@link FlywheelEngine} (typed requests, in-memory RocksDB,
 * no encryption): a table (pk S, sk N) of {@code rows} items of ~300 bytes in 1,000 partitions, with
 * {@code localIndexes} indexes (0 to 3: on a, b and c, projecting ALL, KEYS_ONLY and INCLUDE f0).
 *
 * <ul>
 *   <li>{@code putItem}: replaces an item with one whose index keys all changed, so every index
 *       deletes an entry and puts another (the most an index costs a write);
 *   <li>{@code queryIndex}: Query of one partition's 10 entries in the first index (the table itself
 *       when there is none), eventually consistent.
 * </ul>
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar LocalIndexBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LocalIndexBenchmark {
    private static final int PARTITIONS = 1000;

    @Param({"0", "1", "3"})
    int localIndexes;

    @Param("10000")
    int rows;

    private RocksDbStorage store;
    private FlywheelEngine engine;
    private PutItemInput[][] puts;
    private QueryInput[] queries;
    private ZipfKeys keys;
    /** The version each item holds now: a put writes the other one. */
    private int[] versions;

    @Setup
    public void setUp() {
        store = RocksDbStorage.open(new RocksDbConfig(null, true, false));
        engine = new FlywheelEngine(store, EngineConfig.defaults());
        List<LocalSecondaryIndex> indexes = new ArrayList<>();
        String[] sortKeys = {"a", "b", "c"};
        Projection[] projections = {new Projection("ALL", null), new Projection("KEYS_ONLY", null),
                new Projection("INCLUDE", List.of("f0"))};
        for (int i = 0; i < localIndexes; i++) {
            indexes.add(LocalSecondaryIndex.builder().indexName("by-" + sortKeys[i])
                    .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement(sortKeys[i], "RANGE")))
                    .projection(projections[i]).build());
        }
        List<AttributeDefinition> definitions = new ArrayList<>(List.of(new AttributeDefinition("pk", "S"),
                new AttributeDefinition("sk", "N")));
        for (int i = 0; i < localIndexes; i++) definitions.add(new AttributeDefinition(sortKeys[i], "N"));
        engine.createTable(CreateTableInput.builder().tableName("bench").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(definitions)
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                .localSecondaryIndexes(indexes.isEmpty() ? null : indexes)
                .build());
        AttributeValue f0 = AttributeValue.s("x".repeat(100)), f1 = AttributeValue.s("y".repeat(100));
        puts = new PutItemInput[2][rows];
        for (int version = 0; version < 2; version++) {
            for (int i = 0; i < rows; i++) {
                Map<String, AttributeValue> item = new LinkedHashMap<>();
                item.put("pk", AttributeValue.s("user#" + (i % PARTITIONS)));
                item.put("sk", AttributeValue.n(i / PARTITIONS));
                item.put("f0", f0);
                item.put("f1", f1);
                for (String k : sortKeys) item.put(k, AttributeValue.n(i * 2L + version));
                puts[version][i] = PutItemInput.builder().tableName("bench").item(item).build();
            }
        }
        for (PutItemInput put : puts[0]) engine.putItem(put);
        queries = new QueryInput[PARTITIONS];
        for (int p = 0; p < PARTITIONS; p++) {
            queries[p] = QueryInput.builder().tableName("bench").indexName(localIndexes == 0 ? null : "by-a")
                    .keyConditionExpression("pk = :p").expressionAttributeValues(Map.of(":p", AttributeValue.s("user#" + p)))
                    .build();
        }
        keys = new ZipfKeys(rows, 42);
        versions = new int[rows];
    }

    @TearDown
    public void tearDown() {
        engine.close();
        store.close();
    }

    @Benchmark
    public PutItemOutput putItem() {
        int key = keys.next();
        return engine.putItem(puts[versions[key] ^= 1][key]);
    }

    @Benchmark
    public QueryOutput queryIndex() {
        return engine.query(queries[keys.next() % PARTITIONS]);
    }
}

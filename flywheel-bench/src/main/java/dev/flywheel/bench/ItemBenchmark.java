package dev.flywheel.bench;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GetItemOutput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutItemOutput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.model.shapes.UpdateItemOutput;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * GetItem, PutItem and UpdateItem through {@link FlywheelEngine}, typed requests in and out (no JSON,
 * no HTTP): the engine's share of a request, storage included. The table (hash key {@code pk} S)
 * holds {@code rows} items of ~300 bytes, the {@code capacity.sh} item; keys are Zipf-distributed;
 * {@code encrypted} compares the engine with and without encryption at rest.
 *
 * <ul>
 *   <li>{@code getItem}: an eventually consistent GetItem of a present item.
 *   <li>{@code putItem}: replaces an item, unconditionally.
 *   <li>{@code updateItem}: {@code SET f2 = f2 + :one} if {@code attribute_exists(pk)}: parse from the
 *       cache, resolve, read, evaluate, write (compare-and-set).
 * </ul>
 * Compare with {@link StorageBenchmark} for what the engine adds to storage, and with
 * {@link JsonCodecBenchmark} for what the codec adds on top.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar ItemBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ItemBenchmark {
    @Param({"memory", "disk"})
    String storage;

    @Param("100000")
    int rows;

    /** Whether the engine writes through encryption at rest, as the server always does: its cost. */
    @Param({"true", "false"})
    boolean encrypted;

    private Path dataDir;
    private RocksDbStorage store;
    private FlywheelEngine engine;
    private GetItemInput[] gets;
    private PutItemInput[] puts;
    private UpdateItemInput[] updates;
    private ZipfKeys keys;

    @Setup
    public void setUp() throws IOException {
        boolean inMemory = storage.equals("memory");
        dataDir = inMemory ? null : Files.createTempDirectory("flywheel-bench-items");
        store = RocksDbStorage.open(new RocksDbConfig(dataDir, inMemory, false));
        engine = encrypted
                ? new FlywheelEngine(Encryption.open(store, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000"),
                        EngineConfig.defaults())
                : new FlywheelEngine(store, EngineConfig.defaults());
        engine.createTable(CreateTableInput.builder()
                .tableName("bench")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .billingMode("PAY_PER_REQUEST")
                .build());
        gets = new GetItemInput[rows];
        puts = new PutItemInput[rows];
        updates = new UpdateItemInput[rows];
        AttributeValue f0 = AttributeValue.s("x".repeat(100)), f1 = AttributeValue.s("y".repeat(100));
        for (int i = 0; i < rows; i++) {
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.s("user#" + i));
            Map<String, AttributeValue> item = new LinkedHashMap<>(key);
            item.put("f0", f0);
            item.put("f1", f1);
            item.put("f2", AttributeValue.n(i));
            puts[i] = PutItemInput.builder().tableName("bench").item(item).build();
            gets[i] = GetItemInput.builder().tableName("bench").key(key).build();
            updates[i] = UpdateItemInput.builder().tableName("bench").key(key)
                    .updateExpression("SET f2 = f2 + :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":one", AttributeValue.n(1)))
                    .build();
            engine.putItem(puts[i]);
        }
        keys = new ZipfKeys(rows, 42);
    }

    @TearDown
    public void tearDown() throws IOException {
        store.close();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Benchmark
    public GetItemOutput getItem() {
        return engine.getItem(gets[keys.next()]);
    }

    @Benchmark
    public PutItemOutput putItem() {
        return engine.putItem(puts[keys.next()]);
    }

    @Benchmark
    public UpdateItemOutput updateItem() {
        return engine.updateItem(updates[keys.next()]);
    }
}

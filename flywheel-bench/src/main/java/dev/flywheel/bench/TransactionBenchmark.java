package dev.flywheel.bench;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.Get;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.TransactGetItem;
import dev.flywheel.model.shapes.TransactGetItemsInput;
import dev.flywheel.model.shapes.TransactGetItemsOutput;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import dev.flywheel.model.shapes.TransactWriteItemsOutput;
import dev.flywheel.model.shapes.Update;
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
 * TransactWriteItems and TransactGetItems of {@code items} distinct items through {@link FlywheelEngine}
 * (typed requests, encrypted in-memory RocksDB, one thread, so no conflicts): what the transaction
 * protocol costs per item next to {@link ItemBenchmark}'s single-item writes. A write transaction of
 * n items costs three writes of its record (with a token, one more: the token's completed row) and
 * 2n conditional partition writes (lock, write).
 * Each transaction updates {@code SET f2 = f2 + :one} on n consecutive keys of 10,000 items, at a
 * rotating offset; a read transaction gets the same items.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar TransactionBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TransactionBenchmark {
    private static final int ROWS = 10_000;

    @Param({"2", "10", "100"})
    int items;

    private RocksDbStorage store;
    private FlywheelEngine engine;
    private TransactWriteItemsInput[] writes;
    private TransactGetItemsInput[] reads;
    private int next;
    private long tokens;

    @Setup
    public void setUp() {
        store = RocksDbStorage.open(new RocksDbConfig(null, true, false));
        engine = new FlywheelEngine(Encryption.open(store, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000"),
                EngineConfig.defaults());
        engine.createTable(CreateTableInput.builder().tableName("bench").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"))).build());
        AttributeValue f0 = AttributeValue.s("x".repeat(100)), f1 = AttributeValue.s("y".repeat(100));
        for (int i = 0; i < ROWS; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>(key(i));
            item.put("f0", f0);
            item.put("f1", f1);
            item.put("f2", AttributeValue.n(i));
            engine.putItem(PutItemInput.builder().tableName("bench").item(item).build());
        }
        int count = ROWS / items;
        writes = new TransactWriteItemsInput[count];
        reads = new TransactGetItemsInput[count];
        for (int t = 0; t < count; t++) {
            List<TransactWriteItem> updates = new ArrayList<>(items);
            List<TransactGetItem> gets = new ArrayList<>(items);
            for (int i = t * items; i < (t + 1) * items; i++) {
                updates.add(TransactWriteItem.builder().update(Update.builder().tableName("bench").key(key(i))
                        .updateExpression("SET f2 = f2 + :one").expressionAttributeValues(Map.of(":one", AttributeValue.n(1)))
                        .build()).build());
                gets.add(new TransactGetItem(Get.builder().tableName("bench").key(key(i)).build()));
            }
            writes[t] = TransactWriteItemsInput.builder().transactItems(updates).build();
            reads[t] = TransactGetItemsInput.builder().transactItems(gets).build();
        }
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("pk", AttributeValue.s("user#" + i));
    }

    @TearDown
    public void tearDown() {
        engine.close();
        store.close();
    }

    @Benchmark
    public TransactWriteItemsOutput transactWriteItems() {
        next = (next + 1) % writes.length;
        return engine.transactWriteItems(writes[next]);
    }

    /**
     * As {@link #transactWriteItems}, with a fresh ClientRequestToken each time, as the AWS SDKs send:
     * the token's claim, its digest and its completed row cost extra.
     */
    @Benchmark
    public TransactWriteItemsOutput transactWriteItemsWithToken() {
        next = (next + 1) % writes.length;
        return engine.transactWriteItems(writes[next].toBuilder().clientRequestToken("token-" + tokens++).build());
    }

    @Benchmark
    public TransactGetItemsOutput transactGetItems() {
        next = (next + 1) % reads.length;
        return engine.transactGetItems(reads[next]);
    }
}

package dev.flywheel.bench;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

/**
 * CPU time per engine PutItem (thread CPU time, not wall time, so that an A/B of two builds survives a
 * shared machine), over encrypted RocksDB as the server runs it: 100,000 items of ~300 bytes, 200,000
 * puts per round, the last four rounds printed in µs. Used for the lock check's cost (issue 7).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp flywheel-bench/target/benchmarks.jar dev.flywheel.bench.PutItemCpuTime [memory|disk]
 * </pre>
 */
public final class PutItemCpuTime {
    public static void main(String[] a) throws Exception {
        boolean disk = a.length > 0 && a[0].equals("disk");
        Path dir = disk ? Files.createTempDirectory("putitem-cpu") : null;
        RocksDbStorage s = RocksDbStorage.open(new RocksDbConfig(dir, !disk, false));
        FlywheelEngine e = new FlywheelEngine(Encryption.open(s, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000"), EngineConfig.defaults());
        e.createTable(CreateTableInput.builder().tableName("bench").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"))).keySchema(List.of(new KeySchemaElement("pk", "HASH"))).build());
        int rows = 100_000;
        PutItemInput[] puts = new PutItemInput[rows];
        AttributeValue f0 = AttributeValue.s("x".repeat(100)), f1 = AttributeValue.s("y".repeat(100));
        for (int i = 0; i < rows; i++) {
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", AttributeValue.s("user#" + i)); item.put("f0", f0); item.put("f1", f1); item.put("f2", AttributeValue.n(i));
            puts[i] = PutItemInput.builder().tableName("bench").item(item).build();
            e.putItem(puts[i]);
        }
        var bean = ManagementFactory.getThreadMXBean();
        Random r = new Random(1);
        for (int round = 0; round < 6; round++) {
            long cpu0 = bean.getCurrentThreadCpuTime();
            int n = 200_000;
            for (int i = 0; i < n; i++) e.putItem(puts[r.nextInt(rows)]);
            long cpu = bean.getCurrentThreadCpuTime() - cpu0;
            if (round >= 2) System.out.printf("%.2f%n", cpu / 1e3 / n);
        }
        e.close();
        s.close();
        if (dir != null) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}

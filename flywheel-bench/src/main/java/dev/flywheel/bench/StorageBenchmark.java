package dev.flywheel.bench;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link RocksDbStorage} through the storage SPI, one thread: point reads and single-row writes of
 * ~300-byte items (the {@code capacity.sh} item in {@link ItemCodec} form) over {@code rows} rows of
 * a table without sort key, the keys drawn from a Zipf distribution ({@link ZipfKeys}).
 *
 * <ul>
 *   <li>{@code get}: one {@link Storage#get}, what GetItem costs in storage.
 *   <li>{@code put}: one unconditional write ({@link Expected#ANY}).
 *   <li>{@code readThenWrite}: what every engine write does ({@code ItemStore.write}): get the row, then
 *       write it if it still holds those bytes ({@link Expected#value}), which storage checks with a
 *       second get under the partition lock.
 * </ul>
 * {@code storage}: {@code memory} is RocksDB on its in-memory Env without a write-ahead log
 * ({@code --in-memory}); {@code disk} the default, write-ahead log in the page cache (survives
 * {@code kill -9}); {@code disk-sync} fsyncs the log before each acknowledgement ({@code --sync-writes};
 * one thread, so no group commit helps).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar StorageBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StorageBenchmark {
    private static final long TABLE = 1;
    private static final byte[] NO_SORT_KEY = new byte[0];

    @Param({"memory", "disk", "disk-sync"})
    String storage;

    @Param("100000")
    int rows;

    private Path dataDir;
    private Storage store;
    private byte[][] partitionKeys;
    private byte[] value;
    private ZipfKeys keys;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        partitionKeys = new byte[rows][];
        for (int i = 0; i < rows; i++) partitionKeys[i] = ("user#" + i).getBytes(StandardCharsets.UTF_8);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.s("user#0"));
        item.put("f0", AttributeValue.s("x".repeat(100)));
        item.put("f1", AttributeValue.s("y".repeat(100)));
        item.put("f2", AttributeValue.n("12345"));
        value = ItemCodec.encode(item);
        keys = new ZipfKeys(rows, 42);

        boolean inMemory = storage.equals("memory");
        dataDir = inMemory ? null : Files.createTempDirectory("flywheel-bench-storage");
        // Loaded without fsync (100k fsyncs would take minutes), then reopened as measured: RocksDB
        // flushes the recovered log on open, so reads come from SST files and the block cache, as
        // they do once a server has run a while, rather than all from the memtable.
        store = RocksDbStorage.open(new RocksDbConfig(dataDir, inMemory, false));
        for (byte[] pk : partitionKeys) store.write(PartitionWrite.of(TABLE, pk, RowWrite.put(NO_SORT_KEY, value, Expected.ANY)));
        if (!inMemory) {
            store.close();
            store = RocksDbStorage.open(new RocksDbConfig(dataDir, false, storage.equals("disk-sync")));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        if (dataDir != null) {
            try (Stream<Path> files = Files.walk(dataDir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    @Benchmark
    public byte[] get() {
        return store.get(TABLE, partitionKeys[keys.next()], NO_SORT_KEY);
    }

    @Benchmark
    public WriteOutcome put() {
        return store.write(PartitionWrite.of(TABLE, partitionKeys[keys.next()], RowWrite.put(NO_SORT_KEY, value, Expected.ANY)));
    }

    @Benchmark
    public WriteOutcome readThenWrite() {
        byte[] pk = partitionKeys[keys.next()];
        byte[] current = store.get(TABLE, pk, NO_SORT_KEY);
        return store.write(PartitionWrite.of(TABLE, pk, RowWrite.put(NO_SORT_KEY, value, Expected.value(current))));
    }
}

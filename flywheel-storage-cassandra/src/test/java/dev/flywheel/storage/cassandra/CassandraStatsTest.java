package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.TableStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Beyond {@link CassandraStorage#STATS_SAMPLE_PARTITIONS} partitions, stats reads a sample and
 * extrapolates (the contract suite covers small tables, where it is exact).
 */
@Tag("cassandra")
class CassandraStatsTest {
    @Test
    void aLargeTableIsEstimatedFromTheFirstPartitionsInHashOrder() throws Exception {
        int partitions = 3 * CassandraStorage.STATS_SAMPLE_PARTITIONS;
        try (TestCassandra cassandra = TestCassandra.connect("stats"); CassandraStorage storage = cassandra.storage()) {
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<CompletableFuture<?>> writes = new ArrayList<>();
                for (int p = 0; p < partitions; p++) {
                    byte[] pk = ("partition-" + p).getBytes(UTF_8);
                    writes.add(CompletableFuture.runAsync(() -> storage.write(PartitionWrite.of(7, pk,
                            RowWrite.put("sk".getBytes(UTF_8), "0123456789".getBytes(UTF_8), Expected.ANY))), pool));
                }
                for (CompletableFuture<?> write : writes) write.join();
            } finally {
                pool.shutdown();
            }
            TableStats stats = storage.stats(7);
            // Hashes are uniform: a sample of 1000 of 3000 partitions is within a few percent; 15% is generous.
            assertThat(stats.rowCount()).isBetween((long) (partitions * 0.85), (long) (partitions * 1.15));
            long rowBytes = "partition-1000".length() + 2 + 10;
            assertThat(stats.bytes()).isBetween((long) (partitions * rowBytes * 0.8), (long) (partitions * rowBytes * 1.2));
        }
    }
}

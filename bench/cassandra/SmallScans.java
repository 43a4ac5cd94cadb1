import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.cassandra.CassandraStorage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The latency of one full Scan (1 MB page, as the engine reads one) of a table of 0, 10, 100 and 1000
 * one-row partitions of 100 bytes, and of a Scan with Limit 10 of the largest: what a walk of the scan
 * index costs where there is little to read. Median and 90th percentile of ROUNDS scans each.
 *
 * <pre>
 * java -cp flywheel-cli/target/flywheel.jar bench/cassandra/SmallScans.java 127.0.0.1:9042 KEYSPACE ROUNDS
 * </pre>
 * The keyspace is created (replication factor 1); use a fresh one per run, and drop it after.
 */
public class SmallScans {
    public static void main(String[] args) {
        String[] hostPort = args[0].split(":");
        int rounds = Integer.parseInt(args[2]);
        try (Storage storage = CassandraStorage.open(List.of(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))),
                "datacenter1", args[1], 1)) {
            byte[] value = new byte[100];
            int[] sizes = {0, 10, 100, 1000};
            for (int t = 0; t < sizes.length; t++) {
                long table = 100 + t;
                for (int p = 0; p < sizes[t]; p++) {
                    storage.write(PartitionWrite.of(table, ("pk" + p).getBytes(StandardCharsets.UTF_8),
                            RowWrite.put(new byte[0], value, Expected.ANY)));
                }
            }
            for (int t = 0; t < sizes.length; t++) {
                long table = 100 + t;
                int expected = sizes[t];
                report("partitions=" + sizes[t], rounds, () -> {
                    int rows = storage.scan(table, 0, 1, null, new ReadLimits(Integer.MAX_VALUE, 1024 * 1024, null)).rows().size();
                    if (rows != expected) throw new IllegalStateException(rows + " rows, not " + expected);
                });
            }
            report("partitions=1000 limit=10", rounds, () -> storage.scan(103, 0, 1, null, ReadLimits.rows(10)));
        }
    }

    private static void report(String what, int rounds, Runnable scan) {
        for (int i = 0; i < Math.max(5, rounds / 5); i++) scan.run(); // warm-up
        long[] micros = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long start = System.nanoTime();
            scan.run();
            micros[i] = (System.nanoTime() - start) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("small-scan: %s p50_ms=%.2f p90_ms=%.2f%n", what, micros[rounds / 2] / 1e3, micros[rounds * 9 / 10] / 1e3);
    }
}

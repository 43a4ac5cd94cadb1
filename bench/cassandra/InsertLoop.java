import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import dev.flywheel.storage.cassandra.CassandraStorage;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New partitions of one table written through the storage SPI by a few threads, as PutItem writes new
 * items: each write lists its partition in the scan index, then writes the item, conditionally
 * ({@code absent}: the item must be absent, one LWT batch, as the engine writes) or not ({@code any}: a
 * plain batch, so the index write is a larger share of the cost). Then one full Scan, 1 MB pages, of what
 * was written. Prints one line. With {@code SECONDS} 0 it writes nothing and times {@code SCANS} full
 * Scans of the keyspace's table (one written before, perhaps by another version), one line each.
 *
 * <pre>
 * java -cp flywheel-cli/target/flywheel.jar bench/cassandra/InsertLoop.java 127.0.0.1:9042 KEYSPACE THREADS WARMUP_S SECONDS [absent|any] [SCANS]
 * </pre>
 * The keyspace is created (replication factor 1) if missing; use a fresh one per run, and drop it after.
 */
public class InsertLoop {
    public static void main(String[] args) throws Exception {
        String[] hostPort = args[0].split(":");
        String keyspace = args[1];
        int threads = Integer.parseInt(args[2]);
        long warmupNanos = Long.parseLong(args[3]) * 1_000_000_000L;
        long measureNanos = Long.parseLong(args[4]) * 1_000_000_000L;
        Expected expected = args.length > 5 && args[5].equals("any") ? Expected.ANY : Expected.ABSENT;
        long table = 1;
        byte[] value = new byte[1000];
        Arrays.fill(value, (byte) 'v');
        try (Storage storage = CassandraStorage.open(List.of(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]))),
                "datacenter1", keyspace, 1)) {
            if (measureNanos == 0) {
                int scans = args.length > 6 ? Integer.parseInt(args[6]) : 1;
                for (int i = 0; i < scans; i++) {
                    long scanStart = System.nanoTime();
                    long rows = scanAll(storage, table);
                    System.out.printf("scan: keyspace=%s rows=%d scan_ms=%d%n", keyspace, rows,
                            (System.nanoTime() - scanStart) / 1_000_000);
                }
                return;
            }
            AtomicLong next = new AtomicLong();
            long start = System.nanoTime();
            long measureFrom = start + warmupNanos, measureUntil = measureFrom + measureNanos;
            long[][] latencies = new long[threads][];
            int[] counts = new int[threads];
            Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                int me = t;
                latencies[me] = new long[1 << 20];
                workers[t] = new Thread(() -> {
                    while (true) {
                        long begin = System.nanoTime();
                        if (begin >= measureUntil) return;
                        byte[] pk = ("user" + next.getAndIncrement()).getBytes(StandardCharsets.UTF_8);
                        WriteOutcome outcome = storage.write(PartitionWrite.of(table, pk,
                                RowWrite.put(new byte[0], value, expected)));
                        if (outcome != WriteOutcome.APPLIED) throw new IllegalStateException("not applied: " + outcome);
                        long done = System.nanoTime();
                        if (begin >= measureFrom && counts[me] < latencies[me].length) latencies[me][counts[me]++] = done - begin;
                    }
                });
                workers[t].start();
            }
            for (Thread w : workers) w.join();
            int total = 0;
            for (int c : counts) total += c;
            long[] all = new long[total];
            int at = 0;
            for (int t = 0; t < threads; t++) {
                System.arraycopy(latencies[t], 0, all, at, counts[t]);
                at += counts[t];
            }
            Arrays.sort(all);
            long scanStart = System.nanoTime();
            long rows = scanAll(storage, table);
            long scanMillis = (System.nanoTime() - scanStart) / 1_000_000;
            System.out.printf("insert-loop: keyspace=%s expected=%s threads=%d writes_per_s=%.0f p50_ms=%.2f p99_ms=%.2f written=%d"
                            + " scan_rows=%d scan_ms=%d%n",
                    keyspace, expected == Expected.ANY ? "any" : "absent", threads, total / (measureNanos / 1e9), all[total / 2] / 1e6, all[(int) (total * 0.99)] / 1e6,
                    next.get(), rows, scanMillis);
        }
    }

    /** A full Scan in 1 MB pages, as the engine reads one; the rows read. */
    private static long scanAll(Storage storage, long table) {
        long rows = 0;
        dev.flywheel.storage.RowKey after = null;
        while (true) {
            var page = storage.scan(table, 0, 1, after, new ReadLimits(Integer.MAX_VALUE, 1024 * 1024, null));
            rows += page.rows().size();
            if (!page.mayHaveMore()) return rows;
            after = page.rows().getLast().key();
        }
    }
}

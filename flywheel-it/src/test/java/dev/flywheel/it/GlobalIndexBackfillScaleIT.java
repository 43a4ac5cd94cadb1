package dev.flywheel.it;

import static dev.flywheel.it.GlobalSecondaryIndexIT.createIndex;
import static dev.flywheel.it.GlobalSecondaryIndexIT.definition;
import static dev.flywheel.it.GlobalSecondaryIndexIT.n;
import static dev.flywheel.it.GlobalSecondaryIndexIT.order;
import static dev.flywheel.it.GlobalSecondaryIndexIT.s;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Online GSI creation at the scale issue 6 asks for: a 100,000-item table (10,000 on Cassandra, see
 * {@link #ITEMS}) gets an index while writers keep changing its items (moving them in and out of the
 * index, deleting and re-creating them); once the index is ACTIVE and the writers stop, it holds
 * exactly the entries the table's items call for. And a server
 * killed with kill -9 in the middle of a backfill finishes it after a restart, exactly. The backfill's
 * time and the writers' rate are printed (BENCHMARKS.md quotes them).
 */
@Tag("slow")
class GlobalIndexBackfillScaleIT {
    /**
     * The table's size: 100,000 items on the embedded storage, as issue 6 asks. On Cassandra a backfill
     * indexes ~150-500 items a second (each entry a write there, while the writers compete for the same
     * node), so 100,000 would take many minutes: 10,000 there (about a minute) make the same test, the
     * writers racing a backfill that takes seconds, not milliseconds.
     */
    private static final int ITEMS = InProcessServer.ON_CASSANDRA ? 10_000 : 100_000;
    private static final int PARTITIONS = ITEMS / 50; // 50 items each: pk p0, p1, ..., sk 0..49
    /**
     * The table of the kill -9 test: large enough that the backfill is still running when the server is
     * killed, after the racing changes (checked). On RocksDB a partition's items are indexed in one write,
     * some 30,000 items a second: at 20,000 items the kill came after the end of the backfill in two runs
     * of three, at 60,000 halfway through it, so 100,000. Cassandra indexes a few hundred items a second.
     */
    private static final int KILLED_TABLE_ITEMS = InProcessServer.ON_CASSANDRA ? 10_000 : 100_000;

    @Test
    void aHundredThousandItemTableGetsAnExactIndexUnderAWriteLoad() throws Exception {
        try (InProcessServer server = new InProcessServer(); DynamoDbClient ddb = Clients.sync(server.endpoint())) {
            String name = TablesIT.uniqueName("gsi-scale");
            ddb.createTable(TablesIT.hashAndRange(name).build());
            long loadStart = System.nanoTime();
            load(ddb, name, ITEMS, 4);
            System.out.printf("GlobalIndexBackfillScaleIT: loaded %,d items in %d ms%n", ITEMS,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loadStart));

            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong writes = new AtomicLong();
            ExecutorService writers = Executors.newFixedThreadPool(3);
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                long seed = w;
                running.add(writers.submit(() -> {
                    Random random = new Random(seed);
                    while (!stop.get()) {
                        change(ddb, name, random);
                        writes.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(500); // the load is on before the index is asked for
            long start = System.nanoTime();
            long writesAtStart = writes.get();
            ddb.updateTable(b -> b.tableName(name)
                    .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                    .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total",
                            p -> p.projectionType(ProjectionType.INCLUDE).nonKeyAttributes("status"))));
            GlobalSecondaryIndexDescription index;
            long lastReport = 0;
            do {
                Thread.sleep(200);
                index = ddb.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().getFirst();
                long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                if (elapsed - lastReport >= 2_000) {
                    lastReport = elapsed;
                    System.out.printf("GlobalIndexBackfillScaleIT: %d ms: %s, backfilling %s, %d entries%n",
                            elapsed, index.indexStatus(), index.backfilling(), index.itemCount());
                }
                assertThat(elapsed).as("the backfill is still running after 10 minutes").isLessThan(600_000);
            } while (index.indexStatus() != IndexStatus.ACTIVE);
            long backfillMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long writesDuring = writes.get() - writesAtStart;
            Thread.sleep(500); // writes after ACTIVE are maintained too
            stop.set(true);
            for (Future<?> f : running) f.get();
            writers.shutdown();
            System.out.printf("GlobalIndexBackfillScaleIT: index ACTIVE %d ms after UpdateTable on %,d items, with %,d"
                    + " writes during it (%.0f writes/s)%n", backfillMillis, ITEMS, writesDuring,
                    writesDuring * 1000.0 / Math.max(1, backfillMillis));

            server.awaitIndexes();
            List<String> expected = GlobalSecondaryIndexIT.expectedByCustomer(ddb, name);
            assertThat(expected).hasSizeGreaterThan(ITEMS / 2);
            assertThat(GlobalSecondaryIndexIT.byCustomerEntries(ddb, name)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void aBackfillKilledWithKillMinus9FinishesExactlyAfterTheRestart(@TempDir Path dataDir) throws Exception {
        String name = "orders";
        try (ServerProcess first = ServerProcess.jar(dataDir); DynamoDbClient client = Clients.sync(first.endpoint())) {
            client.createTable(TablesIT.hashAndRange(name).build());
            load(client, name, KILLED_TABLE_ITEMS, 2);
            client.updateTable(b -> b.tableName(name)
                    .attributeDefinitions(definition("customer", ScalarAttributeType.S), definition("total", ScalarAttributeType.N))
                    .globalSecondaryIndexUpdates(createIndex("by-customer", "customer", "total",
                            p -> p.projectionType(ProjectionType.KEYS_ONLY))));
            Random random = new Random(7);
            for (int i = 0; i < 200; i++) change(client, name, random); // changes that race the backfill
            GlobalSecondaryIndexDescription index = client.describeTable(b -> b.tableName(name)).table()
                    .globalSecondaryIndexes().getFirst();
            System.out.printf("GlobalIndexBackfillScaleIT: killed with the index %s, %d entries%n",
                    index.indexStatus(), index.itemCount());
            assertThat(index.indexStatus()).as("the kill must come in the middle of the backfill").isEqualTo(IndexStatus.CREATING);
            first.kill();
        }
        try (ServerProcess restarted = ServerProcess.jar(dataDir); DynamoDbClient client = Clients.sync(restarted.endpoint())) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            IndexStatus status;
            do {
                Thread.sleep(200);
                status = client.describeTable(b -> b.tableName(name)).table().globalSecondaryIndexes().getFirst().indexStatus();
            } while (status != IndexStatus.ACTIVE && System.nanoTime() < deadline);
            assertThat(status).isEqualTo(IndexStatus.ACTIVE);
            List<String> expected = GlobalSecondaryIndexIT.expectedByCustomer(client, name);
            // ACTIVE means backfilled; changes logged after it may still be on their way: poll until equal.
            List<String> indexed;
            do {
                indexed = GlobalSecondaryIndexIT.byCustomerEntries(client, name);
            } while (!sameEntries(indexed, expected) && System.nanoTime() < deadline);
            assertThat(indexed).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    /** Writes {@code count} orders (two of three with a customer, so in the index) with BatchWriteItem from {@code threads} threads. */
    private static void load(DynamoDbClient ddb, String table, int count, int threads) throws Exception {
        ExecutorService loaders = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        int perThread = count / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * perThread;
            int to = t == threads - 1 ? count : from + perThread;
            done.add(loaders.submit(() -> {
                for (int i = from; i < to; i += 25) {
                    List<WriteRequest> batch = new ArrayList<>();
                    for (int j = i; j < Math.min(to, i + 25); j++) {
                        Map<String, AttributeValue> item = order("p" + j % PARTITIONS, j / PARTITIONS,
                                j % 3 == 0 ? null : "c" + j % 97, j % 11, j % 2 == 0 ? "open" : "shipped");
                        batch.add(WriteRequest.builder().putRequest(r -> r.item(item)).build());
                    }
                    Map<String, List<WriteRequest>> unprocessed = Map.of(table, batch);
                    while (!unprocessed.isEmpty()) {
                        Map<String, List<WriteRequest>> request = unprocessed;
                        unprocessed = ddb.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) f.get();
        loaders.shutdown();
    }

    /** One random change: delete, drop out of the index, or move (possibly back) into it. */
    private static void change(DynamoDbClient ddb, String table, Random random) {
        Map<String, AttributeValue> key = Map.of("pk", s("p" + random.nextInt(PARTITIONS)),
                "sk", n(Integer.toString(random.nextInt(ITEMS / PARTITIONS))));
        switch (random.nextInt(4)) {
            case 0 -> ddb.deleteItem(b -> b.tableName(table).key(key));
            case 1 -> ddb.updateItem(b -> b.tableName(table).key(key).updateExpression("REMOVE customer"));
            default -> ddb.updateItem(b -> b.tableName(table).key(key).updateExpression("SET customer = :c, #t = :t")
                    .expressionAttributeNames(Map.of("#t", "total"))
                    .expressionAttributeValues(Map.of(":c", s("c" + random.nextInt(97)), ":t", n(Integer.toString(random.nextInt(11))))));
        }
    }

    private static boolean sameEntries(List<String> a, List<String> b) {
        return a.size() == b.size() && a.stream().sorted().toList().equals(b.stream().sorted().toList());
    }
}

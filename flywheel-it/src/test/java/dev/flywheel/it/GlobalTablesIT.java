package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * Global tables (issue 13) between three Flywheel processes, one region each, on 127.0.0.1, .2 and .3:
 * a table made global with UpdateTable's ReplicaUpdates, concurrent random writes in every region
 * (conflicting ones on the same keys included), and after quiescence the three regions hold exactly
 * the same items; and the fault test, a region cut off and healed while another is killed and restarted.
 */
@Tag("slow")
class GlobalTablesIT {
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1"};
    private static final String[] HOSTS = {"127.0.0.1", "127.0.0.2", "127.0.0.3"};
    private static final String TABLE = "global";
    private static final int KEYS = 40;
    private static final int WRITERS_PER_REGION = 2;
    private static final int WRITES_PER_WRITER = 250;
    private static final long CONVERGENCE_MILLIS = 120_000;

    private final List<ServerProcess> servers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<DynamoDbClient> clients = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() throws InterruptedException, IOException {
        for (DynamoDbClient c : clients) c.close();
        for (ServerProcess s : servers) s.close();
        for (CuttableProxy p : proxies.values()) p.close();
    }

    private int port;
    private Path dir;
    /** The region whose links to the others go through {@link #proxies} (-1: none). */
    private int cutOff = -1;
    /** The links of region {@link #cutOff}, by "from>to". */
    private final Map<String, CuttableProxy> proxies = new HashMap<>();

    /** Starts region {@code i} on its own loopback address, with the two others as peers. */
    private ServerProcess startRegion(int i) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--region", REGIONS[i], "--bind", HOSTS[i],
                "--port", Integer.toString(port)));
        for (int j = 0; j < 3; j++) {
            if (j != i) args.addAll(List.of("--peer", REGIONS[j] + "=" + peerUrl(i, j)));
        }
        return ServerProcess.jarWithAddress(dir.resolve(REGIONS[i]), args.toArray(String[]::new));
    }

    /** How region {@code from} reaches region {@code to}: directly, or through a proxy a test can cut. */
    private String peerUrl(int from, int to) throws IOException {
        if (from != cutOff && to != cutOff) return "http://" + HOSTS[to] + ":" + port;
        CuttableProxy link = proxies.get(from + ">" + to);
        while (link == null) {
            link = new CuttableProxy(HOSTS[to], new InetSocketAddress(HOSTS[to], port));
            if (link.url().endsWith(":" + port)) {  // the regions' own port, free until its region starts
                link.close();
                link = null;
            }
        }
        proxies.put(from + ">" + to, link);
        return link.url();
    }

    /** Three regions, and a table created in the first, made global with ReplicaUpdates. */
    private void startGlobalTable(Path tempDir) throws Exception {
        dir = tempDir;
        port = freePortOnAllHosts();
        for (int i = 0; i < 3; i++) {
            ServerProcess server = startRegion(i);
            servers.add(server);
            clients.add(Clients.sync(server.endpoint()));
        }
        DynamoDbClient east = clients.get(0);
        east.createTable(b -> b.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")));
        // Items written before the table is global reach the new replicas by the initial copy.
        for (int k = 0; k < KEYS; k += 2) {
            int key = k;
            east.putItem(b -> b.tableName(TABLE).item(key(key)));
        }

        assertThatThrownBy(() -> addReplica(east, "us-east-1")).isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("Cannot add, delete, or update the local region through ReplicaUpdates.");
        assertThatThrownBy(() -> addReplica(east, "ap-south-1")).isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("is not a peer");

        TableDescription updating = addReplica(east, "us-west-2");
        assertThat(updating.replicas()).extracting(ReplicaDescription::regionName).containsExactly("us-west-2");
        assertThat(updating.globalTableVersion()).isEqualTo("2019.11.21");
        assertThatThrownBy(() -> addReplica(east, "us-west-2")).isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("because one or more replicas already existed as tables");
        addReplica(east, "eu-west-1");
        for (int i = 0; i < 3; i++) {
            DynamoDbClient client = clients.get(i);
            String region = REGIONS[i];
            awaitTrue("every replica ACTIVE as " + region + " sees it", () -> allReplicasActive(client, region));
        }
    }

    @Test
    void threeRegionsConvergeUnderConcurrentConflictingWrites(@TempDir Path tempDir) throws Exception {
        startGlobalTable(tempDir);
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(3 * WRITERS_PER_REGION);
        List<Future<Integer>> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            for (int w = 0; w < WRITERS_PER_REGION; w++) {
                DynamoDbClient client = clients.get(i);
                long seed = 1000L * i + w;
                String writer = REGIONS[i] + "/" + w;
                writers.add(pool.submit(() -> randomWrites(client, writer, seed)));
            }
        }
        int writes = 0;
        for (Future<Integer> f : writers) writes += f.get();
        pool.shutdown();
        System.out.printf("GlobalTablesIT: %d writes in %d ms across 3 regions%n", writes,
                (System.nanoTime() - started) / 1_000_000);

        long quiet = System.nanoTime();
        Map<String, Map<String, AttributeValue>>[] scans = awaitConvergence();
        System.out.printf("GlobalTablesIT: converged %d ms after the last write (%d items)%n",
                (System.nanoTime() - quiet) / 1_000_000, scans[0].size());
        assertThat(scans[0]).isNotEmpty();

        measureLag();

        // ReplicaUpdates Update: a table class set for us-west-2's replica alone reaches that region's table.
        clients.get(0).updateTable(b -> b.tableName(TABLE).replicaUpdates(ReplicationGroupUpdate.builder()
                .update(u -> u.regionName("us-west-2").tableClassOverride("STANDARD_INFREQUENT_ACCESS")).build()));
        awaitTrue("us-west-2's table to take the class set for its replica", () -> "STANDARD_INFREQUENT_ACCESS".equals(
                clients.get(1).describeTable(b -> b.tableName(TABLE)).table().tableClassSummary().tableClassAsString()));
        assertThat(clients.get(0).describeTable(b -> b.tableName(TABLE)).table().replicas())
                .filteredOn(r -> r.regionName().equals("us-west-2")).singleElement()
                .satisfies(r -> assertThat(r.replicaTableClassSummary().tableClassAsString()).isEqualTo("STANDARD_INFREQUENT_ACCESS"));

        // Removing a replica deletes that region's table and stops replicating to it.
        clients.get(0).updateTable(b -> b.tableName(TABLE).replicaUpdates(ReplicationGroupUpdate.builder()
                .delete(d -> d.regionName("eu-west-1")).build()));
        DynamoDbClient europe = clients.get(2);
        awaitTrue("eu-west-1's replica to be deleted", () -> {
            try {
                europe.describeTable(b -> b.tableName(TABLE));
                return false;
            } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException gone) {
                return true;
            }
        });
        awaitTrue("us-west-2 to see us-east-1 as its only replica", () -> clients.get(1).describeTable(b -> b.tableName(TABLE))
                .table().replicas().stream().map(ReplicaDescription::regionName).toList().equals(List.of("us-east-1")));
        clients.get(0).putItem(b -> b.tableName(TABLE).item(key(1000)));
        awaitTrue("a write after the removal to reach us-west-2", () -> !clients.get(1).getItem(b -> b.tableName(TABLE)
                .key(key(1000)).consistentRead(true)).item().isEmpty());
    }

    /** Waits until full scans of the three regions are identical; returns them. */
    private Map<String, Map<String, AttributeValue>>[] awaitConvergence() throws InterruptedException {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, AttributeValue>>[] scans = new Map[3];
        awaitTrue("the three regions to hold the same items", () -> {
            for (int i = 0; i < 3; i++) scans[i] = scan(clients.get(i));
            return scans[0].equals(scans[1]) && scans[1].equals(scans[2]);
        }, () -> differences(scans));
        return scans;
    }

    /**
     * The fault test: under concurrent writes in every region, one region (us-west-2) is cut off from the
     * two others (the proxies standing for its links close) and later healed, while another (eu-west-1)
     * is killed with {@code kill -9} and restarted. Then all converge, and every acknowledged write of
     * an item nobody else writes is in every region (nothing lost), with its counter of applied updates
     * exactly as acknowledged (nothing applied twice).
     */
    @Test
    void regionsConvergeAfterACutOffAndAKill(@TempDir Path tempDir) throws Exception {
        cutOff = 1;
        startGlobalTable(tempDir);
        int killed = 2;
        // Acknowledged writes of each region's own items: the number of updates each item must show.
        Map<String, Integer> acknowledged = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.CountDownLatch warmedUp = new java.util.concurrent.CountDownLatch(3);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int region = i;
            writers.add(pool.submit(() -> {
                Random random = new Random(region);
                for (int n = 0; !stop.get(); n++) {
                    try {
                        DynamoDbClient client = clients.get(region);
                        // An item of its own, put once then counted up 1 to 3 times: a lost or doubled write shows.
                        Map<String, AttributeValue> own = Map.of("pk", AttributeValue.fromS("own-" + REGIONS[region]),
                                "sk", AttributeValue.fromN(Integer.toString(n)));
                        client.putItem(b -> b.tableName(TABLE).item(own));
                        int updates = 1 + random.nextInt(3);
                        for (int u = 0; u < updates; u++) {
                            client.updateItem(b -> b.tableName(TABLE).key(own).updateExpression("ADD hits :one")
                                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                        }
                        acknowledged.put("own-" + REGIONS[region] + "/" + n, updates);
                        // And contended ones: puts, updates and deletes of items every region writes.
                        Map<String, AttributeValue> shared = key(random.nextInt(KEYS));
                        switch (random.nextInt(3)) {
                            case 0 -> client.putItem(b -> b.tableName(TABLE).item(shared));
                            case 1 -> client.updateItem(b -> b.tableName(TABLE).key(shared)
                                    .updateExpression("SET lastWriter = :w ADD hits :one")
                                    .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(REGIONS[region]),
                                            ":one", AttributeValue.fromN("1"))));
                            default -> client.deleteItem(b -> b.tableName(TABLE).key(shared));
                        }
                    } catch (RuntimeException regionDown) {
                        // A write whose outcome is unknown (its region was killed) is not counted.
                        Thread.sleep(50);
                    }
                    if (n == 100) warmedUp.countDown();
                }
                return null;
            }));
        }
        warmedUp.await();
        for (CuttableProxy link : proxies.values()) link.cut();
        // While cut off, a write in us-west-2 stays there (shows the cut is real), and us-west-2 keeps writing.
        Map<String, AttributeValue> marker = Map.of("pk", AttributeValue.fromS("marker"), "sk", AttributeValue.fromN("1"));
        clients.get(cutOff).putItem(b -> b.tableName(TABLE).item(marker));
        servers.get(killed).kill();
        Thread.sleep(2_000);  // the others keep writing meanwhile (not a timing assertion)
        assertThat(clients.get(0).getItem(b -> b.tableName(TABLE).key(marker).consistentRead(true)).item())
                .as("a write in the cut-off region seen elsewhere: the cut is not real").isEmpty();
        ServerProcess restarted = startRegion(killed);
        servers.set(killed, restarted);
        DynamoDbClient old = clients.set(killed, Clients.sync(restarted.endpoint()));
        old.close();
        Thread.sleep(2_000);
        for (CuttableProxy link : proxies.values()) link.heal();
        Thread.sleep(2_000);
        stop.set(true);
        for (Future<?> f : writers) f.get();
        pool.shutdown();

        Map<String, Map<String, AttributeValue>>[] scans = awaitConvergence();
        assertThat(scans[0]).containsKey("marker/1");
        List<String> lostOrDoubled = new ArrayList<>();
        for (Map.Entry<String, Integer> write : acknowledged.entrySet()) {
            Map<String, AttributeValue> item = scans[0].get(write.getKey());
            if (item == null || !write.getValue().toString().equals(item.get("hits").n())) {
                lostOrDoubled.add(write.getKey() + " (" + write.getValue() + " updates) -> " + item);
            }
        }
        assertThat(lostOrDoubled).as("acknowledged writes lost or applied twice").isEmpty();
        for (String region : new String[] {REGIONS[0], REGIONS[cutOff], REGIONS[killed]}) {
            assertThat(acknowledged.keySet()).as("writes acknowledged by " + region)
                    .anyMatch(k -> k.startsWith("own-" + region + "/"));
        }
        System.out.printf("GlobalTablesIT: after cutting off %s and kill -9 of %s, %d acknowledged writes"
                + " (with their update counts) in every region%n", REGIONS[cutOff], REGIONS[killed], acknowledged.size());
    }

    /** Random puts, updates and deletes of a few shared keys: regions write the same items at once. */
    private static int randomWrites(DynamoDbClient client, String writer, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < WRITES_PER_WRITER; i++) {
            Map<String, AttributeValue> key = key(random.nextInt(KEYS));
            switch (random.nextInt(3)) {
                case 0 -> {
                    Map<String, AttributeValue> item = new HashMap<>(key);
                    item.put("writer", AttributeValue.fromS(writer));
                    item.put("n", AttributeValue.fromN(Integer.toString(i)));
                    client.putItem(b -> b.tableName(TABLE).item(item));
                }
                case 1 -> client.updateItem(b -> b.tableName(TABLE).key(key)
                        .updateExpression("SET lastWriter = :w ADD hits :one")
                        .expressionAttributeValues(Map.of(":w", AttributeValue.fromS(writer), ":one", AttributeValue.fromN("1"))));
                default -> client.deleteItem(b -> b.tableName(TABLE).key(key));
            }
        }
        return WRITES_PER_WRITER;
    }

    /** Replication lag: from an acknowledged write in one region to its visibility in the two others. */
    private void measureLag() throws InterruptedException {
        List<Long> lags = new ArrayList<>();
        for (int sample = 0; sample < 100; sample++) {
            int from = sample % 3;
            Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("lag"),
                    "sk", AttributeValue.fromN(Integer.toString(sample)));
            long written = System.nanoTime();
            clients.get(from).putItem(b -> b.tableName(TABLE).item(item));
            for (int to = 0; to < 3; to++) {
                if (to == from) continue;
                DynamoDbClient reader = clients.get(to);
                awaitTrue("the lag probe to arrive", () -> !reader.getItem(b -> b.tableName(TABLE).key(item)
                        .consistentRead(true)).item().isEmpty());
                lags.add((System.nanoTime() - written) / 1_000_000);
            }
        }
        long[] sorted = lags.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("GlobalTablesIT: replication lag over %d deliveries: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                sorted.length, sorted[sorted.length / 2], sorted[sorted.length * 9 / 10], sorted[sorted.length * 99 / 100],
                sorted[sorted.length - 1]);
    }

    private static TableDescription addReplica(DynamoDbClient client, String region) {
        return client.updateTable(b -> b.tableName(TABLE).replicaUpdates(ReplicationGroupUpdate.builder()
                .create(c -> c.regionName(region)).build())).tableDescription();
    }

    private static boolean allReplicasActive(DynamoDbClient client, String region) {
        try {
            TableDescription t = client.describeTable(b -> b.tableName(TABLE)).table();
            List<String> others = new ArrayList<>(Arrays.asList(REGIONS));
            others.remove(region);
            return "2019.11.21".equals(t.globalTableVersion())
                    && t.replicas().stream().map(ReplicaDescription::regionName).sorted().toList()
                            .equals(others.stream().sorted().toList())
                    && t.replicas().stream().allMatch(r -> r.replicaStatusAsString().equals("ACTIVE"));
        } catch (DynamoDbException notYetCreated) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(int k) {
        return Map.of("pk", AttributeValue.fromS("k" + (k % 7)), "sk", AttributeValue.fromN(Integer.toString(k)));
    }

    /** Every item of the table, by its key. */
    private static Map<String, Map<String, AttributeValue>> scan(DynamoDbClient client) {
        Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        client.scanPaginator(b -> b.tableName(TABLE).consistentRead(true)).items()
                .forEach(item -> items.put(item.get("pk").s() + "/" + item.get("sk").n(), item));
        return items;
    }

    private static String differences(Map<String, Map<String, AttributeValue>>[] scans) {
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < 3; i++) {
            if (scans[i] == null || scans[0] == null) continue;
            for (String key : new java.util.TreeSet<>(union(scans[0].keySet(), scans[i].keySet()))) {
                Object a = scans[0].get(key), b = scans[i].get(key);
                if (!java.util.Objects.equals(a, b)) {
                    out.append("\n  ").append(key).append(": ").append(REGIONS[0]).append("=").append(a)
                            .append(" ").append(REGIONS[i]).append("=").append(b);
                }
            }
        }
        return out.toString();
    }

    private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
        java.util.Set<String> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return all;
    }

    private void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        awaitTrue(what, condition, () -> "");
    }

    /** Polls {@code condition} until true; fails after a bounded wait, saying what never happened. */
    private void awaitTrue(String what, BooleanSupplier condition, java.util.function.Supplier<String> detail)
            throws InterruptedException {
        long deadline = System.nanoTime() + CONVERGENCE_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServerProcess s : servers) {
                    String output = s.output();
                    logs.append("\n--- server log (tail) ---\n")
                            .append(output.substring(Math.max(0, output.length() - 3000)));
                }
                throw new AssertionError("Timed out after " + CONVERGENCE_MILLIS + " ms waiting for " + what
                        + detail.get() + logs);
            }
            Thread.sleep(20);
        }
    }

    /** A port free on the three loopback addresses, so each region listens on host:port and peers know it. */
    private static int freePortOnAllHosts() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOSTS[0]))) {
                port = probe.getLocalPort();
            }
            boolean free = true;
            for (String host : HOSTS) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) return port;
        }
        throw new IllegalStateException("no port free on " + Arrays.toString(HOSTS));
    }
}

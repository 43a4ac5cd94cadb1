package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.SSEType;

/**
 * Encryption at rest on a Cassandra cluster (issue 11): what {@code flywheel serve --storage cassandra}
 * writes reaches Cassandra's files (its commit log and, after {@code nodetool flush}, its SSTables) with
 * partition keys, attribute names and values sealed, sort keys alone in the clear, as on the embedded
 * backend; and {@code flywheel keys} manages the keyring kept in the cluster. Needs a node at
 * 127.0.0.1:9042 on this machine ({@code .ci/run} starts one) and {@code ../shared/tools/cassandra-cluster.sh}
 * for the flush; skipped, saying so, without them.
 */
@Tag("cassandra")
@Tag("slow")
class CassandraEncryptionIT {
    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 9042);
    private static final Path CLUSTER_SCRIPT = ServerProcess.REPO.resolve("../shared/tools/cassandra-cluster.sh").normalize();
    /** Random per run: Cassandra's commit log is shared by every keyspace and outlives this test. */
    private static final String RUN = Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff).toUpperCase();
    /** In partition keys, attribute names and values: must never reach Cassandra's files in the clear. */
    private static final String SECRET = "ZQX7SECRET" + RUN;
    /** In sort keys only: must be found, which proves the scan sees the bytes written in the clear. */
    private static final String VISIBLE = "ZQX7SORTKEY" + RUN;
    private static final String KEYSPACE = "flywheel_enc_" + RUN.toLowerCase();

    @TempDir
    Path dir;

    @Test
    void onlySortKeysReachCassandrasFilesInTheClearAndKeysAreManagedInTheCluster() throws Exception {
        assumeTrue(reachable(NODE), "no Cassandra node at " + NODE + ": skipped");
        assumeTrue(Files.isExecutable(CLUSTER_SCRIPT), "no " + CLUSTER_SCRIPT + " to flush the node with: skipped");
        List<Path> cassandraDirs = cassandraDirectories();
        assumeTrue(cassandraDirs.stream().allMatch(Files::isDirectory),
                "Cassandra's directories " + cassandraDirs + " are not on this machine: skipped");

        String masterKey = dir.resolve("master.key").toString();
        String[] cassandra = {"--storage", "cassandra", "--cassandra-contact-points", "127.0.0.1:9042",
                "--keyspace", KEYSPACE, "--replication-factor", "1", "--master-key-file", masterKey};
        CommandLineIT.Run created = keys("create", cassandra, "--alias", "alias/orders");
        assertThat(created.exit()).as(created.output()).isZero();
        String keyId = created.output().lines().filter(l -> l.contains("alias/orders")).findFirst().orElseThrow().split("\t")[0];

        try (ServerProcess server = ServerProcess.jar(dir.resolve("server"), cassandra);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            MarkedItems.createTable(client, SECRET,
                    b -> b.sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId("alias/orders")));
            for (int i = 0; i < 50; i++) {
                Map<String, AttributeValue> item = item(i);
                client.putItem(b -> b.tableName("orders").item(item));
            }
            // Index entries are written by the server's background applier: wait until all are there.
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            while (client.scan(b -> b.tableName("orders").indexName("byOwner")).count() < 50 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(client.describeTable(b -> b.tableName("orders")).table().sseDescription().kmsMasterKeyArn()).contains(keyId);
            assertThat(server.stop()).isEqualTo(143);
        }
        for (int node = 1; node <= 3; node++) { // each node flushes its own memtables
            if (!reachable(new InetSocketAddress("127.0.0." + node, 9042))) continue;
            Process flush = new ProcessBuilder(CLUSTER_SCRIPT.toString(), "nodetool", Integer.toString(node), "flush")
                    .redirectErrorStream(true).start();
            String flushed = new String(flush.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(flush.waitFor()).as("nodetool flush: " + flushed).isZero();
        }

        List<String> visible = new ArrayList<>();
        List<String> secret = new ArrayList<>();
        for (Path root : cassandraDirs) {
            visible.addAll(MarkedItems.filesContaining(root, VISIBLE));
            secret.addAll(MarkedItems.filesContaining(root, SECRET));
        }
        System.out.printf("CassandraEncryptionIT: sort-key marker found in %d file(s) (e.g. %s); the other marker in %d%n",
                visible.size(), visible.isEmpty() ? "-" : visible.getFirst(), secret.size());
        assertThat(visible).as("sort keys are stored in the clear (the control of this test)").isNotEmpty();
        assertThat(secret).as("Cassandra files holding a partition key, attribute name or value in the clear").isEmpty();

        // The keyring lives in the cluster: a rotation is seen by the next listing, and a server started
        // afterwards reads everything back.
        assertThat(keys("rotate", cassandra, "alias/orders").output()).contains("versions=2");
        assertThat(keys("list", cassandra).output()).contains(keyId).contains("alias/orders").contains("versions=2");
        try (ServerProcess again = ServerProcess.jar(dir.resolve("again"), cassandra);
                DynamoDbClient client = Clients.sync(again.endpoint())) {
            assertThat(client.getItem(b -> b.tableName("orders").key(Map.of("pk_" + SECRET, AttributeValue.fromS("owner-7-" + SECRET),
                    "sk", AttributeValue.fromS(VISIBLE + "-7")))).item()).isEqualTo(item(7));
            assertThat(client.scan(b -> b.tableName("orders")).count()).isEqualTo(50);
        }
        try (CqlSession session = session()) { // schema changes on several nodes outlast the driver's 2 s default
            session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KEYSPACE).setTimeout(Duration.ofMinutes(1)));
        }
    }

    private CommandLineIT.Run keys(String action, String[] cassandra, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("keys", action));
        command.addAll(List.of(args));
        command.addAll(List.of(cassandra));
        command.addAll(List.of("--data-dir", dir.resolve("keys").toString()));
        return CommandLineIT.flywheel(command.toArray(String[]::new));
    }

    private static Map<String, AttributeValue> item(int i) {
        return MarkedItems.item(i, SECRET, VISIBLE);
    }

    /**
     * Where the nodes keep their files: every node's {@code data} directory (SSTables, commit log, hints,
     * caches; not its logs) in the cluster's directory when the build names it
     * ({@code -Dflywheel.cassandra.cluster}, as {@code cassandra-cluster.sh} lays it out), else the first
     * node's data and commit-log directories, as it reports them in its settings table.
     */
    private static List<Path> cassandraDirectories() throws IOException {
        String cluster = System.getProperty("flywheel.cassandra.cluster", "");
        if (!cluster.isEmpty()) {
            try (var nodes = Files.list(Path.of(cluster))) {
                return nodes.filter(n -> n.getFileName().toString().startsWith("node")).map(n -> n.resolve("data"))
                        .filter(Files::isDirectory).sorted().toList();
            }
        }
        try (CqlSession session = session()) {
            List<Path> dirs = new ArrayList<>();
            for (String name : List.of("data_file_directories", "commitlog_directory")) {
                String value = session.execute("SELECT value FROM system_views.settings WHERE name = ?", name).one().getString(0);
                for (String path : value.replace("[", "").replace("]", "").split(",")) {
                    if (!path.isBlank()) dirs.add(Path.of(path.strip()));
                }
            }
            return dirs;
        }
    }

    private static CqlSession session() {
        return CqlSession.builder().addContactPoint(NODE).withLocalDatacenter("datacenter1").build();
    }

    private static boolean reachable(InetSocketAddress node) {
        try (Socket socket = new Socket()) {
            socket.connect(node, 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

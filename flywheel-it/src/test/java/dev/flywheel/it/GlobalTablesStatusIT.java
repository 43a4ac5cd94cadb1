package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.Select;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What DescribeTable shows of a global table's replicas through their life (issue 13), seen with the
 * AWS SDK between three Flywheel processes on 127.0.0.1, .2 and .3: CREATION_FAILED (with why) when a
 * region refuses the replica, ReplicaStatusPercentProgress while the first copy runs (the link to the new
 * region goes down in the middle of it, so the progress holds still to be read), and DELETING while a
 * removed replica's table is being deleted, the removed region's own table DELETING meanwhile. us-east-1
 * is configured with {@code --peers-file}, one of its peers with credentials eu-west-1 does not accept.
 */
@Tag("slow")
class GlobalTablesStatusIT {
    private static final String EAST = "us-east-1", WEST = "us-west-2", EUROPE = "eu-west-1";
    private static final String EAST_HOST = "127.0.0.1", WEST_HOST = "127.0.0.2", EUROPE_HOST = "127.0.0.3";
    private static final int ITEMS = 2000;
    private static final long DEADLINE_MILLIS = 60_000;

    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<DynamoDbClient> clients = new ArrayList<>();
    private final List<CuttableProxy> links = new ArrayList<>();

    @AfterEach
    void stopAll() throws Exception {
        for (DynamoDbClient c : clients) c.close();
        for (ServerProcess s : servers) s.close();
        for (CuttableProxy p : links) p.close();
    }

    @Test
    void replicaStatusesThroughTheLifeOfAReplica(@TempDir Path dir) throws Exception {
        int port = freePortOnAllHosts();
        CuttableProxy eastToWest = link(WEST_HOST, port), westToEast = link(EAST_HOST, port);
        Files.writeString(dir.resolve("europe-credentials"), "[europe]\naws_access_key_id = " + Clients.ACCESS_KEY
                + "\naws_secret_access_key = " + Clients.SECRET_KEY + "\n");
        Files.writeString(dir.resolve("unknown-credentials"),
                "[stranger]\naws_access_key_id = AKIDUNKNOWN\naws_secret_access_key = not-known-in-europe\n");
        Files.writeString(dir.resolve("peers"), String.join("\n",
                "# us-east-1 and the regions its global tables may replicate to",
                "region = " + EAST,
                "peer." + WEST + " = " + eastToWest.url(),
                "peer." + EUROPE + " = http://" + EUROPE_HOST + ":" + port,
                "peer." + EUROPE + ".credentials = unknown-credentials", ""));
        ServerProcess east = start(dir.resolve("east"), "--bind", EAST_HOST, "--port", Integer.toString(port),
                "--peers-file", dir.resolve("peers").toString());
        ServerProcess west = start(dir.resolve("west"), "--region", WEST, "--bind", WEST_HOST, "--port", Integer.toString(port),
                "--peer", EAST + "=" + westToEast.url());
        start(dir.resolve("europe"), "--region", EUROPE, "--bind", EUROPE_HOST, "--port", Integer.toString(port),
                "--credentials", dir.resolve("europe-credentials").toString());
        DynamoDbClient eastClient = clients.get(0), westClient = clients.get(1);
        assertThat(east.output()).contains("Peer regions for global tables: [" + WEST + ", " + EUROPE + "]");

        // CREATION_FAILED: us-west-2 already has a table of that name (other keys), and refuses the replica.
        westClient.createTable(table("taken", "id", ScalarAttributeType.N));
        eastClient.createTable(table("taken", "pk", ScalarAttributeType.S));
        addReplica(eastClient, "taken", WEST);
        await("us-west-2's replica of taken to be CREATION_FAILED",
                () -> "CREATION_FAILED".equals(status(eastClient, "taken", WEST)), servers);
        assertThat(replica(eastClient, "taken", WEST).replicaStatusDescription())
                .startsWith("Creating the replica's table in us-west-2 failed: ValidationException:")
                .contains("already existed as tables");
        assertThat(westClient.describeTable(b -> b.tableName("taken")).table().keySchema())
                .extracting(KeySchemaElement::attributeName).containsExactly("id");

        // CREATION_FAILED: eu-west-1 does not know the key us-east-1 signs its calls to it with.
        eastClient.createTable(table("status", "pk", ScalarAttributeType.S));
        load(eastClient);
        addReplica(eastClient, "status", EUROPE);
        await("eu-west-1's replica to be CREATION_FAILED", () -> "CREATION_FAILED".equals(status(eastClient, "status", EUROPE)),
                servers);
        assertThat(replica(eastClient, "status", EUROPE).replicaStatusDescription())
                .startsWith("Creating the replica's table in eu-west-1 failed: UnrecognizedClientException:");

        // ReplicaStatusPercentProgress: the link to us-west-2 goes down after about a third of the copy.
        eastToWest.cutAfter(700_000);
        TableDescription adding = addReplica(eastClient, "status", WEST);
        assertThat(adding.replicas()).filteredOn(r -> r.regionName().equals(WEST)).singleElement()
                .satisfies(r -> assertThat(r.replicaStatusAsString()).isEqualTo("CREATING"));
        await("the link to us-west-2 to go down in the middle of the copy", eastToWest::isCut, servers);
        await("the copy's progress to show", () -> {
            ReplicaDescription r = replica(eastClient, "status", WEST);
            return "CREATING".equals(r.replicaStatusAsString()) && !"0".equals(r.replicaStatusPercentProgress());
        }, servers);
        ReplicaDescription creating = replica(eastClient, "status", WEST);
        int percent = Integer.parseInt(creating.replicaStatusPercentProgress());
        assertThat(percent).isBetween(1, 99);
        // "about": the table's size is an estimate (on Cassandra, extrapolated from a sample of its partitions).
        assertThat(east.output()).containsPattern("Copying status to us-west-2: \\d+ of about \\d+ items sent \\(\\d+%\\)");
        System.out.printf("GlobalTablesStatusIT: the copy stopped at %d%% when the link went down%n", percent);
        east.output().lines().filter(line -> line.contains("Copying status to us-west-2"))
                .forEach(line -> System.out.println("GlobalTablesStatusIT: us-east-1 logged: " + line));
        eastToWest.heal();
        await("us-west-2 ACTIVE", () -> "ACTIVE".equals(status(eastClient, "status", WEST)), servers);
        assertThat(replica(eastClient, "status", WEST).replicaStatusPercentProgress()).isNull();
        assertThat(east.output()).contains("resuming after");
        assertThat(westClient.scanPaginator(b -> b.tableName("status").select(Select.COUNT).consistentRead(true)).stream()
                .mapToInt(page -> page.count()).sum()).isEqualTo(ITEMS);

        // DELETING: us-west-2 cannot reach us-east-1 and holds a write it has not sent when it is removed.
        westToEast.cut();
        Map<String, AttributeValue> late = Map.of("pk", AttributeValue.fromS("written-in-west"));
        westClient.putItem(b -> b.tableName("status").item(late));
        TableDescription removing = eastClient.updateTable(b -> b.tableName("status").replicaUpdates(
                ReplicationGroupUpdate.builder().delete(d -> d.regionName(WEST)).build())).tableDescription();
        assertThat(removing.replicas()).filteredOn(r -> r.regionName().equals(WEST)).singleElement()
                .satisfies(r -> assertThat(r.replicaStatusAsString()).isEqualTo("DELETING"));
        await("us-west-2's table to be DELETING", () -> "DELETING".equals(
                westClient.describeTable(b -> b.tableName("status")).table().tableStatusAsString()), servers);
        assertThat(status(eastClient, "status", WEST)).isEqualTo("DELETING");
        assertThatThrownBy(() -> westClient.putItem(b -> b.tableName("status").item(Map.of("pk", AttributeValue.fromS("refused")))))
                .isInstanceOf(ResourceNotFoundException.class);
        westToEast.heal();
        await("us-west-2's table to be deleted", () -> {
            try {
                westClient.describeTable(b -> b.tableName("status"));
                return false;
            } catch (ResourceNotFoundException gone) {
                return true;
            }
        }, servers);
        await("us-east-1 to stop listing us-west-2", () -> replica(eastClient, "status", WEST) == null, servers);
        assertThat(eastClient.describeTable(b -> b.tableName("status")).table().replicas())
                .extracting(ReplicaDescription::regionName).containsExactly(EUROPE);
        assertThat(eastClient.getItem(b -> b.tableName("status").key(late).consistentRead(true)).item())
                .as("the write us-west-2 acknowledged before its removal").isNotEmpty();
    }

    private ServerProcess start(Path dataDir, String... args) throws IOException, InterruptedException {
        ServerProcess server = ServerProcess.jarWithAddress(dataDir, args);
        servers.add(server);
        clients.add(Clients.sync(server.endpoint()));
        return server;
    }

    /** A link to {@code host}:{@code port} (a region, started later) that the test can cut. */
    private CuttableProxy link(String host, int port) throws IOException {
        while (true) {
            CuttableProxy link = new CuttableProxy(host, new InetSocketAddress(host, port));
            if (!link.url().endsWith(":" + port)) {  // the regions' own port, free until its region starts
                links.add(link);
                return link;
            }
            link.close();
        }
    }

    private static software.amazon.awssdk.services.dynamodb.model.CreateTableRequest table(String name, String key,
                                                                                           ScalarAttributeType type) {
        return software.amazon.awssdk.services.dynamodb.model.CreateTableRequest.builder().tableName(name)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName(key).attributeType(type).build())
                .keySchema(KeySchemaElement.builder().attributeName(key).keyType(KeyType.HASH).build()).build();
    }

    /** {@link #ITEMS} items of about a kilobyte each. */
    private static void load(DynamoDbClient client) {
        String payload = "x".repeat(1000);
        List<WriteRequest> batch = new ArrayList<>();
        for (int i = 0; i < ITEMS; i++) {
            batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(Map.of(
                    "pk", AttributeValue.fromS("item-" + i), "payload", AttributeValue.fromS(payload))).build()).build());
            if (batch.size() == 25 || i == ITEMS - 1) {
                List<WriteRequest> requests = List.copyOf(batch);
                assertThat(client.batchWriteItem(b -> b.requestItems(Map.of("status", requests))).unprocessedItems()).isEmpty();
                batch.clear();
            }
        }
    }

    private static TableDescription addReplica(DynamoDbClient client, String table, String region) {
        return client.updateTable(b -> b.tableName(table).replicaUpdates(ReplicationGroupUpdate.builder()
                .create(c -> c.regionName(region)).build())).tableDescription();
    }

    private static ReplicaDescription replica(DynamoDbClient client, String table, String region) {
        List<ReplicaDescription> replicas = client.describeTable(b -> b.tableName(table)).table().replicas();
        return replicas.stream().filter(r -> r.regionName().equals(region)).findFirst().orElse(null);
    }

    private static String status(DynamoDbClient client, String table, String region) {
        ReplicaDescription r = replica(client, table, region);
        return r == null ? null : r.replicaStatusAsString();
    }

    /** Polls {@code condition} until true; fails after a bounded wait with what never happened and the servers' logs. */
    private static void await(String what, BooleanSupplier condition, List<ServerProcess> servers) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                for (ServerProcess s : servers) {
                    String output = s.output();
                    logs.append("\n--- server log (tail) ---\n").append(output.substring(Math.max(0, output.length() - 3000)));
                }
                throw new AssertionError("Timed out after " + DEADLINE_MILLIS + " ms waiting for " + what + logs);
            }
            Thread.sleep(20);
        }
    }

    /** A port free on the three loopback addresses, so each region listens on host:port and peers know it. */
    private static int freePortOnAllHosts() throws IOException {
        String[] hosts = {EAST_HOST, WEST_HOST, EUROPE_HOST};
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(hosts[0]))) {
                port = probe.getLocalPort();
            }
            boolean free = true;
            for (String host : hosts) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
                } catch (IOException taken) {
                    free = false;
                }
            }
            if (free) return port;
        }
        throw new IllegalStateException("no port free on the three loopback addresses");
    }
}

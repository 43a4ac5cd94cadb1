package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Two Flywheel servers (separate processes, started as users start them) in front of one Cassandra
 * node: {@code flywheel serve --storage cassandra}. Tables live in Cassandra, so a table created
 * through one server is usable through the other at once, and conditional writes through both never
 * lose an update. Needs a node at 127.0.0.1:9042 ({@code .ci/run} starts one; skipped, saying so,
 * without it).
 */
@Tag("cassandra")
@Tag("slow")
class CassandraServersIT {
    private static final InetSocketAddress NODE = new InetSocketAddress("127.0.0.1", 9042);
    private static final String KEYSPACE = "flywheel_it_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
    private static ServerProcess first;
    private static ServerProcess second;

    @BeforeAll
    static void twoServers(@TempDir Path dir) throws Exception {
        assumeTrue(reachable(), "no Cassandra node at " + NODE + " (start one with ../shared/tools/cassandra-cluster.sh"
                + " start 1): Cassandra integration tests skipped");
        // One master key for both: the first server creates it, the second finds the keyring sealed by it.
        String masterKey = dir.resolve("master.key").toString();
        String[] cassandra = {"--storage", "cassandra", "--cassandra-contact-points", "127.0.0.1:9042",
                "--keyspace", KEYSPACE, "--replication-factor", "1", "--master-key-file", masterKey};
        first = ServerProcess.jar(dir.resolve("first"), cassandra);
        second = ServerProcess.jar(dir.resolve("second"), cassandra);
    }

    @AfterAll
    static void stopAndDropKeyspace() throws Exception {
        if (second != null) second.close();
        if (first != null) first.close();
        if (first != null) {
            try (CqlSession session = CqlSession.builder().addContactPoint(NODE).withLocalDatacenter("datacenter1").build()) {
                session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KEYSPACE)
                        .setTimeout(java.time.Duration.ofSeconds(60)));
            }
        }
    }

    @Test
    void aTableCreatedThroughOneServerIsUsableThroughTheOtherAtOnce() {
        try (DynamoDbClient one = Clients.sync(first.endpoint()); DynamoDbClient other = Clients.sync(second.endpoint())) {
            one.createTable(TablesIT.hashAndRange("shared").build());
            assertThat(other.describeTable(b -> b.tableName("shared")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);

            other.putItem(b -> b.tableName("shared").item(Map.of("pk", s("a"), "sk", n("1"), "v", s("through the other"))));
            one.putItem(b -> b.tableName("shared").item(Map.of("pk", s("a"), "sk", n("2"), "v", s("through one"))));

            assertThat(one.getItem(b -> b.tableName("shared").consistentRead(true).key(Map.of("pk", s("a"), "sk", n("1"))))
                    .item()).containsEntry("v", s("through the other"));
            assertThat(other.query(b -> b.tableName("shared").consistentRead(true).keyConditionExpression("pk = :a")
                    .expressionAttributeValues(Map.of(":a", s("a")))).items())
                    .extracting(item -> item.get("v")).containsExactly(s("through the other"), s("through one"));
            assertThat(one.scan(b -> b.tableName("shared")).count()).isEqualTo(2);
        }
    }

    /** Each server re-reads the definitions every second: a change through one reaches the other within seconds. */
    @Test
    void tablesUpdatedOrDeletedThroughOneServerAreSeenByTheOther() throws Exception {
        try (DynamoDbClient one = Clients.sync(first.endpoint()); DynamoDbClient other = Clients.sync(second.endpoint())) {
            one.createTable(TablesIT.hashAndRange("changing").build());
            assertThat(other.describeTable(b -> b.tableName("changing")).table().streamSpecification()).isNull();

            one.updateTable(b -> b.tableName("changing").streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY")));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (other.describeTable(b -> b.tableName("changing")).table().streamSpecification() == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(other.describeTable(b -> b.tableName("changing")).table().latestStreamArn())
                    .isEqualTo(one.describeTable(b -> b.tableName("changing")).table().latestStreamArn()).isNotNull();

            one.deleteTable(b -> b.tableName("changing"));
            boolean gone = false;
            while (!gone && System.nanoTime() < deadline) {
                try {
                    other.describeTable(b -> b.tableName("changing"));
                    Thread.sleep(100);
                } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
                    gone = true;
                }
            }
            assertThat(gone).as("the table deleted through the first server is gone from the second").isTrue();
            assertThat(other.listTables().tableNames()).doesNotContain("changing");
        }
    }

    @Test
    void aTableCreatedThroughBothServersAtOnceIsCreatedOnce() throws Exception {
        try (DynamoDbClient one = Clients.sync(first.endpoint()); DynamoDbClient other = Clients.sync(second.endpoint())) {
            List<Callable<String>> creates = new ArrayList<>();
            for (DynamoDbClient client : List.of(one, other)) {
                creates.add(() -> {
                    try {
                        client.createTable(TablesIT.hashAndRange("raced").build());
                        return "created";
                    } catch (ResourceInUseException e) {
                        return "in use";
                    }
                });
            }
            assertThat(runBoth(creates)).containsExactlyInAnyOrder("created", "in use");
        }
    }

    @Test
    void firstWritesThroughBothServersAtOnceAreReadableThroughBoth() throws Exception {
        // Each table's data key is created on its first write: both servers must end up with the same one.
        try (DynamoDbClient one = Clients.sync(first.endpoint()); DynamoDbClient other = Clients.sync(second.endpoint())) {
            one.createTable(TablesIT.hashAndRange("fresh").build());
            other.describeTable(b -> b.tableName("fresh"));
            List<Callable<String>> writes = new ArrayList<>();
            for (DynamoDbClient client : List.of(one, other)) {
                String writer = client == one ? "one" : "other";
                writes.add(() -> {
                    for (int i = 0; i < 10; i++) {
                        String sk = Integer.toString(i);
                        client.putItem(b -> b.tableName("fresh").item(Map.of("pk", s(writer), "sk", n(sk))));
                    }
                    return writer;
                });
            }
            runBoth(writes);
            for (DynamoDbClient reader : List.of(one, other)) {
                assertThat(reader.scan(b -> b.tableName("fresh").consistentRead(true)).count()).isEqualTo(20);
            }
        }
    }

    private static <T> List<T> runBoth(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void conditionalUpdatesThroughBothServersLoseNoUpdate() throws Exception {
        try (DynamoDbClient one = Clients.sync(first.endpoint()); DynamoDbClient other = Clients.sync(second.endpoint())) {
            one.createTable(TablesIT.hashAndRange("counters").build());
            other.describeTable(b -> b.tableName("counters"));
            Map<String, AttributeValue> key = Map.of("pk", s("counter"), "sk", n("0"));
            one.putItem(b -> b.tableName("counters").item(Map.of("pk", s("counter"), "sk", n("0"), "n", n("0"))));
            int each = 20;
            List<Callable<Integer>> incrementers = new ArrayList<>();
            for (DynamoDbClient client : List.of(one, other)) {
                incrementers.add(() -> {
                    int conflicts = 0;
                    for (int i = 0; i < each; i++) {
                        while (true) {
                            String current = client.getItem(b -> b.tableName("counters").key(key).consistentRead(true)).item().get("n").n();
                            String next = Integer.toString(Integer.parseInt(current) + 1);
                            try {
                                client.updateItem(b -> b.tableName("counters").key(key).updateExpression("SET n = :next")
                                        .conditionExpression("n = :current")
                                        .expressionAttributeValues(Map.of(":next", n(next), ":current", n(current))));
                                break;
                            } catch (ConditionalCheckFailedException lost) {
                                conflicts++;
                            }
                        }
                    }
                    return conflicts;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                for (Future<Integer> f : pool.invokeAll(incrementers)) f.get();
            } finally {
                pool.shutdownNow();
            }
            assertThat(other.getItem(b -> b.tableName("counters").key(key).consistentRead(true)).item().get("n"))
                    .isEqualTo(n(Integer.toString(2 * each)));
        }
    }

    @Test
    void aGlobalSecondaryIndexIsMaintainedFromTheCassandraOutbox() throws Exception {
        try (DynamoDbClient one = Clients.sync(first.endpoint())) {
            one.createTable(TablesIT.hashAndRange("indexed")
                    .attributeDefinitions(
                            AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                            AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build(),
                            AttributeDefinition.builder().attributeName("colour").attributeType(ScalarAttributeType.S).build())
                    .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName("byColour")
                            .keySchema(KeySchemaElement.builder().attributeName("colour").keyType(KeyType.HASH).build())
                            .projection(Projection.builder().projectionType(ProjectionType.ALL).build()).build())
                    .build());
            for (int i = 0; i < 5; i++) {
                String sk = Integer.toString(i);
                one.putItem(b -> b.tableName("indexed").item(Map.of("pk", s("p"), "sk", n(sk), "colour", s("red"))));
            }
            one.updateItem(b -> b.tableName("indexed").key(Map.of("pk", s("p"), "sk", n("3")))
                    .updateExpression("SET colour = :blue").expressionAttributeValues(Map.of(":blue", s("blue"))));
            // Index maintenance is asynchronous, as in DynamoDB: wait until it has caught up.
            List<Map<String, AttributeValue>> red = List.of();
            for (int attempt = 0; attempt < 300 && red.size() != 4; attempt++) {
                red = one.query(b -> b.tableName("indexed").indexName("byColour").keyConditionExpression("colour = :c")
                        .expressionAttributeValues(Map.of(":c", s("red")))).items();
                if (red.size() != 4) Thread.sleep(100);
            }
            assertThat(red).extracting(item -> item.get("sk")).containsExactlyInAnyOrder(n("0"), n("1"), n("2"), n("4"));
        }
    }

    private static AttributeValue s(String value) { return AttributeValue.fromS(value); }

    private static AttributeValue n(String value) { return AttributeValue.fromN(value); }

    private static boolean reachable() {
        try (Socket socket = new Socket()) {
            socket.connect(NODE, 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

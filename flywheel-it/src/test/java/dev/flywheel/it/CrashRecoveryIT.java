package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsRequest;
import software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * Durability: every write acknowledged to a client survives {@code kill -9} of the server, with exactly
 * one stream record each, and a clean stop (SIGTERM) keeps everything too.
 */
@Tag("slow")
class CrashRecoveryIT {
    private static final int WRITERS = 4;
    private static final int WRITES_BEFORE_KILL = 150;

    @Test
    void acknowledgedWritesSurviveKill9(@TempDir Path dataDir) throws Exception {
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        String table = "crash";
        try (ServerProcess server = ServerProcess.jar(dataDir)) {
            try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                ddb.createTable(TablesIT.hashAndRange(table)
                        .streamSpecification(st -> st.streamEnabled(true).streamViewType(StreamViewType.KEYS_ONLY)).build());
            }
            CountDownLatch enoughWritten = new CountDownLatch(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                String writer = "w" + w;
                writers.add(pool.submit(() -> {
                    try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                        for (int i = 0; ; i++) {
                            String sk = Integer.toString(i);
                            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(writer),
                                    "sk", AttributeValue.fromN(sk), "payload", AttributeValue.fromS("x".repeat(200)))));
                            acknowledged.add(writer + "/" + sk);
                            if (i == WRITES_BEFORE_KILL) enoughWritten.countDown();
                        }
                    } catch (RuntimeException expected) {
                        // the server was killed under us: stop writing
                    }
                    return null;
                }));
            }
            enoughWritten.await();
            server.kill();
            for (Future<?> f : writers) f.get();
            pool.shutdown();
        }
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(WRITERS * WRITES_BEFORE_KILL);

        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient ddb = Clients.sync(restarted.endpoint())) {
            List<String> missing = new ArrayList<>();
            for (String key : acknowledged) {
                String[] parts = key.split("/");
                Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).consistentRead(true).key(Map.of(
                        "pk", AttributeValue.fromS(parts[0]), "sk", AttributeValue.fromN(parts[1])))).item();
                if (item == null || item.isEmpty()) missing.add(key);
            }
            assertThat(missing).as("acknowledged writes lost by kill -9").isEmpty();

            // Every acknowledged write has exactly one stream record; a write in flight at the kill has
            // one if it was applied, and never two.
            Map<String, Integer> recorded = new HashMap<>();
            try (DynamoDbStreamsClient streams = Clients.streams(restarted.endpoint())) {
                String arn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();
                for (Shard shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
                    String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                            .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
                    while (iterator != null) {
                        GetRecordsResponse page = streams.getRecords(GetRecordsRequest.builder().shardIterator(iterator).build());
                        for (var record : page.records()) {
                            Map<String, AttributeValue> keys = record.dynamodb().keys();
                            recorded.merge(keys.get("pk").s() + "/" + keys.get("sk").n(), 1, Integer::sum);
                        }
                        iterator = page.records().isEmpty() ? null : page.nextShardIterator();
                    }
                }
            }
            assertThat(recorded.keySet()).as("acknowledged writes without a stream record").containsAll(acknowledged);
            assertThat(recorded).as("writes recorded twice").allSatisfy((key, count) -> assertThat(count).isEqualTo(1));
        }
    }

    @Test
    void sigtermStopsCleanlyAndKeepsData(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.jar(dataDir, "--sync-writes")) {
            try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                ddb.createTable(TablesIT.hashAndRange("kept").build());
                ddb.putItem(b -> b.tableName("kept").item(Map.of("pk", AttributeValue.fromS("a"), "sk", AttributeValue.fromN("1"))));
            }
            assertThat(server.stop()).isEqualTo(143);
            assertThat(server.output()).contains("Flywheel stopped");
        }
        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient ddb = Clients.sync(restarted.endpoint())) {
            assertThat(ddb.listTables().tableNames()).containsExactly("kept");
            assertThat(ddb.getItem(b -> b.tableName("kept").key(Map.of("pk", AttributeValue.fromS("a"),
                    "sk", AttributeValue.fromN("1")))).item()).isNotEmpty();
        }
    }

    @Test
    void aSecondServerOnTheSameDataDirIsRefused(@TempDir Path dataDir) throws Exception {
        // On Cassandra any number of servers share the data (CassandraServersIT): only RocksDB is locked.
        org.junit.jupiter.api.Assumptions.assumeFalse(InProcessServer.ON_CASSANDRA, "RocksDB's lock");
        try (ServerProcess first = ServerProcess.jar(dataDir)) {
            IllegalStateException refused = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> ServerProcess.jar(dataDir).close());
            assertThat(refused.getMessage()).containsIgnoringCase("lock");
        }
    }
}

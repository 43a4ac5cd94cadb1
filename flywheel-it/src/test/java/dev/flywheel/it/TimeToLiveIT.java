package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * UpdateTimeToLive, DescribeTimeToLive and the deletion of expired items through the AWS SDK for Java v2,
 * against a server in this JVM (whose sweeper the tests run at once instead of waiting for its interval).
 */
class TimeToLiveIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static DynamoDbStreamsClient streams;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        streams = Clients.streams(server.endpoint());
    }

    @AfterAll
    static void stop() {
        streams.close();
        ddb.close();
        server.close();
    }

    @Test
    void aNewTableReportsTimeToLiveDisabledWithoutAnAttributeName() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name).build());

        TimeToLiveDescription ttl = ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();

        assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.DISABLED);
        assertThat(ttl.attributeName()).isNull();
    }

    @Test
    void aMissingTableIsResourceNotFoundNamingIt() {
        assertThatThrownBy(() -> ddb.describeTimeToLive(b -> b.tableName("no-such-ttl-table")))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Table: no-such-ttl-table not found");
    }

    static Map<String, AttributeValue> item(String pk, AttributeValue expires) {
        return expires == null ? Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("1"))
                : Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("1"), "expires", expires);
    }

    @Test
    void expiredItemsAreDeletedWithAServiceRemoveRecordAndTheOthersStay() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)).build());
        UpdateTimeToLiveResponse enabled = ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        assertThat(enabled.timeToLiveSpecification()).isEqualTo(
                TimeToLiveSpecification.builder().enabled(true).attributeName("expires").build());
        assertThat(ddb.describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription()).isEqualTo(
                TimeToLiveDescription.builder().timeToLiveStatus(TimeToLiveStatus.ENABLED).attributeName("expires").build());

        long now = Instant.now().getEpochSecond();
        Map<String, AttributeValue> expired = item("expired", AttributeValue.fromN(Long.toString(now - 60)));
        ddb.putItem(b -> b.tableName(name).item(expired));
        ddb.putItem(b -> b.tableName(name).item(item("fractional", AttributeValue.fromN((now - 60) + ".5"))));
        ddb.putItem(b -> b.tableName(name).item(item("future", AttributeValue.fromN(Long.toString(now + 3600)))));
        ddb.putItem(b -> b.tableName(name).item(item("ancient", AttributeValue.fromN(Long.toString(now - 6L * 365 * 86400)))));
        ddb.putItem(b -> b.tableName(name).item(item("string", AttributeValue.fromS(Long.toString(now - 60)))));
        ddb.putItem(b -> b.tableName(name).item(item("none", null)));

        server.sweepExpiredItems();

        List<String> left = ddb.scan(b -> b.tableName(name)).items().stream().map(i -> i.get("pk").s()).sorted().toList();
        assertThat(left).containsExactly("ancient", "future", "none", "string");
        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        String shard = streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards().getFirst().shardId();
        String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        List<Record> removes = streams.getRecords(b -> b.shardIterator(iterator)).records().stream()
                .filter(r -> r.eventName() == OperationType.REMOVE).toList();
        assertThat(removes).hasSize(2).allSatisfy(r -> {
            assertThat(r.userIdentity().type()).isEqualTo("Service");
            assertThat(r.userIdentity().principalId()).isEqualTo("dynamodb.amazonaws.com");
        });
        assertThat(removes).extracting(r -> r.dynamodb().oldImage()).contains(expired);
    }

    @Test
    @Tag("slow")
    void theServersOwnSweeperDeletesExpiredItemsWithinItsInterval(@TempDir Path dataDir) throws Exception {
        try (ServerProcess process = ServerProcess.jar(dataDir, "--ttl-interval-seconds", "1");
             DynamoDbClient client = Clients.sync(process.endpoint())) {
            String name = TablesIT.uniqueName("ttl");
            client.createTable(TablesIT.hashAndRange(name).build());
            client.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
            long now = Instant.now().getEpochSecond();
            client.putItem(b -> b.tableName(name).item(item("expired", AttributeValue.fromN(Long.toString(now - 1)))));
            client.putItem(b -> b.tableName(name).item(item("future", AttributeValue.fromN(Long.toString(now + 3600)))));

            // A bounded wait, not a timing assertion: a one-second sweeper has had thirty chances by then.
            Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
            List<String> left;
            do {
                Thread.sleep(200);
                left = client.scan(b -> b.tableName(name)).items().stream().map(i -> i.get("pk").s()).toList();
            } while (left.contains("expired") && Instant.now().isBefore(deadline));

            assertThat(left).as("items left after the sweeper's intervals").containsExactly("future");
        }
    }

    @Test
    void anExpiredItemLeavesItsGlobalIndexToo() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build(),
                        AttributeDefinition.builder().attributeName("g").attributeType(ScalarAttributeType.S).build())
                .globalSecondaryIndexes(i -> i.indexName("by-g").keySchema(k -> k.attributeName("g").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType(ProjectionType.KEYS_ONLY)))
                .build());
        ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long past = Instant.now().getEpochSecond() - 60;
        ddb.putItem(b -> b.tableName(name).item(Map.of("pk", AttributeValue.fromS("gone"), "sk", AttributeValue.fromN("1"),
                "g", AttributeValue.fromS("x"), "expires", AttributeValue.fromN(Long.toString(past)))));
        server.awaitIndexes();
        QueryRequest byG = QueryRequest.builder().tableName(name).indexName("by-g").keyConditionExpression("g = :g")
                .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("x"))).build();
        assertThat(ddb.query(byG).count()).isEqualTo(1);

        server.sweepExpiredItems();
        server.awaitIndexes();

        assertThat(ddb.query(byG).count()).isZero();
    }

    @Test
    void anItemWhoseExpiryMovedIntoTheFutureIsKept() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name).build());
        ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        long now = Instant.now().getEpochSecond();
        ddb.putItem(b -> b.tableName(name).item(item("renewed", AttributeValue.fromN(Long.toString(now - 60)))));
        ddb.putItem(b -> b.tableName(name).item(item("renewed", AttributeValue.fromN(Long.toString(now + 60)))));

        server.sweepExpiredItems();

        assertThat(ddb.scan(b -> b.tableName(name)).count()).isEqualTo(1);
    }

    @Test
    void updateTimeToLiveErrorsAreDynamoDbs() {
        String name = TablesIT.uniqueName("ttl");
        ddb.createTable(TablesIT.hashAndRange(name).build());
        assertThatThrownBy(() -> ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(false).attributeName("expires"))))
                .hasMessageStartingWith("TimeToLive is already disabled");
        ddb.updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(t -> t.enabled(true).attributeName("expires")));
        assertThatThrownBy(() -> ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires"))))
                .hasMessageStartingWith("TimeToLive is already enabled");
        assertThatThrownBy(() -> ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(false).attributeName("other"))))
                .hasMessageStartingWith("TimeToLive is active on a different AttributeName: current AttributeName is expires");
        // One change an hour: disabling right after enabling is refused.
        assertThatThrownBy(() -> ddb.updateTimeToLive(b -> b.tableName(name)
                .timeToLiveSpecification(t -> t.enabled(false).attributeName("expires"))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("Time to live has been modified multiple times within a fixed interval");
        assertThatThrownBy(() -> ddb.updateTimeToLive(b -> b.tableName("no-such-ttl-table")
                .timeToLiveSpecification(t -> t.enabled(true).attributeName("expires"))))
                .isInstanceOf(ResourceNotFoundException.class);
    }
}

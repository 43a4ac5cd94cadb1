package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.item.ItemVersions;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Put;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.TimeToLiveSpecification;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import dev.flywheel.model.shapes.UpdateTimeToLiveInput;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a region applies changes replicated from others: the newest version wins whatever the order of
 * arrival (ties by region name), a delete leaves a tombstone an older write cannot undo, replicated
 * changes are never sent on, and a local write always gets a version newer than what it replaces.
 */
class LastWriterWinsTest {
    private static final Map<String, AttributeValue> KEY = Map.of("pk", new AttributeValue.S("a"));

    private final TreeMapStorage storage = new TreeMapStorage();
    private final FlywheelEngine engine = new FlywheelEngine(storage,
            new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC()));

    LastWriterWinsTest() {
        // As a peer would make this region a member: no peers are configured, so nothing is sent anywhere.
        engine.putReplicaGroup(new ReplicaGroupInput(CreateTableInput.builder().tableName("things")
                .billingMode("PAY_PER_REQUEST").attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES")).build(),
                List.of(new ReplicaGroupInput.Replica("us-west-2", "ACTIVE"),
                        new ReplicaGroupInput.Replica("us-east-1", "CREATING"))));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    void apply(String value, long timestamp, String region) {
        Map<String, AttributeValue> item = value == null ? null : Map.of("pk", new AttributeValue.S("a"), "v", new AttributeValue.S(value));
        engine.applyChanges(new ApplyChangesInput("things", region, List.of(
                new ApplyChangesInput.Change(KEY, item, timestamp, region))));
    }

    String value() {
        Map<String, AttributeValue> item = engine.getItem(GetItemInput.builder().tableName("things").key(KEY).build()).item();
        return item == null ? null : ((AttributeValue.S) item.get("v")).value();
    }

    /** The table's replication log (its storage id is 1, the first allocated). */
    List<LogEntry> replicationLog() {
        TableDescription t = engine.describeTable(DescribeTableInput.builder().tableName("things").build()).table();
        assertThat(t.globalTableVersion()).isEqualTo("2019.11.21");
        return storage.readLog(ItemVersions.logName(1), 0, 100);
    }

    @Test
    void theNewestVersionWinsInAnyOrder() {
        apply("second", 200, "us-west-2");
        apply("first", 100, "us-west-2");
        assertThat(value()).isEqualTo("second");
        apply("second", 200, "us-west-2");  // a replay changes nothing
        assertThat(value()).isEqualTo("second");
    }

    @Test
    void equalTimestampsAreDecidedByRegionName() {
        apply("west", 200, "us-west-2");
        apply("central", 200, "eu-central-1");
        assertThat(value()).isEqualTo("west");
        apply("zz", 200, "zz-south-9");
        assertThat(value()).isEqualTo("zz");
    }

    @Test
    void aDeletionCannotBeUndoneByAnOlderWrite() {
        apply("kept", 100, "us-west-2");
        apply(null, 300, "us-west-2");
        apply("late", 200, "eu-west-1");
        assertThat(value()).isNull();
        apply("newer", 400, "eu-west-1");
        assertThat(value()).isEqualTo("newer");
    }

    @Test
    void aDeletionArrivingBeforeTheItemStillWins() {
        apply(null, 300, "us-west-2");
        apply("older", 200, "eu-west-1");
        assertThat(value()).isNull();
    }

    @Test
    void replicatedChangesAreNotSentOnButLocalOnesAre() {
        apply("replicated", 100, "us-west-2");
        assertThat(replicationLog()).isEmpty();
        engine.putItem(PutItemInput.builder().tableName("things")
                .item(Map.of("pk", new AttributeValue.S("a"), "v", new AttributeValue.S("local"))).build());
        assertThat(replicationLog()).hasSize(1);
    }

    @Test
    void aLocalWriteWinsOverAReplicatedOneFromAClockAhead() {
        long future = System.currentTimeMillis() + 3_600_000;
        apply("ahead", future, "us-west-2");
        engine.putItem(PutItemInput.builder().tableName("things")
                .item(Map.of("pk", new AttributeValue.S("a"), "v", new AttributeValue.S("local"))).build());
        ItemVersions.Record sent = ItemVersions.Record.decode(replicationLog().getFirst().payload());
        assertThat(sent.version().timestamp()).isGreaterThan(future);
        assertThat(sent.version().region()).isEqualTo("us-east-1");
        // What the other regions will do with it: it wins there too.
        apply("ahead", future, "us-west-2");
        assertThat(value()).isEqualTo("local");
    }

    /** A time to live deletion is a local write like any: it is sent to the other regions. */
    @Test
    void timeToLiveDeletionsAreReplicated() {
        engine.updateTimeToLive(UpdateTimeToLiveInput.builder().tableName("things")
                .timeToLiveSpecification(new TimeToLiveSpecification(true, "expires")).build());
        engine.putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", new AttributeValue.S("a"),
                "expires", new AttributeValue.N(Long.toString(System.currentTimeMillis() / 1000 - 60)))).build());
        engine.sweepExpiredItems();
        assertThat(value()).isNull();
        List<LogEntry> log = replicationLog();
        assertThat(log).hasSize(2);
        assertThat(ItemVersions.Record.decode(log.getLast().payload()).item()).as("the deletion").isNull();
    }

    /** A transaction replicates as its individual writes (as DynamoDB documents), one record each. */
    @Test
    void aTransactionIsSentAsItsWrites() {
        engine.transactWriteItems(TransactWriteItemsInput.builder().transactItems(List.of(
                TransactWriteItem.builder().put(Put.builder().tableName("things")
                        .item(Map.of("pk", new AttributeValue.S("a"), "v", new AttributeValue.S("one"))).build()).build(),
                TransactWriteItem.builder().put(Put.builder().tableName("things")
                        .item(Map.of("pk", new AttributeValue.S("b"), "v", new AttributeValue.S("two"))).build()).build()))
                .build());
        assertThat(replicationLog()).extracting(e -> ItemVersions.Record.decode(e.payload()).keyAttributes())
                .containsExactlyInAnyOrder(KEY, Map.of("pk", new AttributeValue.S("b")));
    }

    /** This region's stream shows the writes that landed here, replicated ones included. */
    @Test
    void replicatedWritesAreInThisRegionsStream() {
        apply("replicated", 100, "us-west-2");
        String arn = engine.describeTable(DescribeTableInput.builder().tableName("things").build()).table().latestStreamArn();
        var shard = engine.describeStream(dev.flywheel.model.streams.DescribeStreamInput.builder().streamArn(arn).build())
                .streamDescription().shards().getFirst();
        String iterator = engine.getShardIterator(dev.flywheel.model.streams.GetShardIteratorInput.builder().streamArn(arn)
                .shardId(shard.shardId()).shardIteratorType("TRIM_HORIZON").build()).shardIterator();
        var records = engine.getRecords(dev.flywheel.model.streams.GetRecordsInput.builder().shardIterator(iterator).build())
                .records();
        assertThat(records).singleElement().satisfies(r -> {
            assertThat(r.eventName()).isEqualTo("INSERT");
            assertThat(r.dynamodb().newImage()).containsEntry("v", new AttributeValue.S("replicated"));
        });
    }
}

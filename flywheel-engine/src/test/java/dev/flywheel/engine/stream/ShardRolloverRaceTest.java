package dev.flywheel.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.ListStreamsInput;
import dev.flywheel.model.streams.Shard;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TreeMapStorage;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A shard rolling over while GetRecords reads it: found with the Kinesis Client Library, which reads the
 * open shard while writes go on and shards roll over. Records written to the child after the rollover
 * must not also come back from the parent, or a reader following the lineage sees them twice.
 */
class ShardRolloverRaceTest {
    private final dev.flywheel.engine.MutableClock clock = new dev.flywheel.engine.MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final TreeMapStorage delegate = new TreeMapStorage();
    /** Run once, just before the storage's next log read: the moment between GetRecords finding the shard and reading it. */
    private volatile Runnable beforeNextLogRead;
    /** Run once, just after the storage's next log read: the moment between GetRecords reading and finding the shard's end. */
    private volatile Runnable afterNextLogRead;
    private final FlywheelEngine engine = new FlywheelEngine(hooked(delegate),
            new EngineConfig("us-east-1", "000000000000", "localhost", clock).withShardLifetime(Duration.ofHours(4)));

    private Storage hooked(Storage storage) {
        return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] {Storage.class},
                (proxy, method, args) -> {
                    Runnable hook = beforeNextLogRead;
                    if (hook != null && method.getName().equals("readLog")) {
                        beforeNextLogRead = null;
                        hook.run();
                    }
                    Object result;
                    try {
                        result = method.invoke(storage, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    Runnable after = afterNextLogRead;
                    if (after != null && method.getName().equals("readLog")) {
                        afterNextLogRead = null;
                        after.run();
                    }
                    return result;
                });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void put(String pk) {
        engine.putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", new AttributeValue.S(pk))).build());
    }

    private List<String> keys(GetRecordsOutput page) {
        List<String> keys = new ArrayList<>();
        page.records().forEach(r -> keys.add(((AttributeValue.S) r.dynamodb().keys().get("pk")).value()));
        return keys;
    }

    private GetRecordsOutput read(String arn, Shard shard) {
        String iterator = engine.getShardIterator(GetShardIteratorInput.builder().streamArn(arn).shardId(shard.shardId())
                .shardIteratorType("TRIM_HORIZON").build()).shardIterator();
        return engine.getRecords(GetRecordsInput.builder().shardIterator(iterator).build());
    }

    @Test
    void recordsWrittenToTheChildWhileTheParentIsReadAreNotReadFromTheParent() {
        engine.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "KEYS_ONLY")).build());
        String arn = engine.listStreams(ListStreamsInput.builder().build()).streams().getFirst().streamArn();
        put("a");
        Shard parent = engine.describeStream(DescribeStreamInput.builder().streamArn(arn).build())
                .streamDescription().shards().getFirst();
        String iterator = engine.getShardIterator(GetShardIteratorInput.builder().streamArn(arn)
                .shardId(parent.shardId()).shardIteratorType("TRIM_HORIZON").build()).shardIterator();

        beforeNextLogRead = () -> {
            clock.advance(Duration.ofHours(5));
            engine.maintainStreams();     // closes the parent after "a" and opens a child
            put("b");                     // a record of the child
        };
        GetRecordsOutput fromParent = engine.getRecords(GetRecordsInput.builder().shardIterator(iterator).build());

        assertThat(keys(fromParent)).containsExactly("a");
        assertThat(fromParent.nextShardIterator()).as("the parent, closed, is read to its end").isNull();
        List<Shard> shards = engine.describeStream(DescribeStreamInput.builder().streamArn(arn).build())
                .streamDescription().shards();
        assertThat(shards).hasSize(2);
        assertThat(keys(read(arn, shards.get(1)))).containsExactly("b");
    }

    @Test
    void aShardClosedJustAfterTheReadStillGivesTheRecordsTheReadMissed() {
        engine.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "KEYS_ONLY")).build());
        String arn = engine.listStreams(ListStreamsInput.builder().build()).streams().getFirst().streamArn();
        put("a");
        clock.advance(Duration.ofHours(5));   // the shard is old enough to roll over at the next maintenance
        Shard parent = engine.describeStream(DescribeStreamInput.builder().streamArn(arn).build())
                .streamDescription().shards().getFirst();
        String iterator = engine.getShardIterator(GetShardIteratorInput.builder().streamArn(arn)
                .shardId(parent.shardId()).shardIteratorType("TRIM_HORIZON").build()).shardIterator();

        afterNextLogRead = () -> {
            put("b");                     // the parent's, but written after the read
            engine.maintainStreams();     // closes the parent after "b"
        };
        GetRecordsOutput first = engine.getRecords(GetRecordsInput.builder().shardIterator(iterator).build());
        assertThat(keys(first)).containsExactly("a");
        assertThat(first.nextShardIterator()).as("the parent still holds b").isNotNull();

        GetRecordsOutput second = engine.getRecords(GetRecordsInput.builder().shardIterator(first.nextShardIterator()).build());
        assertThat(keys(second)).containsExactly("b");
        assertThat(second.nextShardIterator()).as("now read to its end").isNull();
    }
}

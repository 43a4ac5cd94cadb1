package dev.flywheel.engine.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.MutableClock;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
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
import dev.flywheel.model.streams.ShardFilter;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What time does to streams: shards roll over, records expire after 24 hours, iterators after 15 minutes. */
class StreamLifecycleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T12:00:00Z"));
    private final FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(),
            new EngineConfig("us-east-1", "000000000000", "localhost", clock).withShardLifetime(Duration.ofHours(4)));
    private final String arn;

    StreamLifecycleTest() {
        engine.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "KEYS_ONLY")).build());
        arn = engine.listStreams(ListStreamsInput.builder().build()).streams().getFirst().streamArn();
    }

    @AfterEach
    void close() {
        engine.close();
    }

    void put(String pk) {
        engine.putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", new AttributeValue.S(pk))).build());
    }

    List<Shard> shards() {
        return engine.describeStream(DescribeStreamInput.builder().streamArn(arn).build()).streamDescription().shards();
    }

    String iterator(Shard shard, String type) {
        return engine.getShardIterator(GetShardIteratorInput.builder().streamArn(arn).shardId(shard.shardId())
                .shardIteratorType(type).build()).shardIterator();
    }

    GetRecordsOutput read(String iterator) {
        return engine.getRecords(GetRecordsInput.builder().shardIterator(iterator).build());
    }

    List<String> keys(GetRecordsOutput page) {
        List<String> keys = new ArrayList<>();
        page.records().forEach(r -> keys.add(((AttributeValue.S) r.dynamodb().keys().get("pk")).value()));
        return keys;
    }

    @Test
    void anOldShardIsClosedAndAChildOpenedThatReadersFollow() {
        put("a");
        clock.advance(Duration.ofHours(5));
        engine.maintainStreams();
        put("b");

        List<Shard> shards = shards();
        assertThat(shards).hasSize(2);
        Shard parent = shards.get(0), child = shards.get(1);
        assertThat(child.parentShardId()).isEqualTo(parent.shardId());
        assertThat(parent.sequenceNumberRange().endingSequenceNumber()).isNotNull();
        assertThat(child.sequenceNumberRange().endingSequenceNumber()).isNull();
        GetRecordsOutput fromParent = read(iterator(parent, "TRIM_HORIZON"));
        assertThat(keys(fromParent)).containsExactly("a");
        assertThat(fromParent.nextShardIterator()).as("a closed shard read to its end").isNull();
        assertThat(keys(read(iterator(child, "TRIM_HORIZON")))).containsExactly("b");
        List<Shard> children = engine.describeStream(DescribeStreamInput.builder().streamArn(arn)
                .shardFilter(new ShardFilter("CHILD_SHARDS", parent.shardId())).build()).streamDescription().shards();
        assertThat(children).extracting(Shard::shardId).containsExactly(child.shardId());
    }

    @Test
    void anIdleShardStaysOpenAndATrimmedShardIsDroppedButNamedAsParent() {
        clock.advance(Duration.ofHours(5));
        engine.maintainStreams();
        assertThat(shards()).as("no record yet: nothing to close").hasSize(1);

        put("a");
        clock.advance(Duration.ofHours(5));
        engine.maintainStreams();
        put("b");
        String parentId = shards().getFirst().shardId();
        clock.advance(Duration.ofHours(20));
        engine.maintainStreams();

        List<Shard> shards = shards();
        assertThat(shards).extracting(Shard::shardId).doesNotContain(parentId);
        assertThat(shards.getFirst().parentShardId()).isEqualTo(parentId);
        assertThat(shards).extracting(Shard::shardId).isSorted();
    }

    @Test
    void recordsOlderThanADayAreTrimmed() {
        put("old");
        clock.advance(Duration.ofHours(23));
        put("recent");
        clock.advance(Duration.ofHours(2));
        engine.maintainStreams();

        Shard first = shards().getFirst();
        assertThat(keys(read(iterator(first, "TRIM_HORIZON")))).containsExactly("recent");
        assertThatThrownBy(() -> engine.getShardIterator(GetShardIteratorInput.builder().streamArn(arn)
                .shardId(first.shardId()).shardIteratorType("AT_SEQUENCE_NUMBER")
                .sequenceNumber(first.sequenceNumberRange().startingSequenceNumber()).build()))
                .isInstanceOf(DynamoDbException.TrimmedDataAccessException.class)
                .hasMessage("The data you are trying to access has been trimmed");
    }

    @Test
    void anIteratorBehindTheTrimPointFailsAsTrimmed() {
        put("old");
        clock.advance(Duration.ofHours(23).plusMinutes(50));
        String behind = iterator(shards().getFirst(), "TRIM_HORIZON");
        clock.advance(Duration.ofMinutes(11));
        engine.maintainStreams();

        assertThatThrownBy(() -> read(behind)).isInstanceOf(DynamoDbException.TrimmedDataAccessException.class);
    }

    @Test
    void anIteratorExpiresAfterFifteenMinutes() {
        put("a");
        String iterator = iterator(shards().getFirst(), "TRIM_HORIZON");
        clock.advance(Duration.ofMinutes(14));
        GetRecordsOutput page = read(iterator);
        assertThat(keys(page)).containsExactly("a");
        clock.advance(Duration.ofMinutes(2));

        assertThatThrownBy(() -> read(iterator))
                .isInstanceOf(DynamoDbException.ExpiredIteratorException.class)
                .hasMessage("The provided iterator exceeds the maximum age allowed.");
        assertThat(read(page.nextShardIterator()).records()).as("the next iterator is fresh").isEmpty();
    }

    @Test
    void aStreamDisabledForMoreThanADayIsForgotten() {
        put("a");
        engine.updateTable(dev.flywheel.model.shapes.UpdateTableInput.builder().tableName("things")
                .streamSpecification(new StreamSpecification(false, null)).build());
        clock.advance(Duration.ofHours(23));
        engine.maintainStreams();
        assertThat(engine.listStreams(ListStreamsInput.builder().build()).streams()).hasSize(1);
        clock.advance(Duration.ofHours(2));
        engine.maintainStreams();
        assertThat(engine.listStreams(ListStreamsInput.builder().build()).streams()).isEmpty();
    }
}

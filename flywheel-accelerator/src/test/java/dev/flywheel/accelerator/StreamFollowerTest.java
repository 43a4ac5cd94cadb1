package dev.flywheel.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.DescribeTableOutput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GetItemOutput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.DescribeStreamOutput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.GetShardIteratorOutput;
import dev.flywheel.model.streams.Record;
import dev.flywheel.model.streams.SequenceNumberRange;
import dev.flywheel.model.streams.Shard;
import dev.flywheel.model.streams.StreamDescription;
import dev.flywheel.model.streams.StreamRecord;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stream follower's shard handling, against a scripted streams API: records drop their items, the
 * children of an ended shard are read from their start, an expired iterator drops the whole table.
 * The follower runs on its own thread, so each check waits (boundedly) for the change to show.
 */
class StreamFollowerTest {
    private final FakeTable target = new FakeTable();
    private final FakeStreams streams = new FakeStreams();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Accelerator accelerator = new Accelerator(target, streams, AcceleratorConfig.defaults(),
            registry, new FakeTicker(), Clock.systemUTC());

    @AfterEach
    void close() {
        accelerator.close();
    }

    private String read(String pk) {
        GetItemOutput answer = accelerator.api().getItem(GetItemInput.builder().tableName("t").key(FakeTable.key(pk)).build());
        return answer.item() == null ? null : ((AttributeValue.S) answer.item().get("v")).value();
    }

    private void awaitRead(String pk, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!expected.equals(read(pk))) {
            assertThat(System.nanoTime()).as("%s never read as %s", pk, expected).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void aRecordDropsItsItem() throws InterruptedException {
        target.put("a", "one");
        assertThat(read("a")).isEqualTo("one");
        target.put("a", "two");
        assertThat(read("a")).isEqualTo("one"); // cached

        streams.append("shard-0", "a");
        awaitRead("a", "two");
    }

    @Test
    void aRecordOfWhatTheEntryAlreadyHoldsKeepsIt() throws InterruptedException {
        target.put("a", "one");
        target.put("b", "one");
        assertThat(read("a")).isEqualTo("one");
        assertThat(read("b")).isEqualTo("one");
        target.put("b", "two");

        streams.append("shard-0", "a", Map.of("pk", AttributeValue.s("a"), "v", AttributeValue.s("one")));
        streams.append("shard-0", "b", Map.of("pk", AttributeValue.s("b"), "v", AttributeValue.s("two")));
        awaitRead("b", "two"); // records are read in order: a's was read before
        double misses = registry.get("accelerator.cache.misses").tag("cache", "item").counter().count();
        assertThat(read("a")).isEqualTo("one");
        assertThat(registry.get("accelerator.cache.misses").tag("cache", "item").counter().count()).isEqualTo(misses);
    }

    @Test
    void theChildrenOfAnEndedShardAreReadFromTheirStart() throws InterruptedException {
        target.put("a", "one");
        assertThat(read("a")).isEqualTo("one");
        // The shard ends and its child already holds a write when the follower first sees it.
        streams.addShard("shard-1", "shard-0");
        target.put("a", "two");
        streams.append("shard-1", "a");
        streams.end("shard-0");

        awaitRead("a", "two");
    }

    @Test
    void anExpiredIteratorDropsTheWholeTable() throws InterruptedException {
        target.put("a", "one");
        target.put("b", "one");
        assertThat(read("a")).isEqualTo("one");
        assertThat(read("b")).isEqualTo("one");
        target.put("a", "two");
        target.put("b", "two");

        streams.expireNextRead("shard-0");
        awaitRead("a", "two");
        assertThat(read("b")).isEqualTo("two");
    }

    /** One table "t" (key pk) with a stream, its items in a map. */
    static final class FakeTable implements DynamoDbApi {
        private final Map<String, String> values = new ConcurrentHashMap<>();

        static Map<String, AttributeValue> key(String pk) {
            return Map.of("pk", AttributeValue.s(pk));
        }

        void put(String pk, String value) {
            values.put(pk, value);
        }

        @Override
        public DescribeTableOutput describeTable(DescribeTableInput request) {
            return DescribeTableOutput.builder().table(TableDescription.builder().tableName("t")
                    .keySchema(List.of(KeySchemaElement.builder().attributeName("pk").keyType("HASH").build()))
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType("KEYS_ONLY").build())
                    .latestStreamArn("arn:stream").build()).build();
        }

        @Override
        public GetItemOutput getItem(GetItemInput request) {
            String pk = ((AttributeValue.S) request.key().get("pk")).value();
            String value = values.get(pk);
            return new GetItemOutput(value == null ? null : Map.of("pk", AttributeValue.s(pk), "v", AttributeValue.s(value)), null);
        }
    }

    /** A stream whose shards a test writes to, ends and breaks; iterators are "shard:position". */
    static final class FakeStreams implements DynamoDbStreamsApi {
        private record ShardState(String parent, List<Record> records, boolean ended, boolean expireNext) {}

        private final Map<String, ShardState> shards = new LinkedHashMap<>();

        FakeStreams() {
            shards.put("shard-0", new ShardState(null, List.of(), false, false));
        }

        synchronized void addShard(String id, String parent) {
            shards.put(id, new ShardState(parent, List.of(), false, false));
        }

        synchronized void append(String shard, String pk) {
            append(shard, pk, null);
        }

        synchronized void append(String shard, String pk, Map<String, AttributeValue> newImage) {
            ShardState s = shards.get(shard);
            List<Record> records = new ArrayList<>(s.records());
            records.add(Record.builder().eventName("MODIFY").dynamodb(StreamRecord.builder()
                    .keys(FakeTable.key(pk)).newImage(newImage).approximateCreationDateTime(Instant.now()).build()).build());
            shards.put(shard, new ShardState(s.parent(), records, s.ended(), s.expireNext()));
        }

        synchronized void end(String shard) {
            ShardState s = shards.get(shard);
            shards.put(shard, new ShardState(s.parent(), s.records(), true, s.expireNext()));
        }

        synchronized void expireNextRead(String shard) {
            ShardState s = shards.get(shard);
            shards.put(shard, new ShardState(s.parent(), s.records(), s.ended(), true));
        }

        @Override
        public synchronized DescribeStreamOutput describeStream(DescribeStreamInput request) {
            List<Shard> list = new ArrayList<>();
            shards.forEach((id, s) -> list.add(Shard.builder().shardId(id).parentShardId(s.parent())
                    .sequenceNumberRange(SequenceNumberRange.builder().startingSequenceNumber("1")
                            .endingSequenceNumber(s.ended() ? "9" : null).build()).build()));
            return DescribeStreamOutput.builder().streamDescription(StreamDescription.builder()
                    .streamArn(request.streamArn()).shards(list).build()).build();
        }

        @Override
        public synchronized GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
            ShardState s = shards.get(request.shardId());
            int position = "LATEST".equals(request.shardIteratorType()) ? s.records().size() : 0;
            return GetShardIteratorOutput.builder().shardIterator(request.shardId() + ":" + position).build();
        }

        @Override
        public synchronized GetRecordsOutput getRecords(GetRecordsInput request) {
            String[] iterator = request.shardIterator().split(":");
            ShardState s = shards.get(iterator[0]);
            if (s.expireNext()) {
                shards.put(iterator[0], new ShardState(s.parent(), s.records(), s.ended(), false));
                throw new DynamoDbException.ExpiredIteratorException("Iterator expired");
            }
            int position = Integer.parseInt(iterator[1]);
            List<Record> records = s.records().subList(position, s.records().size());
            String next = s.ended() ? null : iterator[0] + ":" + s.records().size();
            return GetRecordsOutput.builder().records(List.copyOf(records)).nextShardIterator(next).build();
        }
    }
}

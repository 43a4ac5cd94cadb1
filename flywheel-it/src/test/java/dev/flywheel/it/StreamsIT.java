package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/** DynamoDB Streams through the AWS SDK for Java v2's DynamoDbStreamsClient, against a server in this JVM. */
class StreamsIT {
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

    static String tableWithStream(StreamViewType viewType) {
        String name = TablesIT.uniqueName("streams");
        ddb.createTable(TablesIT.hashAndRange(name)
                .streamSpecification(s -> s.streamEnabled(true).streamViewType(viewType)).build());
        return name;
    }

    static Map<String, AttributeValue> item(String pk, int sk, String value) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)),
                "v", AttributeValue.fromS(value));
    }

    static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    static String onlyShard(String streamArn) {
        List<Shard> shards = streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
        assertThat(shards).hasSize(1);
        return shards.getFirst().shardId();
    }

    /** Every record from {@code iterator} on, reading until a page comes back empty or the shard ends. */
    static List<Record> readAll(String iterator) {
        List<Record> records = new ArrayList<>();
        while (iterator != null) {
            GetRecordsResponse page = streams.getRecords(GetRecordsRequest.builder().shardIterator(iterator).build());
            records.addAll(page.records());
            if (page.records().isEmpty()) break;
            iterator = page.nextShardIterator();
        }
        return records;
    }

    static String trimHorizon(String streamArn, String shardId) {
        return streams.getShardIterator(b -> b.streamArn(streamArn).shardId(shardId)
                .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
    }

    @Test
    void describeTableAndListStreamsNameTheStream() {
        String name = tableWithStream(StreamViewType.NEW_AND_OLD_IMAGES);
        TableDescription table = ddb.describeTable(b -> b.tableName(name)).table();

        assertThat(table.streamSpecification().streamEnabled()).isTrue();
        assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(table.latestStreamLabel()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
        assertThat(table.latestStreamArn()).isEqualTo(table.tableArn() + "/stream/" + table.latestStreamLabel());

        var listed = streams.listStreams(b -> b.tableName(name)).streams();
        assertThat(listed).singleElement().satisfies(s -> {
            assertThat(s.streamArn()).isEqualTo(table.latestStreamArn());
            assertThat(s.tableName()).isEqualTo(name);
            assertThat(s.streamLabel()).isEqualTo(table.latestStreamLabel());
        });
        StreamDescription description = streams.describeStream(b -> b.streamArn(table.latestStreamArn())).streamDescription();
        assertThat(description.streamStatus()).isEqualTo(StreamStatus.ENABLED);
        assertThat(description.streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(description.tableName()).isEqualTo(name);
        assertThat(description.keySchema()).extracting(k -> k.attributeName() + "/" + k.keyType())
                .containsExactly("pk/HASH", "sk/RANGE");
        assertThat(description.shards()).singleElement().satisfies(shard -> {
            assertThat(shard.shardId()).matches("shardId-\\d{20}-[0-9a-f]{8}");
            assertThat(shard.parentShardId()).isNull();
            assertThat(shard.sequenceNumberRange().startingSequenceNumber()).matches("\\d{21,40}");
            assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNull();
        });
    }

    @Test
    void eachChangeIsOneRecordInOrderAndWritesThatChangeNothingAreNotRecorded() {
        String name = tableWithStream(StreamViewType.NEW_AND_OLD_IMAGES);
        ddb.putItem(b -> b.tableName(name).item(item("a", 1, "first")));
        ddb.putItem(b -> b.tableName(name).item(item("a", 1, "first")));          // identical: no record
        ddb.updateItem(b -> b.tableName(name).key(key("a", 1))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("second"))));
        ddb.updateItem(b -> b.tableName(name).key(key("a", 1))                    // changes nothing: no record
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS("second"))));
        ddb.deleteItem(b -> b.tableName(name).key(key("a", 1)));
        ddb.deleteItem(b -> b.tableName(name).key(key("a", 1)));                  // nothing to delete: no record

        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        List<Record> records = readAll(trimHorizon(arn, onlyShard(arn)));

        assertThat(records).extracting(r -> r.eventName().toString()).containsExactly("INSERT", "MODIFY", "REMOVE");
        Record insert = records.get(0), modify = records.get(1), remove = records.get(2);
        assertThat(insert.dynamodb().keys()).isEqualTo(key("a", 1));
        assertThat(insert.dynamodb().newImage()).isEqualTo(item("a", 1, "first"));
        assertThat(insert.dynamodb().oldImage()).isEmpty();
        assertThat(modify.dynamodb().oldImage()).isEqualTo(item("a", 1, "first"));
        assertThat(modify.dynamodb().newImage()).isEqualTo(item("a", 1, "second"));
        assertThat(remove.dynamodb().oldImage()).isEqualTo(item("a", 1, "second"));
        assertThat(remove.dynamodb().newImage()).isEmpty();
        // Keys pk(2)+"a"(1), sk(2)+1(2) = 7; the image adds v(1)+"first"(5) = 13.
        assertThat(insert.dynamodb().sizeBytes()).isEqualTo(7 + 13);
        assertThat(modify.dynamodb().sizeBytes()).isEqualTo(7 + 13 + 14);
        for (Record r : records) {
            assertThat(r.eventSource()).isEqualTo("aws:dynamodb");
            assertThat(r.eventVersion()).isEqualTo("1.1");
            assertThat(r.awsRegion()).isEqualTo("us-east-1");
            assertThat(r.eventID()).matches("[0-9a-f]{32}");
            assertThat(r.userIdentity()).isNull();
            assertThat(r.dynamodb().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
            assertThat(r.dynamodb().approximateCreationDateTime()).isNotNull();
        }
        assertThat(records).extracting(r -> new BigInteger(r.dynamodb().sequenceNumber())).isSorted();
        assertThat(records).extracting(Record::eventID).doesNotHaveDuplicates();
    }

    @Test
    void aTransactionsWritesAppearAsTheirOwnRecords() {
        String name = tableWithStream(StreamViewType.NEW_IMAGE);
        ddb.putItem(b -> b.tableName(name).item(item("t", 3, "doomed")));
        ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(name).item(item("t", 1, "one"))).build(),
                TransactWriteItem.builder().update(u -> u.tableName(name).key(key("t", 2)).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", AttributeValue.fromS("two")))).build(),
                TransactWriteItem.builder().delete(d -> d.tableName(name).key(key("t", 3))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(name).key(key("t", 4))
                        .conditionExpression("attribute_not_exists(pk)")).build()));

        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        List<Record> records = readAll(trimHorizon(arn, onlyShard(arn)));

        assertThat(records).extracting(r -> r.eventName() + " " + r.dynamodb().keys().get("sk").n())
                .containsExactlyInAnyOrder("INSERT 3", "INSERT 1", "INSERT 2", "REMOVE 3");
        assertThat(records.getFirst().eventName()).isEqualTo(OperationType.INSERT);
    }

    @Test
    void aKeysOnlyStreamHasNoImagesAndANewImageStreamNoOldImage() {
        String keysOnly = tableWithStream(StreamViewType.KEYS_ONLY);
        String newImage = tableWithStream(StreamViewType.NEW_IMAGE);
        for (String name : List.of(keysOnly, newImage)) {
            ddb.putItem(b -> b.tableName(name).item(item("k", 1, "x")));
            ddb.putItem(b -> b.tableName(name).item(item("k", 1, "y")));
        }
        String keysArn = ddb.describeTable(b -> b.tableName(keysOnly)).table().latestStreamArn();
        List<Record> keys = readAll(trimHorizon(keysArn, onlyShard(keysArn)));
        assertThat(keys).hasSize(2).allSatisfy(r -> {
            assertThat(r.dynamodb().keys()).isEqualTo(key("k", 1));
            assertThat(r.dynamodb().hasNewImage()).isFalse();
            assertThat(r.dynamodb().hasOldImage()).isFalse();
        });
        String newArn = ddb.describeTable(b -> b.tableName(newImage)).table().latestStreamArn();
        List<Record> news = readAll(trimHorizon(newArn, onlyShard(newArn)));
        assertThat(news).extracting(r -> r.dynamodb().newImage().get("v").s()).containsExactly("x", "y");
        assertThat(news).allSatisfy(r -> assertThat(r.dynamodb().hasOldImage()).isFalse());
    }

    @Test
    void iteratorsStartWhereTheirTypeSays() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        for (int i = 1; i <= 3; i++) {
            int sk = i;
            ddb.putItem(b -> b.tableName(name).item(item("p", sk, "v")));
        }
        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        String shard = onlyShard(arn);
        List<Record> all = readAll(trimHorizon(arn, shard));
        assertThat(all).hasSize(3);
        String second = all.get(1).dynamodb().sequenceNumber();

        List<Record> at = readAll(streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AT_SEQUENCE_NUMBER).sequenceNumber(second)).shardIterator());
        List<Record> after = readAll(streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.AFTER_SEQUENCE_NUMBER).sequenceNumber(second)).shardIterator());
        String latest = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard)
                .shardIteratorType(ShardIteratorType.LATEST)).shardIterator();
        GetRecordsResponse nothingYet = streams.getRecords(b -> b.shardIterator(latest));
        ddb.putItem(b -> b.tableName(name).item(item("p", 4, "v")));
        List<Record> afterLatest = readAll(nothingYet.nextShardIterator());

        assertThat(at).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("2", "3");
        assertThat(after).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("3");
        assertThat(nothingYet.records()).isEmpty();
        assertThat(nothingYet.nextShardIterator()).isNotNull();
        assertThat(afterLatest).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("4");
    }

    @Test
    void getRecordsHonoursItsLimitAndContinuesFromTheNextIterator() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        for (int i = 0; i < 5; i++) {
            int sk = i;
            ddb.putItem(b -> b.tableName(name).item(item("p", sk, "v")));
        }
        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        GetRecordsResponse first = streams.getRecords(b -> b.shardIterator(trimHorizon(arn, onlyShard(arn))).limit(2));
        GetRecordsResponse second = streams.getRecords(b -> b.shardIterator(first.nextShardIterator()).limit(2));

        assertThat(first.records()).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("0", "1");
        assertThat(second.records()).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("2", "3");
    }

    @Test
    void disablingClosesTheShardKeepsItReadableAndReEnablingMakesANewStream() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        ddb.putItem(b -> b.tableName(name).item(item("d", 1, "v")));
        String oldArn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();

        UpdateTableResponse disabled = ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
        ddb.putItem(b -> b.tableName(name).item(item("d", 2, "v")));   // not recorded: the stream is off

        assertThat(disabled.tableDescription().tableStatus()).isEqualTo(TableStatus.UPDATING);
        TableDescription table = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(table.streamSpecification()).isNull();
        assertThat(table.latestStreamArn()).isEqualTo(oldArn);
        StreamDescription description = streams.describeStream(b -> b.streamArn(oldArn)).streamDescription();
        assertThat(description.streamStatus()).isEqualTo(StreamStatus.DISABLED);
        Shard shard = description.shards().getFirst();
        assertThat(shard.sequenceNumberRange().endingSequenceNumber()).isNotNull();
        GetRecordsResponse page = streams.getRecords(b -> b.shardIterator(trimHorizon(oldArn, shard.shardId())));
        assertThat(page.records()).extracting(r -> r.dynamodb().keys().get("sk").n()).containsExactly("1");
        assertThat(page.nextShardIterator()).isNull();

        ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.NEW_IMAGE)));
        String newArn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        assertThat(newArn).isNotEqualTo(oldArn);
        assertThat(streams.listStreams(b -> b.tableName(name)).streams()).extracting(s -> s.streamArn())
                .containsExactly(oldArn, newArn);
    }

    @Test
    void aDeletedTablesStreamStaysListedAndReadable() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        ddb.putItem(b -> b.tableName(name).item(item("x", 1, "v")));
        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();

        ddb.deleteTable(b -> b.tableName(name));

        assertThat(streams.describeStream(b -> b.streamArn(arn)).streamDescription().streamStatus())
                .isEqualTo(StreamStatus.DISABLED);
        assertThat(readAll(trimHorizon(arn, onlyShard(arn)))).hasSize(1);
    }

    @Test
    void streamSpecificationErrorsAreDynamoDbs() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true)
                .streamViewType(StreamViewType.NEW_IMAGE))))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("Table already has an enabled stream: TableName: " + name);
        ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false)));
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(false))))
                .hasMessageStartingWith("Table has no stream to disable: TableName: " + name);
        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).streamSpecification(s -> s.streamEnabled(true))))
                .hasMessageStartingWith("One or more parameter values were invalid: If stream is being enabled then"
                        + " UpdateViewType is required");
        assertThatThrownBy(() -> ddb.createTable(TablesIT.hashAndRange(TablesIT.uniqueName("streams"))
                .streamSpecification(s -> s.streamEnabled(true)).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Table is being created with a stream"
                        + " enabled, UpdateViewType is required");
    }

    @Test
    void streamsOperationErrorsAreDynamoDbs() {
        String name = tableWithStream(StreamViewType.KEYS_ONLY);
        String arn = ddb.describeTable(b -> b.tableName(name)).table().latestStreamArn();
        assertThatThrownBy(() -> streams.describeStream(b -> b.streamArn("not-an-arn-but-long-enough-for-the-model-37")))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("Invalid StreamArn");
        String missing = arn.substring(0, arn.lastIndexOf('/') + 1) + "2000-01-01T00:00:00.000";
        assertThatThrownBy(() -> streams.describeStream(b -> b.streamArn(missing)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Stream: " + missing + " not found");
        assertThatThrownBy(() -> streams.getShardIterator(b -> b.streamArn(arn)
                .shardId("shardId-00000000000000000000-00000000").shardIteratorType(ShardIteratorType.LATEST)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Shard does not exist");
        String other = ddb.describeTable(b -> b.tableName(tableWithStream(StreamViewType.KEYS_ONLY))).table().latestStreamArn();
        String iterator = trimHorizon(arn, onlyShard(arn));
        String relabelled = other + iterator.substring(arn.length());
        assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator(relabelled)))
                .as("an iterator whose ARN is another stream's (access policies read the ARN)")
                .isInstanceOf(DynamoDbException.class);
        assertThatThrownBy(() -> streams.getRecords(b -> b.shardIterator("garbage")))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
    }
}

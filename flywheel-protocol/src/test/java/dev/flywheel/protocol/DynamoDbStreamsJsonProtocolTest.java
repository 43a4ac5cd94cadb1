package dev.flywheel.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.GetShardIteratorOutput;
import dev.flywheel.model.streams.Record;
import dev.flywheel.model.streams.StreamRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DynamoDbStreamsJsonProtocolTest {
    private static final String STREAM_ARN =
            "arn:aws:dynamodb:us-east-1:000000000000:table/Music/stream/2024-01-01T00:00:00.000";
    private static final String SHARD_ID = "shardId-00000001700000000000-abcdef12";

    private final DynamoDbStreamsJsonProtocol protocol = new DynamoDbStreamsJsonProtocol();

    private String invoke(DynamoDbStreamsApi api, String operation, String json) {
        byte[] body = json.getBytes(UTF_8);
        return new String(protocol.invoke(api, operation, body, 0, body.length), UTF_8);
    }

    @Test
    void getShardIterator() {
        AtomicReference<GetShardIteratorInput> seen = new AtomicReference<>();
        DynamoDbStreamsApi api = new DynamoDbStreamsApi() {
            @Override public GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
                seen.set(request);
                return new GetShardIteratorOutput("iterator-1");
            }
        };

        String response = invoke(api, "GetShardIterator", "{\"StreamArn\":\"" + STREAM_ARN + "\",\"ShardId\":\""
                + SHARD_ID + "\",\"ShardIteratorType\":\"TRIM_HORIZON\"}");

        assertThat(seen.get()).isEqualTo(new GetShardIteratorInput(STREAM_ARN, SHARD_ID, "TRIM_HORIZON", null));
        assertThat(response).isEqualTo("{\"ShardIterator\":\"iterator-1\"}");
    }

    @Test
    void getRecordsWritesRecordsWithTheirLowerCaseMembers() {
        DynamoDbStreamsApi api = new DynamoDbStreamsApi() {
            @Override public GetRecordsOutput getRecords(GetRecordsInput request) {
                StreamRecord change = StreamRecord.builder()
                        .approximateCreationDateTime(Instant.ofEpochSecond(1_700_000_000L))
                        .keys(Map.of("pk", AttributeValue.s("a")))
                        .newImage(Map.of("pk", AttributeValue.s("a")))
                        .sequenceNumber("100000000000000000001").sizeBytes(12L).streamViewType("NEW_IMAGE")
                        .build();
                Record record = Record.builder().eventID("e1").eventName("INSERT").eventVersion("1.1")
                        .eventSource("aws:dynamodb").awsRegion("us-east-1").dynamodb(change).build();
                return new GetRecordsOutput(List.of(record), "iterator-2");
            }
        };

        String response = invoke(api, "GetRecords", "{\"ShardIterator\":\"iterator-1\",\"Limit\":100}");

        assertThat(response).isEqualTo("{\"Records\":[{\"eventID\":\"e1\",\"eventName\":\"INSERT\","
                + "\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\","
                + "\"dynamodb\":{\"ApproximateCreationDateTime\":1700000000,\"Keys\":{\"pk\":{\"S\":\"a\"}},"
                + "\"NewImage\":{\"pk\":{\"S\":\"a\"}},\"SequenceNumber\":\"100000000000000000001\","
                + "\"SizeBytes\":12,\"StreamViewType\":\"NEW_IMAGE\"}}],\"NextShardIterator\":\"iterator-2\"}");
    }

    @Test
    void validatesAgainstTheStreamsModel() {
        assertThatThrownBy(() -> invoke(new DynamoDbStreamsApi() { }, "GetShardIterator",
                "{\"StreamArn\":\"" + STREAM_ARN + "\",\"ShardId\":\"short\",\"ShardIteratorType\":\"OLDEST\"}"))
                .isInstanceOf(DynamoDbException.ValidationException.class)
                .hasMessage("2 validation errors detected: "
                        + "Value 'short' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28; "
                        + "Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]");
    }

    @Test
    void aDynamoDbOperationIsUnknownHere() {
        assertThatThrownBy(() -> invoke(new DynamoDbStreamsApi() { }, "GetItem", "{}"))
                .isInstanceOf(DynamoDbException.UnknownOperationException.class);
    }

    @Test
    void streamsErrorsRenderLikeDynamoDbs() {
        assertThat(new String(new DynamoDbJsonProtocol().renderError(
                new DynamoDbException.ExpiredIteratorException("Iterator expired")), UTF_8))
                .isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException\","
                        + "\"message\":\"Iterator expired\"}");
    }
}

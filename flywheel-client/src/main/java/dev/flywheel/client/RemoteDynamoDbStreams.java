package dev.flywheel.client;

import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.streams.*;
import dev.flywheel.protocol.json.DynamoDbStreamsOperations;
import dev.flywheel.protocol.json.Operation;
import java.time.Clock;

/**
 * DynamoDB Streams' API answered by a remote endpoint ({@code X-Amz-Target: DynamoDBStreams_20120810.*}),
 * as {@link RemoteDynamoDb} does for DynamoDB's. Thread-safe.
 */
public final class RemoteDynamoDbStreams implements DynamoDbStreamsApi {
    private final RemoteEndpoint endpoint;

    public RemoteDynamoDbStreams(Target target) {
        this(target, Clock.systemUTC());
    }

    RemoteDynamoDbStreams(Target target, Clock clock) {
        this.endpoint = new RemoteEndpoint(target.streamsEndpoint(), "DynamoDBStreams_20120810", target.signer(),
                target.connectTimeout(), target.requestTimeout(), clock);
    }

    @SuppressWarnings("unchecked")
    private <I, O> O call(String operation, I request) {
        Operation<DynamoDbStreamsApi, I, O> op =
                (Operation<DynamoDbStreamsApi, I, O>) DynamoDbStreamsOperations.named(operation);
        byte[] answer = endpoint.post(operation, op.writeInput(request));
        return op.readOutput(answer, 0, answer.length);
    }

    @Override
    public DescribeStreamOutput describeStream(DescribeStreamInput request) {
        return call("DescribeStream", request);
    }

    @Override
    public GetRecordsOutput getRecords(GetRecordsInput request) {
        return call("GetRecords", request);
    }

    @Override
    public GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
        return call("GetShardIterator", request);
    }

    @Override
    public ListStreamsOutput listStreams(ListStreamsInput request) {
        return call("ListStreams", request);
    }
}

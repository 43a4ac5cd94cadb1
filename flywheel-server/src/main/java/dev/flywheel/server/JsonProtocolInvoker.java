package dev.flywheel.server;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.protocol.DynamoDbJsonProtocol;
import dev.flywheel.protocol.DynamoDbStreamsJsonProtocol;
import dev.flywheel.protocol.ReplicationJsonProtocol;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.server.access.AccessControl;

/**
 * Production's {@link RequestInvoker}: DynamoDB's JSON protocol over a {@link DynamoDbApi}, and DynamoDB
 * Streams' over the same object when it is a {@link DynamoDbStreamsApi} too (the engine is), each call
 * checked against the caller's access policies when the server has any; and Flywheel's replication API
 * between regions when the object is a {@link ReplicationApi} too. Thread-safe.
 */
final class JsonProtocolInvoker implements RequestInvoker {
    private final DynamoDbJsonProtocol protocol = new DynamoDbJsonProtocol();
    private final DynamoDbStreamsJsonProtocol streamsProtocol = new DynamoDbStreamsJsonProtocol();
    private final DynamoDbApi api;
    private final DynamoDbStreamsApi streams;
    private final ReplicationJsonProtocol replicationProtocol = new ReplicationJsonProtocol();
    private final ReplicationApi replication;
    private final AccessControl accessControl;

    /** {@code accessControl} null: every caller may do everything. */
    JsonProtocolInvoker(DynamoDbApi api, AccessControl accessControl) {
        this.api = api;
        this.streams = api instanceof DynamoDbStreamsApi s ? s : null;
        this.replication = api instanceof ReplicationApi r ? r : null;
        this.accessControl = accessControl;
    }

    @Override
    public byte[] invoke(Target target, String caller, byte[] body, int offset, int length) {
        return switch (target.service()) {
            case DYNAMODB -> protocol.invoke(dynamoDbFor(caller), target.operation(), body, offset, length);
            case DYNAMODB_STREAMS -> {
                if (streams == null) throw new UnknownOperationException(null);
                yield streamsProtocol.invoke(streamsFor(caller), target.operation(), body, offset, length);
            }
            case FLYWHEEL_REPLICATION -> {
                if (replication == null) throw new UnknownOperationException(null);
                // With policies, a peer's principal needs dynamodb:ApplyChanges, dynamodb:PutReplicaGroup
                // and dynamodb:SettledTombstones.
                ReplicationApi guarded = accessControl == null ? replication
                        : accessControl.guard(ReplicationApi.class, replication, caller);
                yield replicationProtocol.invoke(guarded, target.operation(), body, offset, length);
            }
        };
    }

    @Override
    public byte[] renderError(DynamoDbException error) {
        return protocol.renderError(error);
    }

    private DynamoDbStreamsApi streamsFor(String caller) {
        return accessControl == null ? streams : accessControl.guard(DynamoDbStreamsApi.class, streams, caller);
    }

    private DynamoDbApi dynamoDbFor(String caller) {
        return accessControl == null ? api : accessControl.guard(DynamoDbApi.class, api, caller);
    }
}

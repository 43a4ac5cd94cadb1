package dev.flywheel.client;

import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.protocol.json.Operation;
import dev.flywheel.protocol.json.ReplicationOperations;
import java.time.Clock;

/**
 * Flywheel's replication API answered by another Flywheel region over HTTP: the client global tables
 * use between regions. It shares {@link RemoteEndpoint} with the accelerator's DynamoDB client (SigV4
 * signing, timeouts, errors passed through), with the replication API's target prefix. Thread-safe.
 */
public final class RemoteReplication implements ReplicationApi {
    private final RemoteEndpoint endpoint;

    public RemoteReplication(Target target) {
        this.endpoint = new RemoteEndpoint(target.endpoint(), ReplicationApi.TARGET_PREFIX, target.signer(),
                target.connectTimeout(), target.requestTimeout(), Clock.systemUTC());
    }

    @SuppressWarnings("unchecked")
    private <I, O> O call(String operation, I request) {
        Operation<ReplicationApi, I, O> op = (Operation<ReplicationApi, I, O>) ReplicationOperations.named(operation);
        byte[] answer = endpoint.post(operation, op.writeInput(request));
        return op.readOutput(answer, 0, answer.length);
    }

    @Override
    public Void putReplicaGroup(ReplicaGroupInput request) {
        return call("PutReplicaGroup", request);
    }

    @Override
    public Void applyChanges(ApplyChangesInput request) {
        return call("ApplyChanges", request);
    }

    @Override
    public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
        return call("SettledTombstones", request);
    }
}

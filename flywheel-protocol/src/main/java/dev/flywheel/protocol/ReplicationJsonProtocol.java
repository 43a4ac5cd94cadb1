package dev.flywheel.protocol;

import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.protocol.json.Operation;
import dev.flywheel.protocol.json.ReplicationOperations;

/**
 * Flywheel's replication API on AWS JSON 1.0 ({@code X-Amz-Target: FlywheelReplication_20261124.*}),
 * between the regions of a global table. Errors render as DynamoDB's do. Thread-safe and stateless.
 */
public final class ReplicationJsonProtocol {

    /**
     * Runs {@code operation} with the JSON request in {@code body[offset, offset+length)}.
     *
     * @throws DynamoDbException UnknownOperationException for an unknown operation, and whatever the API throws
     */
    public byte[] invoke(ReplicationApi api, String operation, byte[] body, int offset, int length) {
        Operation<ReplicationApi, ?, ?> op = ReplicationOperations.named(operation);
        if (op == null) {
            throw new UnknownOperationException(null);
        }
        return op.invoke(api, body, offset, length);
    }
}

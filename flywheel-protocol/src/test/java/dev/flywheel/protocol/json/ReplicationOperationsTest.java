package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Flywheel's replication calls survive the trip through JSON whole: what a region sends is what its peer reads. */
class ReplicationOperationsTest {
    private final AtomicReference<Object> received = new AtomicReference<>();
    private final ReplicationApi peer = new ReplicationApi() {
        @Override public Void putReplicaGroup(ReplicaGroupInput request) {
            received.set(request);
            return null;
        }
        @Override public Void applyChanges(ApplyChangesInput request) {
            received.set(request);
            return null;
        }
        @Override public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
            received.set(request);
            return new ApplyChangesInput(request.tableName(), "us-west-2", request.changes().subList(0, 1));
        }
    };

    @SuppressWarnings("unchecked")
    private <I, O> O call(String name, I input) {
        Operation<ReplicationApi, I, O> op = (Operation<ReplicationApi, I, O>) ReplicationOperations.named(name);
        byte[] answer = op.invoke(peer, op.writeInput(input), 0, op.writeInput(input).length);
        return op.readOutput(answer, 0, answer.length);
    }

    @Test
    void aGroupKeepsStatusesTheirDescriptionsClassesChangeTimesAndTimeToLive() {
        ReplicaGroupInput group = new ReplicaGroupInput(CreateTableInput.builder().tableName("things")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"))).billingMode("PAY_PER_REQUEST").build(),
                List.of(new ReplicaGroupInput.Replica("us-east-1", "ACTIVE", null, 0),
                        new ReplicaGroupInput.Replica("us-west-2", "CREATING", "STANDARD_INFREQUENT_ACCESS", 1_800_000_000_123L),
                        new ReplicaGroupInput.Replica("eu-west-1", "REMOVED", null, 1_800_000_000_456L),
                        new ReplicaGroupInput.Replica("ap-south-1", "CREATION_FAILED", null, 1_800_000_000_789L,
                                "Creating the replica's table in ap-south-1 failed: ValidationException: no")),
                "expires");
        call("PutReplicaGroup", group);
        assertThat(received.get()).isEqualTo(group);
    }

    @Test
    void settledTombstonesAnswersWithTheSettledOnes() {
        ApplyChangesInput.Change a = new ApplyChangesInput.Change(Map.of("pk", new AttributeValue.S("a")), null, 100, "us-east-1");
        ApplyChangesInput.Change b = new ApplyChangesInput.Change(Map.of("pk", new AttributeValue.S("b")), null, 200, "eu-west-1");
        ApplyChangesInput asked = new ApplyChangesInput("things", "us-east-1", List.of(a, b));
        ApplyChangesInput answer = call("SettledTombstones", asked);
        assertThat(received.get()).isEqualTo(asked);
        assertThat(answer.changes()).containsExactly(a);
    }
}

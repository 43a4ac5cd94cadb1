package dev.flywheel.model.replication;

import dev.flywheel.model.shapes.CreateTableInput;
import java.util.List;

/**
 * The members of a global table as one region sees them.
 *
 * @param table what creates the table in a region that has none (its name is the table's name)
 * @param replicas every member region, with its ReplicaStatus
 */
public record ReplicaGroupInput(CreateTableInput table, List<Replica> replicas) {
    public ReplicaGroupInput {
        replicas = List.copyOf(replicas);
    }

    /** One member: its region and DynamoDB's ReplicaStatus (CREATING, ACTIVE, ...). */
    public record Replica(String regionName, String status) {}
}

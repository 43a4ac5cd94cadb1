package dev.flywheel.model.replication;

import dev.flywheel.model.shapes.CreateTableInput;
import java.util.List;

/**
 * The members of a global table as one region sees them.
 *
 * @param table what creates the table in a region that has none (its name is the table's name)
 * @param replicas every member region, with its ReplicaStatus
 * @param timeToLiveAttribute the table's time to live attribute when time to live is enabled, else null
 *     (CreateTable cannot carry it; a new replica enables it as the table has it)
 */
public record ReplicaGroupInput(CreateTableInput table, List<Replica> replicas, String timeToLiveAttribute) {
    public ReplicaGroupInput {
        replicas = List.copyOf(replicas);
    }

    public ReplicaGroupInput(CreateTableInput table, List<Replica> replicas) {
        this(table, replicas, null);
    }

    /**
     * One member: its region, DynamoDB's ReplicaStatus (CREATING, ACTIVE, CREATION_FAILED, ...; REMOVED
     * for a region removed from the group), the table class set for that region's replica by
     * ReplicaUpdates Update (null: none set, or not known to the sender), when it was added or removed
     * (epoch millis; the later change of a region's membership wins), and why it has its status
     * (ReplicaStatusDescription; null but for CREATION_FAILED).
     */
    public record Replica(String regionName, String status, String tableClassOverride, long changedAt,
                          String statusDescription) {
        public Replica(String regionName, String status, String tableClassOverride, long changedAt) {
            this(regionName, status, tableClassOverride, changedAt, null);
        }

        public Replica(String regionName, String status) {
            this(regionName, status, null, 0, null);
        }
    }
}

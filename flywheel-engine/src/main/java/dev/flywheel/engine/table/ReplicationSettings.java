package dev.flywheel.engine.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A table's part in a global table (version 2019.11.21): the other regions holding a replica, and
 * where its items' versions live.
 *
 * @param versionsStorageId the storage id of the table's companion table of item versions and
 *     tombstones ({@link dev.flywheel.engine.item.ItemVersions}); allocated when the table first
 *     became global and kept for its life, so versions survive a replica's removal and re-addition
 * @param replicas the other regions of the global table, in the order they were added; empty when
 *     the table is a replica no more
 */
public record ReplicationSettings(long versionsStorageId, List<Replica> replicas) {
    /** DynamoDB's ReplicaStatus values Flywheel reports. */
    public static final String CREATING = "CREATING", ACTIVE = "ACTIVE";

    public ReplicationSettings {
        replicas = List.copyOf(replicas);
    }

    /**
     * One other region's replica, its ReplicaStatus, and the table class set for it alone with
     * ReplicaUpdates Update's TableClassOverride (null: none set, the table's own class applies).
     */
    public record Replica(String region, String status, String tableClassOverride) {
        public Replica(String region, String status) {
            this(region, status, null);
        }

        public Replica withStatus(String newStatus) {
            return new Replica(region, newStatus, tableClassOverride);
        }
    }

    /** The replica in {@code region}, or null. */
    public Replica replica(String region) {
        for (Replica r : replicas) {
            if (r.region().equals(region)) return r;
        }
        return null;
    }

    /** These settings with {@code replica} added, or replacing the one of its region. */
    public ReplicationSettings with(Replica replica) {
        List<Replica> updated = new ArrayList<>(replicas);
        int at = updated.indexOf(replica(replica.region()));
        if (at >= 0) updated.set(at, replica);
        else updated.add(replica);
        return new ReplicationSettings(versionsStorageId, updated);
    }

    /** These settings without the replica in {@code region}. */
    public ReplicationSettings without(String region) {
        List<Replica> updated = new ArrayList<>(replicas);
        updated.removeIf(r -> r.region().equals(region));
        return new ReplicationSettings(versionsStorageId, updated);
    }
}

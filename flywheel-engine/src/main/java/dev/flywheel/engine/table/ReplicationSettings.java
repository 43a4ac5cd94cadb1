package dev.flywheel.engine.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A table's part in a global table (version 2019.11.21): the other regions holding a replica, and
 * where its items' versions live.
 *
 * <p>Membership is merged region by region, last change wins: every addition or removal of a region
 * carries the time of the ReplicaUpdates that made it ({@link Replica#changedAt}), and a removed region
 * is remembered ({@link #removed}) so that an older announcement naming it does not bring it back.
 * So changes made at once in two regions combine the same way everywhere, whatever order they arrive
 * in: additions of different regions both stand; an addition and a removal of one region end as the
 * later of the two.
 *
 * @param versionsStorageId the storage id of the table's companion table of item versions and
 *     tombstones ({@link dev.flywheel.engine.item.ItemVersions}); allocated when the table first
 *     became global and kept for its life, so versions survive a replica's removal and re-addition
 * @param ownChangedAt when this region last became a member (0: it started the global table)
 * @param leaving whether this region's own replica was removed from the group: its table is DELETING,
 *     takes no new writes, sends what it still owes the others, then is deleted
 * @param replicas the other regions of the global table, in the order they were added; empty when
 *     the table is a replica no more
 * @param removed regions removed from the global table, with the time of their removal: {@link #DELETING}
 *     until this region knows their table is gone (it is still shown in DescribeTable then), then
 *     {@link #REMOVED}
 */
public record ReplicationSettings(long versionsStorageId, long ownChangedAt, boolean leaving, List<Replica> replicas,
                                  List<Replica> removed) {
    /** DynamoDB's ReplicaStatus values Flywheel reports. */
    public static final String CREATING = "CREATING", CREATION_FAILED = "CREATION_FAILED", ACTIVE = "ACTIVE",
            DELETING = "DELETING";
    /** Not DynamoDB's: a region removed from the group whose table is gone, as kept and announced between regions. */
    public static final String REMOVED = "REMOVED";

    public ReplicationSettings {
        replicas = List.copyOf(replicas);
        removed = List.copyOf(removed);
    }

    public ReplicationSettings(long versionsStorageId, long ownChangedAt, List<Replica> replicas, List<Replica> removed) {
        this(versionsStorageId, ownChangedAt, false, replicas, removed);
    }

    public ReplicationSettings(long versionsStorageId, List<Replica> replicas) {
        this(versionsStorageId, 0, false, replicas, List.of());
    }

    /**
     * One other region's replica, its ReplicaStatus, the table class set for it alone with
     * ReplicaUpdates Update's TableClassOverride (null: none set, the table's own class applies), when
     * it was added (or removed), in epoch milliseconds of the region that did it, and why it has its
     * status (DynamoDB's ReplicaStatusDescription; null but for {@link #CREATION_FAILED}).
     */
    public record Replica(String region, String status, String tableClassOverride, long changedAt,
                          String statusDescription) {
        public Replica(String region, String status, String tableClassOverride, long changedAt) {
            this(region, status, tableClassOverride, changedAt, null);
        }

        public Replica(String region, String status) {
            this(region, status, null, 0, null);
        }

        public Replica withStatus(String newStatus) {
            return new Replica(region, newStatus, tableClassOverride, changedAt, null);
        }

        public Replica withStatus(String newStatus, String description) {
            return new Replica(region, newStatus, tableClassOverride, changedAt, description);
        }

        /** Whether this region replicates to it: a member whose table was created (or is being). */
        public boolean replicated() {
            return !CREATION_FAILED.equals(status);
        }
    }

    /** The replica in {@code region}, or null. */
    public Replica replica(String region) {
        for (Replica r : replicas) {
            if (r.region().equals(region)) return r;
        }
        return null;
    }

    /** The removal of {@code region} kept here, or null. */
    public Replica removal(String region) {
        for (Replica r : removed) {
            if (r.region().equals(region)) return r;
        }
        return null;
    }

    /** The last change of {@code region}'s membership known here: its replica, its removal, or null. */
    public Replica lastChange(String region) {
        Replica member = replica(region);
        return member != null ? member : removal(region);
    }

    /** The removed regions whose table this region does not yet know to be gone. */
    public List<Replica> deleting() {
        return removed.stream().filter(r -> DELETING.equals(r.status())).toList();
    }

    /** These settings with {@code replica} added, or replacing the one of its region (and any removal of it). */
    public ReplicationSettings with(Replica replica) {
        List<Replica> updated = new ArrayList<>(replicas);
        int at = updated.indexOf(replica(replica.region()));
        if (at >= 0) updated.set(at, replica);
        else updated.add(replica);
        List<Replica> gone = new ArrayList<>(removed);
        gone.removeIf(r -> r.region().equals(replica.region()));
        return new ReplicationSettings(versionsStorageId, ownChangedAt, leaving, updated, gone);
    }

    /**
     * These settings without the replica in {@code region}, remembered as removed at {@code changedAt}
     * with {@code status}: {@link #DELETING} while its table may still exist, {@link #REMOVED} once gone.
     */
    public ReplicationSettings without(String region, long changedAt, String status) {
        List<Replica> updated = new ArrayList<>(replicas);
        updated.removeIf(r -> r.region().equals(region));
        List<Replica> gone = new ArrayList<>(removed);
        gone.removeIf(r -> r.region().equals(region));
        gone.add(new Replica(region, status, null, changedAt));
        return new ReplicationSettings(versionsStorageId, ownChangedAt, leaving, updated, gone);
    }

    /** These settings with {@code region}'s removal (still DELETING) known to be complete: its table is gone. */
    public ReplicationSettings withRemovalDone(String region) {
        Replica removal = removal(region);
        if (removal == null || REMOVED.equals(removal.status())) return this;
        return without(region, removal.changedAt(), REMOVED);
    }

    /** These settings with this region a member since {@code changedAt}. */
    public ReplicationSettings withOwnChangedAt(long changedAt) {
        return new ReplicationSettings(versionsStorageId, changedAt, leaving, replicas, removed);
    }

    /** These settings with this region's own replica removed: its table is to be deleted. */
    public ReplicationSettings asLeaving() {
        return new ReplicationSettings(versionsStorageId, ownChangedAt, true, replicas, removed);
    }

    /** A time for a new change of {@code region}'s membership: now, or after the last one known if the clock is behind. */
    public long nextChange(String region, long now) {
        Replica last = lastChange(region);
        return last == null || now > last.changedAt() ? now : last.changedAt() + 1;
    }
}

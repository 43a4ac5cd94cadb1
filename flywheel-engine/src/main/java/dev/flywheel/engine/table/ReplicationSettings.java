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
 * @param replicas the other regions of the global table, in the order they were added; empty when
 *     the table is a replica no more
 * @param removed regions removed from the global table, with status {@link #REMOVED} and the time of
 *     their removal
 */
public record ReplicationSettings(long versionsStorageId, long ownChangedAt, List<Replica> replicas, List<Replica> removed) {
    /** DynamoDB's ReplicaStatus values Flywheel reports. */
    public static final String CREATING = "CREATING", ACTIVE = "ACTIVE";
    /** Not DynamoDB's: a region removed from the group, as kept and announced between regions. */
    public static final String REMOVED = "REMOVED";

    public ReplicationSettings {
        replicas = List.copyOf(replicas);
        removed = List.copyOf(removed);
    }

    public ReplicationSettings(long versionsStorageId, List<Replica> replicas) {
        this(versionsStorageId, 0, replicas, List.of());
    }

    /**
     * One other region's replica, its ReplicaStatus, the table class set for it alone with
     * ReplicaUpdates Update's TableClassOverride (null: none set, the table's own class applies), and
     * when it was added (or removed), in epoch milliseconds of the region that did it.
     */
    public record Replica(String region, String status, String tableClassOverride, long changedAt) {
        public Replica(String region, String status) {
            this(region, status, null, 0);
        }

        public Replica withStatus(String newStatus) {
            return new Replica(region, newStatus, tableClassOverride, changedAt);
        }
    }

    /** The replica in {@code region}, or null. */
    public Replica replica(String region) {
        for (Replica r : replicas) {
            if (r.region().equals(region)) return r;
        }
        return null;
    }

    /** The last change of {@code region}'s membership known here: its replica, its removal, or null. */
    public Replica lastChange(String region) {
        Replica member = replica(region);
        if (member != null) return member;
        for (Replica r : removed) {
            if (r.region().equals(region)) return r;
        }
        return null;
    }

    /** These settings with {@code replica} added, or replacing the one of its region (and any removal of it). */
    public ReplicationSettings with(Replica replica) {
        List<Replica> updated = new ArrayList<>(replicas);
        int at = updated.indexOf(replica(replica.region()));
        if (at >= 0) updated.set(at, replica);
        else updated.add(replica);
        List<Replica> gone = new ArrayList<>(removed);
        gone.removeIf(r -> r.region().equals(replica.region()));
        return new ReplicationSettings(versionsStorageId, ownChangedAt, updated, gone);
    }

    /** These settings without the replica in {@code region}, remembered as removed at {@code changedAt}. */
    public ReplicationSettings without(String region, long changedAt) {
        List<Replica> updated = new ArrayList<>(replicas);
        updated.removeIf(r -> r.region().equals(region));
        List<Replica> gone = new ArrayList<>(removed);
        gone.removeIf(r -> r.region().equals(region));
        gone.add(new Replica(region, REMOVED, null, changedAt));
        return new ReplicationSettings(versionsStorageId, ownChangedAt, updated, gone);
    }

    /** These settings with this region a member since {@code changedAt}. */
    public ReplicationSettings withOwnChangedAt(long changedAt) {
        return new ReplicationSettings(versionsStorageId, changedAt, replicas, removed);
    }

    /** A time for a new change of {@code region}'s membership: now, or after the last one known if the clock is behind. */
    public long nextChange(String region, long now) {
        Replica last = lastChange(region);
        return last == null || now > last.changedAt() ? now : last.changedAt() + 1;
    }
}

package dev.flywheel.engine.replication;

import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.item.ItemVersion;
import dev.flywheel.engine.item.ItemVersions;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.ReplicaCopyProgress;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.ReplicationSettings;
import dev.flywheel.engine.table.ReplicationSettings.Replica;
import dev.flywheel.engine.table.StreamSettings;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.engine.table.TableOperations;
import dev.flywheel.engine.table.TimeToLiveSettings;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.ResourceInUseException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteTableInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.ReplicationGroupUpdate;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.UpdateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.model.shapes.UpdateTableOutput;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global tables, version 2019.11.21: replicas added and removed with UpdateTable's ReplicaUpdates,
 * and changes replicated both ways between this region and its peers (other Flywheel deployments,
 * reached through {@link ReplicationApi}).
 *
 * <p><b>Membership.</b> The region where ReplicaUpdates ran changes its own table's definition, then
 * tells every member, old and new, the new group ({@link ReplicationApi#putReplicaGroup}): a new
 * member creates the table, a removed one deletes it. Announcements still to send are kept in
 * metadata ({@code replication-announce/<table>}), so a crash does not lose them; they are sent again
 * until every member acknowledged. Membership changes made at once in two regions merge region by
 * region, the later change winning ({@link ReplicationSettings}). A replica is CREATING in a region's DescribeTable
 * until that region has copied its items to it (with the copy's progress), then ACTIVE; statuses only move
 * forward. A region that refuses for good to create the replica (a table of that name already there, or
 * this region's credentials refused) makes it CREATION_FAILED, with why, instead of CREATING forever.
 *
 * <p><b>Removal.</b> A removed region's replica is DELETING in every region that replicated to it, until
 * that region has stopped replicating to it and the removed region acknowledged its removal, which it does
 * only once its table is gone. The removed region's table is DELETING meanwhile: it takes no new writes,
 * sends the others what they have not received yet (so no write it acknowledged is lost), then is deleted.
 *
 * <p><b>Changes.</b> One {@link Replicator} per (global table, peer) sends the table's replication log
 * (local writes only, {@link ItemVersions}); the peer applies each change if it is newer than what it
 * holds (last writer wins, ties broken by region name), so changes may arrive in any order and more
 * than once. A background thread starts and stops replicators as definitions change, sends
 * announcements, and trims each log once every peer has it.
 *
 * <p><b>Tombstones.</b> A deleted item's version stays as a tombstone until every other member has
 * settled it (holds it, and has no older change of the item still to send here); a background pass
 * forgets such tombstones once they are an hour old ({@link #collectTombstones}).
 *
 * <p>Thread-safe.
 */
public final class GlobalTables implements ReplicationApi, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GlobalTables.class);
    /** DescribeTable's GlobalTableVersion for tables replicated with ReplicaUpdates. */
    public static final String VERSION = "2019.11.21";
    private static final String ANNOUNCE_PREFIX = "replication-announce/";
    /**
     * When this region's replica of a table was last removed (metadata {@code replication-left/<table>}),
     * so that news older than the removal, arriving once the table is gone, does not bring it back.
     */
    private static final String LEFT_PREFIX = "replication-left/";
    private static final long MAINTENANCE_MILLIS = 200;
    /** How often tombstones are collected, and how old one must be to go (see {@link #collectTombstones}). */
    private static final long TOMBSTONE_PASS_MILLIS = 10 * 60_000, TOMBSTONE_MIN_AGE_MILLIS = 60 * 60_000;
    /** A peer with more changes than this still to send answers that nothing is settled (bounds the check). */
    private static final int SETTLED_LOG_LIMIT = 10_000;

    private final Catalog catalog;
    private final TableOperations tables;
    private final ItemStore items;
    private final ItemVersions versions;
    private final Storage storage;
    private final String region;
    private final Map<String, ReplicationApi> peers;
    private final ReplicaCopyProgress copies;
    /** Leaving tables whose deletion failed (deletion protection), by id: warned about once. */
    private final Set<Long> undeletable = new HashSet<>();
    /** Held while an announced group is merged (see {@link #putReplicaGroup}). */
    private final Object announcementsReceived = new Object();
    /** Running replicators by table storage id and peer region. */
    private final Map<String, Replicator> replicators = new HashMap<>();
    /** Counts each table's announcements in this process, so one sent while a newer one was queued stays queued. */
    private final Map<String, Long> generations = new HashMap<>();
    private final Object signal = new Object();
    private volatile boolean running = true;
    private boolean changed = true;
    private final Thread maintenance;
    private long lastTombstonePass = System.currentTimeMillis();

    /** @param peers the other regions this one may replicate to, by region name */
    public GlobalTables(Catalog catalog, TableOperations tables, ItemStore items, ItemVersions versions, Storage storage,
                        String region, Map<String, ReplicationApi> peers, ReplicaCopyProgress copies) {
        this.catalog = catalog;
        this.tables = tables;
        this.items = items;
        this.versions = versions;
        this.storage = storage;
        this.region = region;
        this.peers = Map.copyOf(peers);
        this.copies = copies;
        versions.onAppend(this::wakeReplicators);
        catalog.onChange(this::wake);
        this.maintenance = Thread.ofPlatform().daemon().name("flywheel-global-tables").start(this::maintain);
    }

    // ---- UpdateTable ReplicaUpdates (this region coordinates the change) ----

    public UpdateTableOutput updateTable(UpdateTableInput request) {
        TableDefinition table = catalog.requireForControlPlane(request.tableName());
        if (table.replication() != null && table.replication().leaving()) {
            // DynamoDB's answer to UpdateTable on a table being deleted (message as recalled).
            throw new ResourceInUseException("Attempt to change a resource which is still in use: Table is being deleted: "
                    + table.name());
        }
        if (request.replicaUpdates().stream().filter(u -> u.create() != null || u.delete() != null).count() > 1) {
            // DynamoDB's text (ack-api-quirks, DDB-TABLE-258): one replica added or removed per UpdateTable.
            throw new ValidationException("Update table operation with more than one create or delete replica actions"
                    + " not allowed");
        }
        List<String> creates = new ArrayList<>(), deletes = new ArrayList<>();
        Map<String, String> tableClasses = new HashMap<>();
        List<String> notMembers = new ArrayList<>();
        for (ReplicationGroupUpdate update : request.replicaUpdates()) {
            String target = update.create() != null ? update.create().regionName()
                    : update.delete() != null ? update.delete().regionName()
                    : update.update() != null ? update.update().regionName() : null;
            if (target == null) continue;
            if (target.equals(region)) {
                throw new ValidationException("Cannot add, delete, or update the local region through ReplicaUpdates."
                        + " Use CreateTable, DeleteTable, or UpdateTable as required.");
            }
            boolean member = table.replication() != null && table.replication().replica(target) != null;
            if (update.update() != null) {
                checkReplicaUpdate(update.update());
                if (!member) notMembers.add(target);
                else if (update.update().tableClassOverride() != null) {
                    tableClasses.put(target, update.update().tableClassOverride());
                }
            } else if (update.create() != null) {
                // Guessed (DynamoDB's text for an unknown region is not documented).
                if (!peers.containsKey(target)) throw new ValidationException("Region " + target + " is not a peer of this"
                        + " Flywheel region (" + region + "); start it with --peer " + target + "=URL");
                // As recalled from DynamoDB (sic).
                if (member) throw new ValidationException("Failed to create a the new replica of table with name: '"
                        + table.name() + "' because one or more replicas already existed as tables.");
                Replica removal = table.replication() == null ? null : table.replication().removal(target);
                if (removal != null && ReplicationSettings.DELETING.equals(removal.status())) {
                    // Guessed text: DynamoDB documents none. Its table must be gone before a new one is made.
                    throw new ValidationException("Failed to create the new replica of table with name: '" + table.name()
                            + "' in " + target + " because its previous replica there is still being deleted.");
                }
                creates.add(target);
            } else {
                if (!member) notMembers.add(target);
                deletes.add(target);
            }
        }
        if (!notMembers.isEmpty()) {
            // DynamoDB's text for Delete or Update of a region without a replica (ack-api-quirks, DDB-TABLE-294/308).
            throw new ValidationException("Update global table operation failed because one or more replicas were not"
                    + " part of the global table. Please retry the request without these replicas: ["
                    + String.join(", ", notMembers) + "].");
        }

        if (!creates.isEmpty()) {
            if (TableDefinition.PROVISIONED.equals(table.billingMode())) {
                throw new ValidationException("Table write capacity should either be Pay-Per-Request or AutoScaled.");
            }
            if (table.hasEnabledStream() && !StreamSettings.NEW_AND_OLD_IMAGES.equals(table.stream().viewType())) {
                // Guessed: DynamoDB requires NEW_AND_OLD_IMAGES of a global table's stream.
                throw new ValidationException("Table: " + table.name() + " has a stream with StreamViewType "
                        + table.stream().viewType() + "; a replica needs a stream with NEW_AND_OLD_IMAGES");
            }
            if (!table.hasEnabledStream()) {
                // As DynamoDB: adding a replica turns the stream on.
                tables.updateTable(UpdateTableInput.builder().tableName(table.name())
                        .streamSpecification(new StreamSpecification(true, StreamSettings.NEW_AND_OLD_IMAGES)).build());
            }
        }
        Set<String> notify = new LinkedHashSet<>();
        TableDefinition updated = catalog.update(table.name(), t -> {
            ReplicationSettings settings = t.replication() != null ? t.replication()
                    : new ReplicationSettings(catalog.allocateId(), List.of());
            for (Replica r : settings.replicas()) notify.add(r.region());
            long now = System.currentTimeMillis();
            for (String created : creates) {
                settings = settings.with(new Replica(created, ReplicationSettings.CREATING, null,
                        settings.nextChange(created, now)));
            }
            // DELETING (in DescribeTable) until that region acknowledges the removal, once its table is gone.
            for (String deleted : deletes) {
                settings = settings.without(deleted, settings.nextChange(deleted, now), ReplicationSettings.DELETING);
            }
            for (Map.Entry<String, String> e : tableClasses.entrySet()) {
                Replica known = settings.replica(e.getKey());
                if (known != null) {
                    settings = settings.with(new Replica(known.region(), known.status(), e.getValue(), known.changedAt(),
                            known.statusDescription()));
                }
            }
            notify.addAll(creates);
            return t.withReplication(settings);
        });
        announceLater(updated.name(), notify);
        wake();
        return new UpdateTableOutput(tables.describe(updated, "UPDATING"));
    }

    /**
     * Refuses a ReplicaUpdates Update DynamoDB refuses. What it may carry besides TableClassOverride
     * concerns provisioned capacity, which Flywheel's global tables (on-demand only) do not have:
     * accepted and without effect, as DynamoDB accepts a ProvisionedThroughputOverride on an on-demand
     * replica.
     */
    private static void checkReplicaUpdate(UpdateReplicationGroupMemberAction update) {
        if (update.kmsMasterKeyId() == null && update.provisionedThroughputOverride() == null
                && update.onDemandThroughputOverride() == null && update.globalSecondaryIndexes() == null
                && update.tableClassOverride() == null) {
            // DynamoDB's text (ack-api-quirks, DDB-TABLE-294).
            throw new ValidationException("There are no actions specified in the Replica Update Action of the request.");
        }
        if (update.kmsMasterKeyId() != null) {
            // DynamoDB's answer to any per-replica key on a table with Flywheel's kind of encryption (DDB-TABLE-295).
            throw new ValidationException("One or more parameter values were invalid: KMSMasterKeyId must be specified"
                    + " for each replica.");
        }
    }

    /**
     * Refuses what UpdateTable may not do to a global table's replica: turning its stream off (which
     * replication needs).
     */
    public void checkUpdate(UpdateTableInput request) {
        StreamSpecification stream = request.streamSpecification();
        if (stream == null || !Boolean.FALSE.equals(stream.streamEnabled())) return;
        TableDefinition table = catalog.find(request.tableName());
        if (table != null && table.isGlobal()) {
            // DynamoDB's text (terraform-aws-modules/terraform-aws-dynamodb-table#30).
            throw new ValidationException("One or more parameter values were invalid: Disabling Stream is not allowed"
                    + " for a Global Table replica.");
        }
    }

    /** Keeps (durably) that {@code regions} must be told the table's current group. */
    private synchronized void announceLater(String tableName, Set<String> regions) {
        generations.merge(tableName, 1L, Long::sum);
        Set<String> pending = new LinkedHashSet<>(pendingAnnouncement(tableName));
        pending.addAll(regions);
        storage.putMeta(ANNOUNCE_PREFIX + tableName, String.join(",", pending).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> pendingAnnouncement(String tableName) {
        byte[] bytes = storage.getMeta(ANNOUNCE_PREFIX + tableName);
        if (bytes == null || bytes.length == 0) return List.of();
        return List.of(new String(bytes, StandardCharsets.UTF_8).split(","));
    }

    // ---- ReplicationApi: what peers call ----

    /**
     * Merges the group a member announces into this region's view, region by region, the later change
     * winning ({@link ReplicationSettings}): this region creates its replica when it is a member and has
     * none, and deletes it when its removal is the latest change of its own membership. A removal is
     * acknowledged only once the table is gone (until then the answer is a ResourceInUseException, and
     * the sender asks again), so that the sender's DescribeTable shows the replica DELETING until then.
     *
     * <p>One at a time: two members announcing a new replica at once must not see each other's table
     * half made (created, not yet a replica), which would look like a table of that name that is no
     * replica, a refusal for good.
     */
    @Override
    public Void putReplicaGroup(ReplicaGroupInput request) {
        synchronized (announcementsReceived) {
            return mergeGroup(request);
        }
    }

    private Void mergeGroup(ReplicaGroupInput request) {
        String name = request.table().tableName();
        TableDefinition table = catalog.find(name);
        ReplicaGroupInput.Replica own = null;
        for (ReplicaGroupInput.Replica r : request.replicas()) {
            if (r.regionName().equals(region)) own = r;
        }
        long ownSince = table == null || table.replication() == null ? -1 : table.replication().ownChangedAt();
        if (own == null || ReplicationSettings.REMOVED.equals(own.status())) {
            // Removed (DynamoDB deletes that region's replica with its items), unless this region was
            // added again after that removal.
            boolean stale = own != null && own.changedAt() < ownSince;
            if (!stale && table != null && table.replication() != null) {
                leave(table, own != null ? own.changedAt() : ownSince + 1);
                throw stillDeleting(name);
            }
            return null;
        }
        if (table == null && own.changedAt() < leftAt(name)) {
            // A member's view from before this region's removal (it had not heard of it yet): no replica to make.
            log.info("Replica of {} in {} not made again: the group {} names was left since", name, region, own);
            return null;
        }
        if (table != null && table.replication() != null && table.replication().leaving()) {
            // Added again while the table of its previous membership is being deleted: a new one once it is gone.
            throw stillDeleting(name);
        }
        if (table != null && table.replication() == null) {
            // A table of that name that is no replica: DynamoDB refuses to make a replica over an existing
            // table (its keys and items may differ). The region that added it keeps retrying, and the
            // replica stays CREATING there, until this table is deleted. (Message as recalled: I.)
            throw new ValidationException("Failed to create a the new replica of table with name: '" + name
                    + "' because one or more replicas already existed as tables.");
        }
        boolean created = table == null;
        if (created) {
            tables.createTable(request.table());
            log.info("Replica of {} created in {}", name, region);
        }
        String ownClass = own.tableClassOverride();
        long ownChangedAt = own.changedAt();
        TableDefinition before = catalog.find(name);
        TableDefinition after = catalog.update(name, t -> {
            ReplicationSettings settings = t.replication() != null ? t.replication()
                    : new ReplicationSettings(catalog.allocateId(), List.of());
            if (ownChangedAt > settings.ownChangedAt()) settings = settings.withOwnChangedAt(ownChangedAt);
            // A new replica has the table's time to live, as DynamoDB creates it.
            if (created && request.timeToLiveAttribute() != null) {
                t = t.withTimeToLive(new TimeToLiveSettings(request.timeToLiveAttribute(), true,
                        Instant.now()));
            }
            // A TableClassOverride set for this region's replica is this table's class here (DynamoDB
            // shows it in the replica region's own TableClassSummary).
            if (ownClass != null && !ownClass.equals(t.tableClass())) t = t.withTableClass(ownClass, Instant.now());
            for (ReplicaGroupInput.Replica r : request.replicas()) {
                if (r.regionName().equals(region)) continue;
                settings = merge(settings, r);
            }
            return t.withReplication(settings);
        });
        if (before.replication() != null && !membership(after.replication()).equals(membership(before.replication()))) {
            // A member learned of a change others may not know (one made at the same time as another
            // elsewhere): it tells every member, so all views meet. (A new member needs not: whoever added
            // it told every member it knew, and the others learn of it from them.)
            Set<String> everyone = new LinkedHashSet<>();
            for (Replica r : after.replication().replicas()) everyone.add(r.region());
            for (Replica r : after.replication().removed()) everyone.add(r.region());
            announceLater(name, everyone);
        }
        wake();
        return null;
    }

    /** Who is in and out of the group, and since when (not the statuses). */
    private static Set<String> membership(ReplicationSettings settings) {
        Set<String> membership = new HashSet<>();
        if (settings == null) return membership;
        for (Replica r : settings.replicas()) membership.add(r.region() + "@" + r.changedAt());
        for (Replica r : settings.removed()) membership.add(r.region() + "@" + r.changedAt() + "-");
        return membership;
    }

    /** {@code settings} with what {@code announced} says of one other region, if it is not older than what is known. */
    private static ReplicationSettings merge(ReplicationSettings settings, ReplicaGroupInput.Replica announced) {
        String region = announced.regionName();
        Replica known = settings.lastChange(region);
        if (known != null && announced.changedAt() < known.changedAt()) return settings;  // older news
        boolean knownRemoved = known != null && settings.replica(region) == null;
        if (knownRemoved && announced.changedAt() == known.changedAt()) {
            return settings;  // the removal of that same membership stands (and whether its table is known gone)
        }
        if (ReplicationSettings.REMOVED.equals(announced.status())) {
            // A member this region replicated to stays DELETING until its table is known gone (see announceTo).
            return settings.without(region, announced.changedAt(),
                    known != null && !knownRemoved ? ReplicationSettings.DELETING : ReplicationSettings.REMOVED);
        }
        // A region that stays a member (added again, at once by two regions) keeps its replica here, so
        // its status only moves forward (an older announcement may arrive after a newer one, and this
        // region's first copy to it is not done again), and a sender that does not know the replica's
        // class (null) leaves what is known.
        boolean stillMember = known != null && !knownRemoved;
        String status = announced.status();
        String description = announced.statusDescription();
        if (stillMember && rank(known.status()) >= rank(status)) {
            status = known.status();
            description = known.statusDescription();
        }
        String tableClass = announced.tableClassOverride() != null ? announced.tableClassOverride()
                : stillMember ? known.tableClassOverride() : null;
        return settings.with(new Replica(region, status, tableClass, announced.changedAt(),
                ReplicationSettings.CREATION_FAILED.equals(status) ? description : null));
    }

    /**
     * The order a replica's status moves in: CREATING, then CREATION_FAILED or ACTIVE. ACTIVE ranks above
     * CREATION_FAILED: a region that has copied its items to the replica knows the replica exists.
     */
    private static int rank(String status) {
        return switch (status) {
            case ReplicationSettings.ACTIVE -> 2;
            case ReplicationSettings.CREATION_FAILED -> 1;
            default -> 0;
        };
    }

    /** This region's replica of {@code table} was removed from its group at {@code removedAt}: its table becomes DELETING. */
    private void leave(TableDefinition table, long removedAt) {
        if (removedAt > leftAt(table.name())) {
            storage.putMeta(LEFT_PREFIX + table.name(), java.nio.ByteBuffer.allocate(8).putLong(removedAt).array());
        }
        TableDefinition left = catalog.updateIfPresent(table, t -> t.replication() == null || t.replication().leaving()
                ? t : t.withReplication(t.replication().asLeaving()));
        if (left != null && !table.replication().leaving()) {
            log.info("Replica of {} in {} removed from the global table: DELETING once the other regions have"
                    + " what it still owes them", table.name(), region);
        }
        wake();
    }

    /** When this region's replica of table {@code name} was last removed; 0 if never. */
    private long leftAt(String name) {
        byte[] bytes = storage.getMeta(LEFT_PREFIX + name);
        return bytes == null ? 0 : java.nio.ByteBuffer.wrap(bytes).getLong();
    }

    private ResourceInUseException stillDeleting(String name) {
        return new ResourceInUseException("Attempt to change a resource which is still in use: the replica of " + name
                + " in " + region + " is being deleted (removed from the global table)");
    }

    @Override
    public Void applyChanges(ApplyChangesInput request) {
        TableDefinition table = catalog.require(request.tableName());
        if (table.replication() == null) {
            // Not yet a replica here (the announcement is on its way): the sender retries.
            throw new ResourceNotFoundException("Requested resource not found: Table: " + table.name()
                    + " is not a replica in " + region);
        }
        for (ApplyChangesInput.Change change : request.changes()) {
            ItemKey key = ItemKey.ofKey(table, change.key());
            items.applyReplicated(table, key, change.item(),
                    new ItemVersion(change.timestamp(), change.region(), change.item() == null));
        }
        return null;
    }

    // ---- Tombstone collection ----

    /**
     * Forgets the tombstones of {@code tableName} older than {@code deletedBefore} that every other
     * member has settled ({@link #settledTombstones}); returns how many went.
     *
     * <p><b>Why it is safe.</b> A tombstone (version v of item k) exists so that an older write of k
     * (version u &lt; v) arriving later loses. Such a write was made in some other region P while P's own
     * version of k was older than u, so before P applied v (after that, P's local writes of k get versions
     * newer than v). It is in P's replication log, committed with the write itself, so by the time P has
     * applied v it is there: either after P's durable checkpoint toward this region (still to be sent, so
     * P answers "not settled") or at or before it (this region has already applied or refused it, and a
     * resend after a crash starts after the durable checkpoint). P's first copy to this region is the only
     * other path, and P answers "not settled" until it is done. P checks its version first and reads its
     * log after, so nothing can slip between. And when every member answers "settled", the delete itself
     * still applies only if the item is still absent with that tombstone (a newer write meanwhile wins).
     * A member this region does not know (a concurrent membership change) is not asked: membership
     * changes are made in one region at a time (see the class comment).
     *
     * <p>On a backend that appends the replication log after the write (Cassandra's outbox), "committed
     * with the write" becomes "appended soon after it": the age bound of the background pass (an hour)
     * covers that delay.
     */
    public int collectTombstones(String tableName, long deletedBefore) {
        TableDefinition table = catalog.find(tableName);
        if (table == null || !table.isGlobal() || table.replication().leaving()) return 0;
        List<ReplicationApi> members = new ArrayList<>();
        for (Replica r : table.replication().replicas()) {
            if (!r.replicated()) continue;  // refused its replica: it holds nothing of this table
            ReplicationApi peer = peers.get(r.region());
            if (peer == null) return 0;  // a member this region cannot ask keeps every tombstone
            members.add(peer);
        }
        int forgotten = 0;
        List<ApplyChangesInput.Change> batch = new ArrayList<>(Replicator.BATCH);
        RowKey after = null;
        while (true) {
            Page page = storage.scan(table.replication().versionsStorageId(), 0, 1, after,
                    ReadLimits.rows(Replicator.BATCH));
            for (Row row : page.rows()) {
                ItemVersion version = ItemVersion.decode(row.value());
                if (version.deleted() && version.timestamp() < deletedBefore) {
                    batch.add(new ApplyChangesInput.Change(Replicator.key(table, row), null, version.timestamp(),
                            version.region()));
                }
                after = row.key();
            }
            forgotten += forgetSettled(table, members, batch);
            batch.clear();
            if (page.stopReason() == Page.StopReason.EXHAUSTED) return forgotten;
        }
    }

    /** Forgets those of {@code tombstones} every member answers as settled. */
    private int forgetSettled(TableDefinition table, List<ReplicationApi> members, List<ApplyChangesInput.Change> tombstones) {
        if (tombstones.isEmpty()) return 0;
        Set<ApplyChangesInput.Change> settled = new HashSet<>(tombstones);
        for (ReplicationApi member : members) {
            try {
                settled.retainAll(member.settledTombstones(new ApplyChangesInput(table.name(), region, tombstones)).changes());
            } catch (RuntimeException unreachable) {
                log.debug("Collecting tombstones of {}: a member did not answer ({})", table.name(), unreachable.toString());
                return 0;
            }
        }
        int forgotten = 0;
        for (ApplyChangesInput.Change t : settled) {
            if (items.forgetTombstone(table, ItemKey.ofKey(table, t.key()), new ItemVersion(t.timestamp(), t.region(), true))) {
                forgotten++;
            }
        }
        return forgotten;
    }

    @Override
    public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
        TableDefinition table = catalog.require(request.tableName());
        List<ApplyChangesInput.Change> settled = new ArrayList<>();
        Replicator toSource;
        synchronized (replicators) {
            toSource = replicators.get(table.id() + "/" + request.sourceRegion());
        }
        if (table.replication() == null || toSource == null || !toSource.copied()) {
            return new ApplyChangesInput(table.name(), region, settled);
        }
        // Versions first, then the log still to send: a change made before a version was applied here is
        // in the log by then.
        for (ApplyChangesInput.Change change : request.changes()) {
            ItemVersion mine = versions.read(table, ItemKey.ofKey(table, change.key()));
            ItemVersion theirs = new ItemVersion(change.timestamp(), change.region(), true);
            if (mine != null && !theirs.isNewerThan(mine)) settled.add(change);
        }
        Set<Map<String, AttributeValue>> pending = new HashSet<>();
        long from = toSource.durableCheckpoint();
        for (List<LogEntry> entries = storage.readLog(ItemVersions.logName(table.id()), from, 1000);
             !entries.isEmpty(); entries = storage.readLog(ItemVersions.logName(table.id()), from, 1000)) {
            for (LogEntry entry : entries) {
                pending.add(ItemVersions.Record.decode(entry.payload()).keyAttributes());
            }
            from = entries.getLast().sequence();
            if (pending.size() > SETTLED_LOG_LIMIT) return new ApplyChangesInput(table.name(), region, List.of());
        }
        settled.removeIf(change -> pending.contains(change.key()));
        return new ApplyChangesInput(table.name(), region, settled);
    }

    // ---- Background: replicators, announcements, trimming ----

    private void wake() {
        synchronized (signal) {
            changed = true;
            signal.notifyAll();
        }
    }

    private void wakeReplicators(TableDefinition table) {
        List<Replicator> each;
        synchronized (replicators) {
            each = List.copyOf(replicators.values());
        }
        for (Replicator r : each) {
            if (r.table().id() == table.id()) r.wake();
        }
    }

    private void maintain() {
        while (running) {
            try {
                synchronized (signal) {
                    if (!changed) signal.wait(MAINTENANCE_MILLIS);
                    changed = false;
                }
                if (!running) break;
                reconcile();
                announce();
                finishLeaving();
                if (System.currentTimeMillis() - lastTombstonePass >= TOMBSTONE_PASS_MILLIS) {
                    lastTombstonePass = System.currentTimeMillis();
                    for (TableDefinition t : catalog.tables()) {
                        if (t.isGlobal()) collectTombstones(t.name(), lastTombstonePass - TOMBSTONE_MIN_AGE_MILLIS);
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Global tables maintenance failed (retrying): {}", e.toString());
            }
        }
    }

    /** Starts a replicator for each (global table, peer) that has none, and stops those no longer wanted. */
    private void reconcile() {
        Map<String, TableDefinition> wanted = new HashMap<>();
        Map<String, String> peerOf = new HashMap<>();
        for (TableDefinition t : catalog.tables()) {
            if (!t.isGlobal()) continue;
            for (Replica r : t.replication().replicas()) {
                if (!peers.containsKey(r.region()) || !r.replicated()) continue;
                wanted.put(t.id() + "/" + r.region(), t);
                peerOf.put(t.id() + "/" + r.region(), r.region());
            }
        }
        List<Replicator> stopped = new ArrayList<>();
        synchronized (replicators) {
            replicators.entrySet().removeIf(e -> {
                if (wanted.containsKey(e.getKey())) return false;
                stopped.add(e.getValue());
                return true;
            });
            for (Map.Entry<String, TableDefinition> e : wanted.entrySet()) {
                if (replicators.containsKey(e.getKey())) continue;
                String peer = peerOf.get(e.getKey());
                Replicator r = new Replicator(e.getValue(), region, peer, peers.get(peer), storage, catalog,
                        this::copied, () -> trim(e.getValue()), copies);
                replicators.put(e.getKey(), r);
                r.start();
            }
        }
        for (Replicator r : stopped) {
            r.stop();
            r.forget();
            TableDefinition live = catalog.find(r.table().name());
            if (live == null || live.id() != r.table().id()) {
                // The table is gone: so are its log and versions.
                storage.trimLog(ItemVersions.logName(r.table().id()), Long.MAX_VALUE);
                storage.dropTable(r.table().replication().versionsStorageId());
            }
        }
    }

    /**
     * Deletes each table whose replica left its group once it has sent every other member all it holds
     * for them. New writes were refused from the moment it began leaving; waiting for the writes in flight
     * makes the check final.
     */
    private void finishLeaving() {
        for (TableDefinition t : catalog.tables()) {
            if (t.replication() == null || !t.replication().leaving()) continue;
            if (!drained(t)) continue;
            catalog.awaitWritesInFlight();
            if (!drained(t)) continue;
            try {
                tables.deleteTable(DeleteTableInput.builder().tableName(t.name()).build());
                log.info("Replica of {} in {} deleted: removed from the global table", t.name(), region);
            } catch (DynamoDbException e) {
                // Deletion protection: the table stays DELETING until it is turned off.
                if (undeletable.add(t.id())) {
                    log.warn("Replica of {} in {} cannot be deleted (retrying): {}", t.name(), region, e.getMessage());
                }
            }
        }
    }

    /** Whether every member this region replicates to has everything this region holds for it. */
    private boolean drained(TableDefinition t) {
        for (Replica r : t.replication().replicas()) {
            if (!peers.containsKey(r.region()) || !r.replicated()) continue;
            Replicator replicator;
            synchronized (replicators) {
                replicator = replicators.get(t.id() + "/" + r.region());
            }
            if (replicator == null || !replicator.drained()) return false;
        }
        return true;
    }

    /**
     * The first copy from this region to a peer is done: the peer's replica is ACTIVE as this region
     * sees it (every region copies what it holds to a new member, and reports it ACTIVE once done). Not
     * announced: only the region that ran ReplicaUpdates tells others the group, so that a region whose
     * view is older never overrules a newer one.
     */
    private void copied(Replicator replicator) {
        catalog.updateIfPresent(replicator.table(), t -> {
            Replica known = t.replication() == null ? null : t.replication().replica(replicator.peerRegion());
            if (known == null || !ReplicationSettings.CREATING.equals(known.status())) return t;
            return t.withReplication(t.replication().with(known.withStatus(ReplicationSettings.ACTIVE)));
        });
    }

    /** Sends each pending announcement to the regions that have not acknowledged it yet. */
    private void announce() {
        for (String key : storage.listMeta(ANNOUNCE_PREFIX).keySet()) {
            String name = key.substring(ANNOUNCE_PREFIX.length());
            long generation;
            synchronized (this) {
                generation = generations.getOrDefault(name, 0L);
            }
            TableDefinition table = catalog.find(name);
            List<String> failed = new ArrayList<>();
            if (table != null && table.replication() != null) {
                ReplicaGroupInput group = group(table);
                for (String target : pendingAnnouncement(name)) {
                    if (!announceTo(table, target, group)) failed.add(target);
                }
            }
            synchronized (this) {
                // A newer announcement queued meanwhile stays whole; else only the regions that failed remain.
                if (generations.getOrDefault(name, 0L) != generation) continue;
                storage.putMeta(key, failed.isEmpty() ? null : String.join(",", failed).getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /**
     * Tells {@code target} the group; false when it must be told again later. What the answer means
     * depends on what {@code target} is here: a new replica whose creation it refuses for good becomes
     * CREATION_FAILED; a removed region that acknowledges (its table gone), once this region has stopped
     * replicating to it, is a removal complete.
     */
    private boolean announceTo(TableDefinition table, String target, ReplicaGroupInput group) {
        Replica member = table.replication().replica(target);
        Replica removal = member == null ? table.replication().removal(target) : null;
        boolean deleting = removal != null && ReplicationSettings.DELETING.equals(removal.status());
        if (member != null && !member.replicated()) return true;  // it refused its replica: nothing more to tell it
        ReplicationApi peer = peers.get(target);
        if (peer == null) {
            if (deleting) removalDone(table, target, "it is not a peer of this region, which cannot follow its deletion");
            return true;
        }
        try {
            peer.putReplicaGroup(group);
        } catch (ResourceInUseException stillDeleting) {
            log.debug("{} is still deleting its replica of {}", target, table.name());
            return false;
        } catch (DynamoDbException e) {
            if (!PeerRefusal.isFinal(e)) return retryLater(table, target, e);
            if (member != null && ReplicationSettings.CREATING.equals(member.status())) {
                creationFailed(table, member, PeerRefusal.creationFailed(target, e));
                return true;
            }
            if (deleting) {
                removalDone(table, target, "it refuses this region's calls (" + e.code() + ": " + e.getMessage() + ")");
                return true;
            }
            return retryLater(table, target, e);
        } catch (RuntimeException e) {
            return retryLater(table, target, e);
        }
        if (deleting) {
            boolean replicating;
            synchronized (replicators) {
                replicating = replicators.containsKey(table.id() + "/" + target);
            }
            if (replicating) return false;  // stopped by the next reconcile, then told again
            removalDone(table, target, null);
        }
        return true;
    }

    private boolean retryLater(TableDefinition table, String target, RuntimeException e) {
        log.warn("Telling {} the replicas of {} failed (retrying): {}", target, table.name(), e.toString());
        return false;
    }

    /** {@code target}'s replica is gone (or this region can follow it no further): DescribeTable stops listing it. */
    private void removalDone(TableDefinition table, String target, String unconfirmedBecause) {
        catalog.updateIfPresent(table, t -> t.replication() == null ? t
                : t.withReplication(t.replication().withRemovalDone(target)));
        if (unconfirmedBecause == null) {
            log.info("Replica of {} in {} is gone: removal complete", table.name(), target);
        } else {
            log.warn("Replica of {} in {} no longer listed, its deletion unconfirmed: {}", table.name(), target,
                    unconfirmedBecause);
        }
    }

    /**
     * The new replica's region refused for good to create its table: CREATION_FAILED, with why, and the
     * other members are told (they stop replicating to it). It stays so until removed with ReplicaUpdates.
     */
    private void creationFailed(TableDefinition table, Replica replica, String description) {
        TableDefinition updated = catalog.updateIfPresent(table, t -> {
            Replica known = t.replication() == null ? null : t.replication().replica(replica.region());
            if (known == null || known.changedAt() != replica.changedAt()
                    || !ReplicationSettings.CREATING.equals(known.status())) {
                return t;
            }
            return t.withReplication(t.replication().with(known.withStatus(ReplicationSettings.CREATION_FAILED,
                    description)));
        });
        log.warn("Replica of {} in {}: CREATION_FAILED. {}", table.name(), replica.region(), description);
        if (updated == null) return;
        Set<String> others = new LinkedHashSet<>();
        for (Replica r : updated.replication().replicas()) {
            if (!r.region().equals(replica.region())) others.add(r.region());
        }
        if (!others.isEmpty()) announceLater(updated.name(), others);
    }

    /** Trims a table's log through what every peer has acknowledged. */
    private void trim(TableDefinition table) {
        long through = Long.MAX_VALUE;
        int count = 0;
        synchronized (replicators) {
            for (Replicator r : replicators.values()) {
                if (r.table().id() != table.id()) continue;
                through = Math.min(through, r.checkpoint());
                count++;
            }
        }
        TableDefinition live = catalog.find(table.name());
        // Only when every replica has a running replicator: a peer not configured here still needs the log
        // (one that refused its replica does not: added again, it gets a first copy).
        if (live == null || live.replication() == null
                || count < live.replication().replicas().stream().filter(Replica::replicated).count()) {
            return;
        }
        if (through > 0 && through != Long.MAX_VALUE) storage.trimLog(ItemVersions.logName(table.id()), through);
    }

    /** The group as this region knows it, and what creates the table where it is missing. */
    private ReplicaGroupInput group(TableDefinition t) {
        List<ReplicaGroupInput.Replica> replicas = new ArrayList<>();
        replicas.add(new ReplicaGroupInput.Replica(region, ReplicationSettings.ACTIVE, null, t.replication().ownChangedAt()));
        for (Replica r : t.replication().replicas()) {
            replicas.add(new ReplicaGroupInput.Replica(r.region(), r.status(), r.tableClassOverride(), r.changedAt(),
                    r.statusDescription()));
        }
        for (Replica r : t.replication().removed()) {
            replicas.add(new ReplicaGroupInput.Replica(r.region(), ReplicationSettings.REMOVED, null, r.changedAt()));
        }
        String timeToLive = t.timeToLive() != null && t.timeToLive().enabled() ? t.timeToLive().attributeName() : null;
        return new ReplicaGroupInput(createTableInput(t), replicas, timeToLive);
    }

    /** CreateTable for a replica: same keys, indexes and billing, and the stream replicas need. */
    private static CreateTableInput createTableInput(TableDefinition t) {
        List<AttributeDefinition> attributes = new ArrayList<>();
        t.attributeDefinitions().forEach((name, type) -> attributes.add(new AttributeDefinition(name, type)));
        List<GlobalSecondaryIndex> indexes = null;
        if (!t.globalIndexes().isEmpty()) {
            indexes = new ArrayList<>();
            for (GlobalIndex index : t.globalIndexes()) {
                List<String> nonKey = index.projectionType().equals(GlobalIndex.INCLUDE) ? index.nonKeyAttributes() : null;
                indexes.add(GlobalSecondaryIndex.builder().indexName(index.name())
                        .keySchema(index.keySchema().describe())
                        .projection(new Projection(index.projectionType(), nonKey)).build());
            }
        }
        return CreateTableInput.builder()
                .tableName(t.name())
                .attributeDefinitions(attributes)
                .keySchema(t.keySchema().describe())
                .globalSecondaryIndexes(indexes)
                .billingMode(t.billingMode())
                .streamSpecification(new StreamSpecification(true, StreamSettings.NEW_AND_OLD_IMAGES))
                .tableClass(t.tableClass())
                .build();
    }

    @Override
    public void close() {
        running = false;
        wake();
        try {
            maintenance.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Replicator> each;
        synchronized (replicators) {
            each = List.copyOf(replicators.values());
            replicators.clear();
        }
        for (Replicator r : each) r.stop();
    }
}

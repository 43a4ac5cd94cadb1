package dev.flywheel.engine.item;

import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.shapes.ItemCollectionMetrics;
import dev.flywheel.engine.index.LocalIndexWrites;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.TransactionConflictException;
import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Items of a table in storage: read one, and change one by read, check, compare-and-set.
 *
 * <p>A change is computed from the item as read; storage applies it only if the row still holds
 * what was read, else the change is computed again on the new item. So every DynamoDB rule (and
 * every condition) is checked against exactly the item the write replaces, without holding a lock
 * across the engine's work.
 *
 * <p>The write carries the records its {@link ItemChangeLog} derives from the change (old and new
 * item), in the same atomic storage write, so an index can never miss nor reorder a change. It runs
 * inside {@link Catalog#beginWrite}, deriving them under the table's definition current at that
 * moment, so a definition change (an index added) can wait for every write that did not see it.
 *
 * <p>The entries of the table's local secondary indexes are rows of companion tables in the item's
 * partition ({@link LocalIndexWrites}), changed in the same atomic write as the item; a write that would
 * grow their item collection past its limit is refused ({@link ItemCollections}).
 *
 * <p>Every write also states what it requires of the item's lock row ({@link ItemLock}), checked in
 * the same atomic step: a plain write to an item a transaction holds is refused with
 * TransactionConflictException, as DynamoDB refuses it, unless the lock is abandoned
 * ({@link AbandonedLocks}). On RocksDB the check costs one point read
 * under the partition's lock (the backend skips deleting a row it found absent).
 *
 * <p>An item of a global table also has a version ({@link ItemVersions}), read with the item and
 * written with it as a companion row: a local write gets a newer one and is logged for replication; a
 * replicated write ({@link #applyReplicated}) applies only if its version is newer than the item's.
 */
public final class ItemStore {
    /** DynamoDB's message for a write to an item a transaction holds (docs/dynamodb-error-messages.md 4.4; unverified). */
    public static final String TRANSACTION_ONGOING = "Transaction is ongoing for the item";

    private final Storage storage;
    private final Catalog catalog;
    private final ItemChangeLog changeLog;
    private final ItemCollections collections;
    private final ItemVersions versions;
    private volatile AbandonedLocks abandonedLocks = AbandonedLocks.NONE;

    /** An item store without global tables (engine tests). */
    public ItemStore(Storage storage, Catalog catalog, ItemChangeLog changeLog) {
        this(storage, catalog, changeLog, new ItemCollections(storage), null);
    }

    /** {@code versions} null: no table may be global (engine tests). */
    public ItemStore(Storage storage, Catalog catalog, ItemChangeLog changeLog, ItemCollections collections,
                     ItemVersions versions) {
        this.storage = storage;
        this.catalog = catalog;
        this.changeLog = changeLog;
        this.collections = collections;
        this.versions = versions;
    }

    /** Who tells whether a lock a write meets is abandoned (the transactions; set once, at startup). */
    public void releaseAbandonedLocksWith(AbandonedLocks locks) {
        this.abandonedLocks = locks;
    }

    /** The ItemCollectionMetrics a write of the item at {@code key} returns (null unless asked for and relevant). */
    public ItemCollectionMetrics collectionMetrics(String returnItemCollectionMetrics, TableDefinition table, ItemKey key) {
        return collections.metrics(returnItemCollectionMetrics, table, key);
    }

    /** The item, or null when absent. */
    public Map<String, AttributeValue> get(TableDefinition table, ItemKey key) {
        return get(table, key, ReadConsistency.STRONG);
    }

    /** The item as recent as {@code consistency} asks (a request's ConsistentRead), or null when absent. */
    public Map<String, AttributeValue> get(TableDefinition table, ItemKey key, ReadConsistency consistency) {
        byte[] bytes = getStored(table, key, consistency);
        return bytes == null ? null : ItemCodec.decode(bytes);
    }

    /** The item in its stored form ({@link ItemCodec}), or null: for readers that decode part of it. */
    public byte[] getStored(TableDefinition table, ItemKey key) {
        return getStored(table, key, ReadConsistency.STRONG);
    }

    /**
     * As {@link #getStored(TableDefinition, ItemKey)}, as recent as {@code consistency} asks; on a thread
     * that must not block ({@link NonBlocking#attempt}), from memory or not at all.
     */
    public byte[] getStored(TableDefinition table, ItemKey key, ReadConsistency consistency) {
        if (!NonBlocking.attempting()) return storage.get(table.id(), key.partitionKey(), key.sortKey(), consistency);
        byte[] cached = storage.getIfCached(table.id(), key.partitionKey(), key.sortKey());
        if (cached == Storage.NOT_IN_MEMORY) throw NonBlocking.WouldBlock.INSTANCE;
        return cached;
    }

    /** What a request's ConsistentRead asks of storage: strong only when true (DynamoDB's default is eventual). */
    public static ReadConsistency consistency(Boolean consistentRead) {
        return Boolean.TRUE.equals(consistentRead) ? ReadConsistency.STRONG : ReadConsistency.EVENTUAL;
    }

    /**
     * The id of the transaction holding the item (its lock row), or null when none does.
     */
    public byte[] lockOwner(TableDefinition table, ItemKey key) {
        return storage.get(table.lockTableId(), key.partitionKey(), key.sortKey());
    }

    /**
     * Whether a write may not start on {@code table}: a global table's replica leaving its group (see
     * {@link dev.flywheel.engine.table.ReplicationSettings#leaving}) takes no new writes, whether a
     * client's, a transaction's lock or another region's, so that what it still sends the others is
     * all it acknowledged. Time to live's deletions (which every region makes itself) and the
     * completion of a transaction already prepared go on.
     */
    private static boolean refusedWhileLeaving(TableDefinition table, ChangeOrigin origin, ItemLock lock) {
        return table.replication() != null && table.replication().leaving() && origin != ChangeOrigin.TIME_TO_LIVE
                && !lock.releases();
    }

    /** The item before and after a write; either may be null (absent). */
    public record Change(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {}

    /**
     * Replaces the item with {@code change.apply(current)} (null: delete it), atomically with
     * respect to every other write of the item. {@code change} may run several times, and may throw
     * to abandon the write (a failed condition).
     */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change) {
        return write(table, key, change, ChangeOrigin.REQUEST, ItemLock.FREE, null);
    }

    /** As {@link #write(TableDefinition, ItemKey, UnaryOperator)}, on behalf of {@code origin}. */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change,
                        ChangeOrigin origin) {
        return write(table, key, change, origin, ItemLock.FREE, null);
    }

    /**
     * As {@link #write(TableDefinition, ItemKey, UnaryOperator)}, with what the write requires of, and
     * leaves in, the item's lock row (a transaction's writes; plain writes use {@link ItemLock#FREE}).
     *
     * @throws TransactionConflictException if the lock row does not hold what {@code lock} expects
     */
    public Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change, ItemLock lock) {
        return write(table, key, change, ChangeOrigin.REQUEST, lock, null);
    }

    /**
     * Applies a write made in another region of a global table: the item becomes {@code item} (null:
     * deleted) with {@code version}, unless the item here has a newer version (last writer wins), in
     * which case nothing changes. Idempotent: applying it again changes nothing.
     */
    public void applyReplicated(TableDefinition table, ItemKey key, Map<String, AttributeValue> item, ItemVersion version) {
        write(table, key, current -> item, ChangeOrigin.REPLICATION, ItemLock.FREE, version);
    }

    /**
     * Forgets {@code key}'s tombstone in a global table (GlobalTables decides when that is safe): in one
     * atomic write, only if the item is still absent, {@code tombstone} is still its version and no
     * transaction holds it. Nothing derives from it (no stream record, no replication).
     *
     * @return whether the tombstone was forgotten (false: something changed the item meanwhile)
     */
    public boolean forgetTombstone(TableDefinition table, ItemKey key, ItemVersion tombstone) {
        try (Catalog.Write write = catalog.beginWrite(table)) {
            TableDefinition t = write.table();
            if (t.replication() == null) return false;
            RowWrite stillAbsent = RowWrite.delete(key.sortKey(), Expected.ABSENT);
            RowWrite unlocked = new RowWrite(key.sortKey(), ItemLock.FREE.newValue(), ItemLock.FREE.expected());
            RowWrite forget = RowWrite.delete(key.sortKey(), Expected.value(tombstone.encode()));
            return storage.write(new PartitionWrite(t.id(), key.partitionKey(), List.of(stillAbsent), List.of(), List.of(
                    new CompanionWrite(t.lockTableId(), List.of(unlocked)),
                    new CompanionWrite(t.replication().versionsStorageId(), List.of(forget))))) == WriteOutcome.APPLIED;
        }
    }

    /**
     * A write that needs the item unlocked and meets a lock asks, once, whether the lock is abandoned
     * (outside the catalog's write gate, which is not reentrant: finishing a transaction writes items).
     */
    private Change write(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change,
                         ChangeOrigin origin, ItemLock lock, ItemVersion replicated) {
        try {
            return writeInGate(table, key, change, origin, lock, replicated);
        } catch (TransactionConflictException locked) {
            if (!(lock.expected() instanceof Expected.Absent)) throw locked;
            byte[] holder = lockOwner(table, key);
            if (holder != null && !abandonedLocks.releaseIfAbandoned(table, key, holder)) throw locked;
            return writeInGate(table, key, change, origin, lock, replicated);
        }
    }

    /** @param replicated the version of a replicated write ({@link #applyReplicated}); null for a local one */
    private Change writeInGate(TableDefinition table, ItemKey key, UnaryOperator<Map<String, AttributeValue>> change,
                         ChangeOrigin origin, ItemLock lock, ItemVersion replicated) {
        try (Catalog.Write write = catalog.beginWrite(table)) {
            if (refusedWhileLeaving(write.table(), origin, lock)) {
                // DynamoDB answers so for a table that is not ACTIVE; checked under the write gate, so once
                // GlobalTables has waited for the writes in flight, the table's replication log is complete.
                throw new ResourceNotFoundException("Requested resource not found");
            }
            while (true) {
                byte[] current = storage.get(table.id(), key.partitionKey(), key.sortKey());
                ItemVersion version = versions == null ? null : versions.read(write.table(), key);
                Map<String, AttributeValue> oldItem = current == null ? null : ItemCodec.decode(current);
                if (replicated != null && !replicated.isNewerThan(version)) return new Change(oldItem, oldItem);
                Map<String, AttributeValue> newItem = change.apply(oldItem);
                // Deleting nothing changes nothing: it needs no storage write (and ignores locks, as if first);
                // a replicated delete of an absent item still leaves its tombstone.
                if (newItem == null && current == null && lock == ItemLock.FREE && replicated == null) {
                    return new Change(null, null);
                }
                byte[] updated = newItem == null ? null : ItemCodec.encode(newItem);
                // Rewriting the same bytes changes nothing anything derives from.
                boolean unchanged = Arrays.equals(current, updated);
                List<DerivedRecord> derived = unchanged ? List.of()
                        : changeLog.records(write.table(), current, updated, origin);
                long growth = unchanged ? 0 : collections.checkLimit(write.table(), key, oldItem, newItem);
                ItemVersions.Stamp stamp = versions == null || (unchanged && replicated == null) ? ItemVersions.Stamp.NONE
                        : versions.stamp(write.table(), key, version, updated, replicated);
                if (!stamp.records().isEmpty()) {
                    derived = new ArrayList<>(derived);
                    derived.addAll(stamp.records());
                }
                Expected expected = Expected.value(current);
                RowWrite row = updated == null
                        ? RowWrite.delete(key.sortKey(), expected)
                        : RowWrite.put(key.sortKey(), updated, expected);
                RowWrite lockRow = new RowWrite(key.sortKey(), lock.newValue(), lock.expected());
                List<CompanionWrite> companions = new ArrayList<>();
                if (!unchanged) companions.addAll(LocalIndexWrites.companions(write.table(), oldItem, newItem));
                companions.add(new CompanionWrite(table.lockTableId(), List.of(lockRow)));
                companions.addAll(stamp.companions());
                PartitionWrite partitionWrite = new PartitionWrite(table.id(), key.partitionKey(), List.of(row), derived,
                        companions);
                if (storage.write(partitionWrite) == WriteOutcome.APPLIED) {
                    if (!derived.isEmpty()) changeLog.appended(write.table());
                    if (!stamp.records().isEmpty()) versions.appended(write.table());
                    collections.applied(write.table(), key, growth);
                    return new Change(oldItem, newItem);
                }
                if (!lock.expected().matches(lockOwner(table, key))) {
                    throw new TransactionConflictException(TRANSACTION_ONGOING);
                }
                // Another write changed the item between our read and our write: compute again.
            }
        }
    }
}

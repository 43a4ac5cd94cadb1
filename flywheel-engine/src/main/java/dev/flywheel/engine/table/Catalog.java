package dev.flywheel.engine.table;

import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.DynamoDbException.ResourceInUseException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * The tables of this Flywheel: their definitions, persisted in the storage's metadata
 * ({@code table/<name>}) and held in memory for every request.
 *
 * <p>Reads are lock-free; changes are serialized by this object's monitor and written to storage
 * before they become visible, so a definition a request saw is always durable. Item writes run inside
 * {@link #beginWrite} so that changes which must not race them (dropping a table, backfilling an index)
 * can wait for them with {@link #awaitWritesInFlight}.
 *
 * <p>A deleted table leaves a marker ({@code dropped/<id>}, its last definition) until whatever it
 * derived (index entries, logs) is cleaned up by their owner: see {@link #droppedTables}.
 */
public final class Catalog {
    private static final String TABLE_PREFIX = "table/";
    private static final String NEXT_TABLE_ID = "next-table-id";
    private static final String DROPPED_PREFIX = "dropped/";
    private static final String TABLE_ID_CLAIM_PREFIX = "table-id/";

    private final Storage storage;
    private final Arns arns;
    private final ConcurrentSkipListMap<String, TableDefinition> tables = new ConcurrentSkipListMap<>();
    private final WriteGate writes = new WriteGate();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile long deletions;
    /**
     * Storage id of each index (global and local) and companion table to its table's: read on every
     * encrypted storage call, rebuilt on each change.
     */
    private volatile Map<Long, Long> indexOwners = Map.of();

    public Catalog(Storage storage, Arns arns) {
        this.storage = storage;
        this.arns = arns;
        for (byte[] bytes : storage.listMeta(TABLE_PREFIX).values()) {
            TableDefinition t = TableDefinitionFormat.read(bytes);
            tables.put(t.name(), t);
        }
        indexOwners = indexOwners();
    }

    public Arns arns() { return arns; }

    /**
     * The table named by {@code nameOrArn} (DynamoDB accepts a table ARN wherever a TableName goes).
     *
     * @throws ResourceNotFoundException with DynamoDB's data-plane message when there is none
     */
    public TableDefinition require(String nameOrArn) {
        TableDefinition t = find(nameOrArn);
        if (t == null) throw new ResourceNotFoundException("Requested resource not found");
        return t;
    }

    /** As {@link #require}, with the message DynamoDB's control-plane operations answer. */
    public TableDefinition requireForControlPlane(String nameOrArn) {
        TableDefinition t = find(nameOrArn);
        if (t == null) {
            throw new ResourceNotFoundException(
                    "Requested resource not found: Table: " + arns.tableName(nameOrArn) + " not found");
        }
        return t;
    }

    /** The table named by a valid name or an ARN, or null; an invalid name is a ValidationException. */
    public TableDefinition find(String nameOrArn) {
        String name = arns.tableName(nameOrArn);
        TableDefinition table = tables.get(name);
        if (table != null) return table;
        // Only a name that names no table can be invalid: check it off the hot path.
        if (name.equals(nameOrArn)) TableNames.validate(name);
        // Looking it up in storage waits: not on a thread that must not block.
        if (NonBlocking.attempting()) throw NonBlocking.WouldBlock.INSTANCE;
        return loadCreatedElsewhere(name);
    }

    /**
     * A table this catalog does not know may have been created by another server sharing the storage
     * (Flywheel servers in front of one Cassandra cluster): it is usable here at once. Changes and
     * deletions made elsewhere are seen by {@link #refresh}.
     */
    private synchronized TableDefinition loadCreatedElsewhere(String name) {
        TableDefinition known = tables.get(name);
        if (known != null) return known;
        byte[] stored = storage.getMeta(TABLE_PREFIX + name);
        if (stored == null) return null;
        TableDefinition table = TableDefinitionFormat.read(stored);
        tables.put(name, table);
        changed();
        return table;
    }

    /**
     * The storage id of the table a storage id belongs to (an index's table, a lock table's:
     * {@link TableDefinition#lockTableId}); the id itself otherwise.
     */
    public long tableOfStorageId(long storageId) {
        if (storageId < 0) return -storageId;
        return indexOwners.getOrDefault(storageId, storageId);
    }

    private Map<Long, Long> indexOwners() {
        Map<Long, Long> owners = new HashMap<>();
        for (TableDefinition table : tables.values()) {
            for (GlobalIndex index : table.globalIndexes()) owners.put(index.storageId(), table.id());
            for (LocalIndex index : table.localIndexes()) owners.put(index.storageId(), table.id());
            // A global table's item versions (a companion table) are sealed under the table's own key.
            if (table.replication() != null) owners.put(table.replication().versionsStorageId(), table.id());
        }
        return Map.copyOf(owners);
    }

    /** Table names in order, starting after {@code exclusiveStart} (null: from the first). */
    public List<String> names(String exclusiveStart, int limit) {
        Map<String, TableDefinition> tail = exclusiveStart == null ? tables : tables.tailMap(exclusiveStart, false);
        List<String> names = new ArrayList<>(Math.min(limit, tail.size()));
        for (String name : tail.keySet()) {
            if (names.size() == limit) break;
            names.add(name);
        }
        return names;
    }

    public boolean hasTableAfter(String name) {
        return tables.higherKey(name) != null;
    }

    /**
     * Allocates a storage id that no table has used before. Each id is claimed ({@code table-id/<id>},
     * first writer wins), so servers sharing the storage (Cassandra) never hand out the same one; the
     * counter only says where to start looking.
     */
    public synchronized long allocateId() {
        byte[] current = storage.getMeta(NEXT_TABLE_ID);
        long id = current == null ? 1 : ByteBuffer.wrap(current).getLong();
        byte[] claim = new byte[] {1};
        while (storage.putMetaIfAbsent(TABLE_ID_CLAIM_PREFIX + id, claim) != claim) id++;
        storage.putMeta(NEXT_TABLE_ID, ByteBuffer.allocate(8).putLong(id + 1).array());
        return id;
    }

    public synchronized void create(TableDefinition table) {
        if (tables.containsKey(table.name())) {
            throw new ResourceInUseException("Table already exists: " + table.name());
        }
        byte[] definition = TableDefinitionFormat.write(table);
        // Another server sharing the storage (Cassandra) may create the same name at the same moment: the first wins.
        if (storage.putMetaIfAbsent(TABLE_PREFIX + table.name(), definition) != definition) {
            throw new ResourceInUseException("Table already exists: " + table.name());
        }
        tables.put(table.name(), table);
        changed();
    }

    /** Replaces a table's definition with {@code change} applied to the current one. */
    public synchronized TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
        TableDefinition current = requireForControlPlane(name);
        TableDefinition updated = change.apply(current);
        storage.putMeta(TABLE_PREFIX + updated.name(), TableDefinitionFormat.write(updated));
        tables.put(updated.name(), updated);
        changed();
        return updated;
    }

    /**
     * Replaces {@code table}'s definition with {@code change} applied to its current one, if the table
     * still exists (background work may outlive it, or see it re-created under the same name).
     *
     * @return the new definition, or null when the table is gone
     */
    public synchronized TableDefinition updateIfPresent(TableDefinition table, UnaryOperator<TableDefinition> change) {
        TableDefinition current = tables.get(table.name());
        if (current == null || current.id() != table.id()) return null;
        return update(table.name(), change);
    }

    /**
     * Forgets the table and drops its rows, once no write to it is in flight (later ones find it gone).
     * Its marker, written first, survives a crash so that what the table derived is cleaned up anyway.
     */
    public synchronized void delete(TableDefinition table) {
        storage.putMeta(DROPPED_PREFIX + table.id(), TableDefinitionFormat.write(table));
        storage.putMeta(TABLE_PREFIX + table.name(), null);
        tables.remove(table.name());
        writes.awaitWritesInFlight();
        storage.dropTable(table.id());
        // Local index entries live and die with their items (global ones are dropped by their maintenance).
        for (LocalIndex index : table.localIndexes()) storage.dropTable(index.storageId());
        storage.dropTable(table.lockTableId());
        deletions++;
        changed();
    }

    /**
     * Re-reads every table definition from storage, for servers that share it: a table another server
     * updated or deleted is seen as it now is, and announced to the listeners as a change made here would
     * be (a table deleted elsewhere counts in {@link #deletions}; its rows are that server's to drop).
     * Why a periodic re-read rather than a check on every request: a request then costs a map lookup, as
     * on one server, and DynamoDB's own control-plane changes take effect asynchronously too.
     *
     * @return whether anything changed
     */
    public synchronized boolean refresh() {
        Map<String, byte[]> stored = new HashMap<>();
        for (byte[] bytes : storage.listMeta(TABLE_PREFIX).values()) {
            stored.put(TableDefinitionFormat.read(bytes).name(), bytes);
        }
        boolean changed = false;
        for (Map.Entry<String, byte[]> entry : stored.entrySet()) {
            TableDefinition known = tables.get(entry.getKey());
            if (known == null || !Arrays.equals(TableDefinitionFormat.write(known), entry.getValue())) {
                TableDefinition now = TableDefinitionFormat.read(entry.getValue());
                if (known != null && known.id() != now.id()) deletions++; // deleted and created again elsewhere
                tables.put(entry.getKey(), now);
                changed = true;
            }
        }
        for (String name : List.copyOf(tables.keySet())) {
            if (!stored.containsKey(name)) {
                tables.remove(name);
                deletions++;
                changed = true;
            }
        }
        if (changed) changed();
        return changed;
    }

    /** Calls {@code listener} after every change of a definition (on the changing thread: keep it short). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private void changed() {
        indexOwners = indexOwners();
        for (Runnable listener : listeners) listener.run();
    }

    /** How many tables were deleted since this catalog was loaded: a cheap way to notice a new deletion. */
    public long deletions() {
        return deletions;
    }

    /**
     * Deleted tables whose derived state may remain, by their last definition. A marker left by a
     * deletion that never completed (a crash between the two metadata writes) names a table that still
     * exists: it is removed here instead.
     */
    public synchronized List<TableDefinition> droppedTables() {
        List<TableDefinition> dropped = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : storage.listMeta(DROPPED_PREFIX).entrySet()) {
            TableDefinition t = TableDefinitionFormat.read(e.getValue());
            TableDefinition live = tables.get(t.name());
            if (live != null && live.id() == t.id()) storage.putMeta(e.getKey(), null);
            else dropped.add(t);
        }
        return dropped;
    }

    /** Removes a dropped table's marker, once its derived state is gone. */
    public void forgetDropped(TableDefinition table) {
        storage.putMeta(DROPPED_PREFIX + table.id(), null);
    }

    /** Every table, in name order. */
    public List<TableDefinition> tables() {
        return List.copyOf(tables.values());
    }

    /**
     * Starts a write of an item of {@code table}; close the returned scope once the storage write is done.
     * The scope's {@link Write#table()} is the table's definition current at this moment, which the write
     * must act on (its indexes may have changed since the request looked the table up).
     *
     * @throws ResourceNotFoundException if the table was deleted since the request looked it up
     */
    public Write beginWrite(TableDefinition table) {
        long stamp = writes.enter();
        TableDefinition current = tables.get(table.name());
        if (current == null || current.id() != table.id()) {
            writes.exit(stamp);
            throw new ResourceNotFoundException("Requested resource not found");
        }
        return new Write(current, stamp);
    }

    /** Waits until every write begun before this call has ended: later writes see today's definitions. */
    public void awaitWritesInFlight() {
        writes.awaitWritesInFlight();
    }

    /** A write in progress: see {@link #beginWrite}. Not thread-safe; close it exactly once. */
    public final class Write implements AutoCloseable {
        private final TableDefinition table;
        private final long stamp;

        private Write(TableDefinition table, long stamp) {
            this.table = table;
            this.stamp = stamp;
        }

        public TableDefinition table() {
            return table;
        }

        @Override
        public void close() {
            writes.exit(stamp);
        }
    }
}

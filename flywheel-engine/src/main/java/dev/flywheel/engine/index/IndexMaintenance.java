package dev.flywheel.engine.index;

import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps global secondary indexes current: one background thread per engine that applies each table's
 * log of {@link IndexChange}s (appended atomically with the item writes, see {@link GlobalIndexLog}),
 * backfills indexes added by UpdateTable ({@link IndexBackfill}), drops deleted indexes, and cleans up
 * after deleted tables.
 *
 * <h2>Applying a log</h2>
 * For each table with indexes, in turn: read up to {@value #LOG_BATCH} records after the table's
 * checkpoint (meta {@code gsi-applied/<table storage id>}), apply them in order ({@link IndexApplier}),
 * then record the last one's sequence as the checkpoint and trim the log through it. A crash between
 * applying and checkpointing applies those records again on restart, which gives the same entries:
 * each is an absolute put or delete, and the log is applied in order.
 *
 * <h2>Indexes coming and going</h2>
 * A CREATING index is maintained from the moment it is in the table's definition and backfilled a page
 * per pass; it becomes ACTIVE when the applier reaches the backfill's last record. A DELETING index is
 * no longer maintained; its rows are dropped, then it leaves the definition. When the last index of a
 * table goes, writes stop logging; once those in flight are done, the log is trimmed to its end.
 *
 * <h2>Threads</h2>
 * All the work is done by the one thread, so it never races itself (dropping an index's rows always
 * follows the last write to them). Writers only flag their table and wake it (an unpark when it may be
 * idle); a pass visits the flagged tables, or every table after a definition changed.
 * {@link #awaitCurrent} lets tests and tools wait until everything acknowledged before the call is
 * reflected in the indexes. The thread is a daemon, and {@link #close} stops it before storage is
 * closed; failures of storage are logged and retried after a pause.
 */
public final class IndexMaintenance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(IndexMaintenance.class);
    static final int LOG_BATCH = 256;
    private static final String CHECKPOINT_PREFIX = "gsi-applied/";
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Catalog catalog;
    private final Storage storage;
    private final IndexApplier applier;
    private final IndexBackfill backfill;
    private final Thread thread;
    private final AtomicBoolean pending = new AtomicBoolean(true);
    /** Storage ids of tables whose log may hold records to apply, or that have an index coming or going. */
    private final Set<Long> busy = ConcurrentHashMap.newKeySet();
    /** Set when a definition changed (and at start): the next pass looks at every table. */
    private final AtomicBoolean definitionsChanged = new AtomicBoolean(true);
    private volatile boolean closed;

    private final Object progress = new Object();
    private long requestedRounds;   // guarded by progress
    private long completedRounds;   // guarded by progress

    // Used by the maintenance thread only.
    private final Map<Long, Long> checkpoints = new HashMap<>();
    private long seenDeletions = -1;
    private boolean failed;

    public IndexMaintenance(Catalog catalog, Storage storage) {
        this.catalog = catalog;
        this.storage = storage;
        this.applier = new IndexApplier(storage);
        this.backfill = new IndexBackfill(catalog, storage);
        this.thread = Thread.ofPlatform().name("flywheel-index-maintenance").daemon().unstarted(this::run);
        catalog.onChange(() -> {
            definitionsChanged.set(true);
            wake();
        });
    }

    public void start() {
        thread.start();
    }

    /** Tells the thread that a write appended records to the log of table {@code tableStorageId}. */
    void appended(long tableStorageId) {
        busy.add(tableStorageId);
        wake();
    }

    private void wake() {
        if (!pending.getAndSet(true)) LockSupport.unpark(thread);
    }

    /**
     * Waits until every change acknowledged before this call is reflected in the indexes, and every
     * index being created or deleted then is done. It is over when a pass begun after the call finds
     * nothing to do, so under a write load that never pauses (on a slow backend, where a pass never
     * catches up with the log) it waits for the load to pause: poll DescribeTable's IndexStatus to
     * watch a backfill during writes.
     *
     * @return false if {@code timeout} passed first, or maintenance was closed
     */
    public boolean awaitCurrent(Duration timeout) throws InterruptedException {
        long round;
        synchronized (progress) {
            round = ++requestedRounds;
        }
        wake();
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (progress) {
            while (completedRounds < round) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || closed) return false;
                TimeUnit.NANOSECONDS.timedWait(progress, left);
            }
        }
        return true;
    }

    /** Stops the thread once its current step is done; call before closing storage. */
    @Override
    public void close() {
        closed = true;
        LockSupport.unpark(thread);
        synchronized (progress) {
            progress.notifyAll();
        }
        if (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (!closed) {
            pending.set(false);
            long round;
            synchronized (progress) {
                round = requestedRounds;
            }
            boolean more;
            try {
                more = pass();
            } catch (RuntimeException e) {
                if (closed) return;
                if (e instanceof StorageException.Unavailable) log.warn("Index maintenance: storage unavailable; retrying", e);
                else log.error("Index maintenance failed; retrying", e);
                more = true;
                failed = true;
            }
            if (failed) {
                failed = false;
                LockSupport.parkNanos(this, RETRY_NANOS);
            }
            if (more) continue;
            // A pass that found nothing to do began after every write acknowledged before `round` was asked for.
            synchronized (progress) {
                completedRounds = Math.max(completedRounds, round);
                progress.notifyAll();
            }
            if (!pending.get()) LockSupport.park(this);
        }
    }

    /**
     * One turn over the tables that may have work (every table, after a definition changed); true if
     * some work was done (so there may be more).
     */
    private boolean pass() {
        boolean more = false;
        long deletions = catalog.deletions();
        if (deletions != seenDeletions) {
            cleanUpDroppedTables();
            seenDeletions = deletions;
        }
        boolean everyTable = definitionsChanged.getAndSet(false);
        for (TableDefinition table : catalog.tables()) {
            if (closed) return false;
            boolean flagged = busy.remove(table.id());
            if (table.globalIndexes().isEmpty() || !(flagged || everyTable)) continue;
            boolean worked;
            try {
                worked = applyLog(table);
                // Applying the log may have activated an index: act on the definition as it is now.
                TableDefinition current = catalog.find(table.name());
                if (current != null && current.id() == table.id()) worked |= changeIndexes(current);
            } catch (StorageException.Unavailable e) {
                busy.add(table.id());
                throw e;
            } catch (RuntimeException e) {
                // A table whose maintenance fails (a bug, a record it cannot read) must not stop the others'.
                log.error("Index maintenance of table {} failed; retrying", table.name(), e);
                failed = true;
                worked = true;
            }
            if (worked) {
                busy.add(table.id());
                more = true;
            }
        }
        return more;
    }

    /** Does the next step of adding or removing one of the table's indexes; false if there was none. */
    private boolean changeIndexes(TableDefinition table) {
        for (GlobalIndex index : table.globalIndexes()) {
            if (index.status() == GlobalIndex.Status.DELETING) {
                drop(table, index);
                return true;
            }
        }
        boolean worked = false;
        for (GlobalIndex index : table.globalIndexes()) {
            if (index.status() == GlobalIndex.Status.CREATING) worked |= backfill.step(table, index);
        }
        return worked;
    }

    private void drop(TableDefinition table, GlobalIndex index) {
        storage.dropTable(index.storageId());
        backfill.forget(index);
        TableDefinition after = catalog.updateIfPresent(table, t -> t.withoutGlobalIndex(index.name()));
        log.info("Deleted global secondary index {} of table {}", index.name(), table.name());
        if (after != null && after.globalIndexes().isEmpty()) {
            // Writes that saw the index may still be appending: once they are done, nothing will.
            catalog.awaitWritesInFlight();
            storage.trimLog(GlobalIndexLog.name(table.id()), Long.MAX_VALUE);
            storage.putMeta(CHECKPOINT_PREFIX + table.id(), null);
            checkpoints.remove(table.id());
        }
    }

    /** The backfill's last record was applied, and every one before it: the index can be read. */
    private void activate(TableDefinition table, long indexStorageId) {
        for (GlobalIndex index : table.globalIndexes()) {
            // Already active: this record is applied again after a crash.
            if (index.storageId() != indexStorageId || index.status() != GlobalIndex.Status.CREATING) continue;
            catalog.updateIfPresent(table, t -> t.withGlobalIndex(index.name(), i ->
                    i.storageId() == indexStorageId && i.status() == GlobalIndex.Status.CREATING
                            ? i.withStatus(GlobalIndex.Status.ACTIVE) : i));
            backfill.forget(index);
            log.info("Global secondary index {} of table {} is active", index.name(), table.name());
        }
    }

    /** Applies the next batch of the table's log; false if it had none. */
    private boolean applyLog(TableDefinition table) {
        String name = GlobalIndexLog.name(table.id());
        List<LogEntry> entries = storage.readLog(name, checkpoint(table.id()), LOG_BATCH);
        if (entries.isEmpty()) return false;
        for (LogEntry entry : entries) {
            IndexChange change = IndexChange.decode(entry.payload());
            if (change.backfillComplete()) activate(table, change.targetIndex());
            else applier.apply(table, change);
        }
        long last = entries.getLast().sequence();
        storage.putMeta(CHECKPOINT_PREFIX + table.id(), ByteBuffer.allocate(8).putLong(last).array());
        checkpoints.put(table.id(), last);
        storage.trimLog(name, last);
        return true;
    }

    private long checkpoint(long tableId) {
        return checkpoints.computeIfAbsent(tableId, id -> {
            byte[] stored = storage.getMeta(CHECKPOINT_PREFIX + id);
            return stored == null ? 0L : ByteBuffer.wrap(stored).getLong();
        });
    }

    /**
     * A deleted table's indexes and log outlive its definition (the catalog drops only its rows): drop
     * them here, after any batch this thread applied to them. The catalog waited for writes in flight
     * before it reported the deletion, so no record can be appended to the log after it is trimmed.
     */
    private void cleanUpDroppedTables() {
        for (TableDefinition table : catalog.droppedTables()) {
            for (GlobalIndex index : table.globalIndexes()) {
                storage.dropTable(index.storageId());
                backfill.forget(index);
            }
            // The catalog drops them with the table; again here in case it crashed before it could.
            for (LocalIndex index : table.localIndexes()) storage.dropTable(index.storageId());
            storage.trimLog(GlobalIndexLog.name(table.id()), Long.MAX_VALUE);
            storage.putMeta(CHECKPOINT_PREFIX + table.id(), null);
            checkpoints.remove(table.id());
            busy.remove(table.id());
            catalog.forgetDropped(table);
        }
    }
}

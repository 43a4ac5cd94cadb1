package dev.flywheel.engine.transaction;

import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import dev.flywheel.storage.WriteOutcome;
import java.util.List;
import java.util.Map;

/**
 * A storage that stops changing anything from its n-th change on (a write or a metadata change) once
 * armed, as a process killed at that point would: what came before is kept, nothing after. Reads
 * keep working.
 */
final class CrashingStorage implements Storage {
    private final Storage backend;
    private int changesLeft = Integer.MAX_VALUE;
    private boolean once;
    private int changesBeforeAction;
    private Runnable action;
    private volatile boolean shared;

    CrashingStorage(Storage backend) {
        this.backend = backend;
    }

    /** Lets {@code changes} more changes through, then refuses every later one. */
    synchronized void crashAfter(int changes) {
        changesLeft = changes;
        once = false;
    }

    /** Lets {@code changes} more changes through, refuses the next one only (a passing failure), then heals. */
    synchronized void failOnceAfter(int changes) {
        changesLeft = changes;
        once = true;
    }

    /** Makes it say it is shared by other servers (as Cassandra is), so engines treat it so. */
    void share() {
        shared = true;
    }

    @Override public boolean isShared() { return shared; }

    synchronized void heal() {
        changesLeft = Integer.MAX_VALUE;
    }

    /**
     * Lets {@code changes} more changes through, then runs {@code action} (on the thread making the
     * next change, before it): what another server, or a recovery pass, might do at that moment.
     */
    synchronized void beforeChange(int changes, Runnable action) {
        this.changesBeforeAction = changes;
        this.action = action;
    }

    private void change() {
        Runnable due = null;
        synchronized (this) {
            if (action != null && changesBeforeAction-- == 0) {
                due = action;
                action = null;
            }
        }
        if (due != null) due.run();
        countChange();
    }

    private synchronized void countChange() {
        if (changesLeft <= 0) {
            if (once) heal();
            throw new StorageException.Unavailable("crashed", null);
        }
        changesLeft--;
    }

    @Override public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) { return backend.get(tableId, partitionKey, sortKey); }
    @Override public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        return backend.read(tableId, partitionKey, range, forward, limits);
    }
    @Override public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        return backend.scan(tableId, segment, totalSegments, after, limits);
    }
    @Override public WriteOutcome write(PartitionWrite write) { change(); return backend.write(write); }
    @Override public void dropTable(long tableId) { change(); backend.dropTable(tableId); }
    @Override public TableStats stats(long tableId) { return backend.stats(tableId); }
    @Override public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) { return backend.readLog(log, afterSequence, maxEntries); }
    @Override public void trimLog(String log, long throughSequence) { backend.trimLog(log, throughSequence); }
    @Override public byte[] getMeta(String key) { return backend.getMeta(key); }
    @Override public void putMeta(String key, byte[] value) { change(); backend.putMeta(key, value); }
    @Override public Map<String, byte[]> listMeta(String prefix) { return backend.listMeta(prefix); }
    @Override public void close() { backend.close(); }
}

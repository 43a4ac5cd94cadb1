package dev.flywheel.engine.replication;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemVersion;
import dev.flywheel.engine.item.ItemVersions;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.ReplicaCopyProgress;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one global table's local changes to one other region, on a thread of its own.
 *
 * <p>First, once per (table, peer), a full copy: the checkpoint is set to the end of the table's
 * replication log, then every item and every tombstone is sent with its version. Then, forever, the log
 * after the checkpoint, in batches; the checkpoint (metadata {@code replication/<table id>/<region>})
 * moves only after the peer acknowledged a batch. A crash resends at most one batch, and the peer's last
 * writer wins makes a resent change a no-op, so nothing is lost nor applied twice. The copy overlaps
 * the log (a write during the copy is sent by both): harmless for the same reason. A copy that fails
 * midway (the peer went away) resumes after the last batch the peer acknowledged, in this process;
 * its progress is reported to {@link ReplicaCopyProgress} for DescribeTable, and logged.
 *
 * <p>A peer that cannot be reached is retried with a growing pause (up to {@link #MAX_BACKOFF_MILLIS});
 * the log keeps growing meanwhile, and the peer catches up when it returns.
 */
final class Replicator implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Replicator.class);
    static final int BATCH = 100;
    private static final long MAX_BACKOFF_MILLIS = 5_000;
    private static final long IDLE_WAIT_MILLIS = 100;

    private final TableDefinition table;
    private final String region;
    private final String peerRegion;
    private final ReplicationApi peer;
    private final Storage storage;
    private final Catalog catalog;
    private final Consumer<Replicator> onCopied;
    private final Runnable onProgress;
    private final ReplicaCopyProgress progress;
    /** Where an interrupted first copy resumes; null until one started in this process. */
    private CopyPosition resume;
    private final Object signal = new Object();
    private volatile boolean running = true;
    private volatile boolean woken;
    private volatile long checkpoint;
    private Thread thread;

    Replicator(TableDefinition table, String region, String peerRegion, ReplicationApi peer, Storage storage,
               Catalog catalog, Consumer<Replicator> onCopied, Runnable onProgress, ReplicaCopyProgress progress) {
        this.table = table;
        this.region = region;
        this.peerRegion = peerRegion;
        this.peer = peer;
        this.storage = storage;
        this.catalog = catalog;
        this.onCopied = onCopied;
        this.onProgress = onProgress;
        this.progress = progress;
    }

    TableDefinition table() { return table; }
    String peerRegion() { return peerRegion; }

    /** Whether the first copy to the peer is done (durably). */
    boolean copied() {
        return storage.getMeta(copiedKey()) != null;
    }

    /**
     * The last log sequence the peer acknowledged, as kept durably: what a restart resends from, so
     * every change after it may still reach the peer.
     */
    long durableCheckpoint() {
        return readCheckpoint();
    }

    /** The last log sequence the peer acknowledged (what the log may be trimmed through). */
    long checkpoint() { return checkpoint; }

    void start() {
        thread = Thread.ofPlatform().daemon().name("flywheel-replication-" + table.name() + "-" + peerRegion).start(this);
    }

    /** Wakes the thread: the log grew. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops the thread, waiting for the batch in flight; the checkpoint stays for a later start. */
    void stop() {
        running = false;
        wake();
        if (thread != null && thread != Thread.currentThread()) {
            try {
                thread.join(MAX_BACKOFF_MILLIS * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        progress.clear(table.id(), peerRegion);
    }

    /**
     * Whether the peer has everything this region holds for it: the first copy is done, and the log
     * has nothing after the checkpoint.
     */
    boolean drained() {
        return copied() && storage.readLog(ItemVersions.logName(table.id()), checkpoint, 1).isEmpty();
    }

    /** Forgets the durable state of this (table, peer): the peer is a replica no more. */
    void forget() {
        storage.putMeta(checkpointKey(), null);
        storage.putMeta(copiedKey(), null);
    }

    private String checkpointKey() { return "replication/" + table.id() + "/" + peerRegion + "/checkpoint"; }
    private String copiedKey() { return "replication/" + table.id() + "/" + peerRegion + "/copied"; }

    @Override
    public void run() {
        long backoff = 0;
        while (running) {
            try {
                if (backoff > 0) pause(backoff);
                if (!running) break;
                if (storage.getMeta(copiedKey()) == null) {
                    copy();
                    if (!running) break;
                    storage.putMeta(copiedKey(), new byte[] {1});
                    progress.clear(table.id(), peerRegion);
                    onCopied.accept(this);
                }
                checkpoint = readCheckpoint();
                while (running) {
                    if (!sendBatch()) pause(IDLE_WAIT_MILLIS);
                }
                backoff = 0;
            } catch (RuntimeException e) {
                backoff = Math.min(MAX_BACKOFF_MILLIS, Math.max(100, backoff * 2));
                log.warn("Replicating {} to {} failed (retrying in {} ms): {}", table.name(), peerRegion, backoff,
                        e.toString());
            }
        }
    }

    /** Sends the next batch of the log, if any; false when there was nothing to send. */
    private boolean sendBatch() {
        List<LogEntry> entries = storage.readLog(ItemVersions.logName(table.id()), checkpoint, BATCH);
        if (entries.isEmpty()) return false;
        List<ApplyChangesInput.Change> changes = new ArrayList<>(entries.size());
        for (LogEntry entry : entries) {
            ItemVersions.Record record = ItemVersions.Record.decode(entry.payload());
            changes.add(new ApplyChangesInput.Change(record.keyAttributes(), record.itemAttributes(),
                    record.version().timestamp(), record.version().region()));
        }
        peer.applyChanges(new ApplyChangesInput(table.name(), region, changes));
        checkpoint = entries.getLast().sequence();
        storage.putMeta(checkpointKey(), ByteBuffer.allocate(8).putLong(checkpoint).array());
        onProgress.run();
        return true;
    }

    private long readCheckpoint() {
        byte[] bytes = storage.getMeta(checkpointKey());
        return bytes == null ? 0 : ByteBuffer.wrap(bytes).getLong();
    }

    /**
     * Where a first copy stands: the phase (items, then tombstones), the last row the peer acknowledged
     * in it, and the counts so far.
     */
    private static final class CopyPosition {
        boolean tombstones;
        RowKey after;
        long items, deletions, estimate;
        int loggedDecile;
    }

    /**
     * Sends every item and tombstone. The checkpoint is set first, at the log's end once every write
     * that did not yet know the table was global has ended: what the copy misses, the log has. A copy
     * resumed after a failure keeps that checkpoint, so what changed meanwhile is still in the log.
     */
    private void copy() {
        CopyPosition at = resume;
        if (at == null) {
            catalog.awaitWritesInFlight();
            long end = 0;
            for (List<LogEntry> entries = storage.readLog(ItemVersions.logName(table.id()), 0, 1000); !entries.isEmpty();
                 entries = storage.readLog(ItemVersions.logName(table.id()), end, 1000)) {
                end = entries.getLast().sequence();
            }
            storage.putMeta(checkpointKey(), ByteBuffer.allocate(8).putLong(end).array());
            at = new CopyPosition();
            at.estimate = storage.stats(table.id()).rowCount();
            resume = at;
            progress.report(table.id(), peerRegion, 0, at.estimate);
            log.info("Copying {} to {}: about {} items", table.name(), peerRegion, at.estimate);
        } else if (at.items > 0) {
            log.info("Copying {} to {}: resuming after {} items", table.name(), peerRegion, at.items);
        }
        long versionsId = table.replication().versionsStorageId();
        List<ApplyChangesInput.Change> batch = new ArrayList<>(BATCH);
        while (running && !at.tombstones) {
            Page page = storage.scan(table.id(), 0, 1, at.after, ReadLimits.rows(BATCH));
            RowKey last = at.after;
            for (Row row : page.rows()) {
                byte[] stored = storage.get(versionsId, row.partitionKey(), row.sortKey());
                // An item written before the table became global has no version: the oldest there is.
                ItemVersion version = stored == null ? new ItemVersion(0, region, false) : ItemVersion.decode(stored);
                Map<String, AttributeValue> item = ItemCodec.decode(row.value());
                batch.add(new ApplyChangesInput.Change(key(table, row), item, version.timestamp(), version.region()));
                last = row.key();
            }
            flush(batch);
            // Only what the peer acknowledged counts: a failure above resumes from the previous position.
            at.after = last;
            at.items += page.rows().size();
            progress.report(table.id(), peerRegion, at.items, at.estimate);
            logProgress(at);
            if (page.stopReason() == Page.StopReason.EXHAUSTED) {
                at.tombstones = true;
                at.after = null;
            }
        }
        while (running) {
            Page page = storage.scan(versionsId, 0, 1, at.after, ReadLimits.rows(BATCH));
            RowKey last = at.after;
            int deletions = 0;
            for (Row row : page.rows()) {
                ItemVersion version = ItemVersion.decode(row.value());
                if (version.deleted()) {
                    batch.add(new ApplyChangesInput.Change(key(table, row), null, version.timestamp(), version.region()));
                    deletions++;
                }
                last = row.key();
            }
            boolean end = page.stopReason() == Page.StopReason.EXHAUSTED;
            // The last batch goes even when empty: the peer's acknowledgement confirms it holds the replica,
            // which makes it ACTIVE (an empty table's copy would otherwise end without one call).
            if (end) peer.applyChanges(new ApplyChangesInput(table.name(), region, List.copyOf(batch)));
            else flush(batch);
            batch.clear();
            at.after = last;
            at.deletions += deletions;
            if (end) break;
        }
        if (!running) return;
        resume = null;
        log.info("Copied {} to {}: {} items, {} deletions", table.name(), peerRegion, at.items, at.deletions);
    }

    /** Logs the copy's progress each time it passes another tenth of the estimate. */
    private void logProgress(CopyPosition at) {
        int percent = new ReplicaCopyProgress.Progress(at.items, at.estimate).percent();
        if (percent / 10 <= at.loggedDecile) return;
        at.loggedDecile = percent / 10;
        log.info("Copying {} to {}: {} of about {} items sent ({}%)", table.name(), peerRegion, at.items, at.estimate,
                percent);
    }

    private void flush(List<ApplyChangesInput.Change> batch) {
        if (batch.isEmpty()) return;
        peer.applyChanges(new ApplyChangesInput(table.name(), region, List.copyOf(batch)));
        batch.clear();
    }

    /** The key attributes of a row of the table or of its versions (same keys). */
    static Map<String, AttributeValue> key(TableDefinition table, Row row) {
        return ItemKey.attributesOf(table, row.partitionKey(), row.sortKey());
    }

    /** Waits {@code millis}, or less if woken since the last pause. */
    private void pause(long millis) {
        synchronized (signal) {
            try {
                if (!woken) signal.wait(millis);
                woken = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}

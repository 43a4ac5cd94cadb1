package dev.flywheel.engine.query;

import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TableStats;
import dev.flywheel.storage.WriteOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A storage that notes the consistency of every row read (get, read, scan) the recording thread makes,
 * then passes it on. Reads by other threads (the engine's background appliers) are not noted, so what
 * one request asked of storage is what was noted during it.
 */
final class ConsistencyRecordingStorage implements Storage {
    /** One read: which call, of which storage table, how consistent. */
    record Read(String call, long tableId, ReadConsistency consistency) {}

    private final Storage backend;
    private final List<Read> reads = new ArrayList<>();
    private volatile Thread recording;

    ConsistencyRecordingStorage(Storage backend) {
        this.backend = backend;
    }

    /** Starts noting the reads of the calling thread, forgetting those noted before. */
    synchronized void recordThisThread() {
        reads.clear();
        recording = Thread.currentThread();
    }

    synchronized List<Read> reads() {
        return List.copyOf(reads);
    }

    private void note(String call, long tableId, ReadConsistency consistency) {
        if (Thread.currentThread() != recording) return;
        synchronized (this) {
            reads.add(new Read(call, tableId, consistency));
        }
    }

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        return get(tableId, partitionKey, sortKey, ReadConsistency.STRONG);
    }

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey, ReadConsistency consistency) {
        note("get", tableId, consistency);
        return backend.get(tableId, partitionKey, sortKey, consistency);
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        return read(tableId, partitionKey, range, forward, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits,
                     ReadConsistency consistency) {
        note("read", tableId, consistency);
        return backend.read(tableId, partitionKey, range, forward, limits, consistency);
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        return scan(tableId, segment, totalSegments, after, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits,
                     ReadConsistency consistency) {
        note("scan", tableId, consistency);
        return backend.scan(tableId, segment, totalSegments, after, limits, consistency);
    }

    @Override public WriteOutcome write(PartitionWrite write) { return backend.write(write); }
    @Override public void dropTable(long tableId) { backend.dropTable(tableId); }
    @Override public TableStats stats(long tableId) { return backend.stats(tableId); }
    @Override public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        return backend.readLog(log, afterSequence, maxEntries);
    }
    @Override public void trimLog(String log, long throughSequence) { backend.trimLog(log, throughSequence); }
    @Override public byte[] getMeta(String key) { return backend.getMeta(key); }
    @Override public void putMeta(String key, byte[] value) { backend.putMeta(key, value); }
    @Override public byte[] putMetaIfAbsent(String key, byte[] value) { return backend.putMetaIfAbsent(key, value); }
    @Override public Map<String, byte[]> listMeta(String prefix) { return backend.listMeta(prefix); }
    @Override public boolean isShared() { return backend.isShared(); }
    @Override public void close() { backend.close(); }
}

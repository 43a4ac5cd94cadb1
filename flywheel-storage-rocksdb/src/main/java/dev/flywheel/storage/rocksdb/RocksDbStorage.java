package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import dev.flywheel.storage.WriteOutcome;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.StampedLock;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * The embedded {@link Storage}: RocksDB, in one process.
 *
 * <p>Layout: rows, derived logs and metadata in three column families ({@link Database}); row keys
 * are {@link RowKeys}, so a table is a contiguous key range in Scan order and a partition a contiguous
 * range inside it; every range read is a {@link KeySpan} given to RocksDB as iterate bounds.
 *
 * <p>Writes: a {@link PartitionWrite} takes its partition's lock ({@link PartitionLocks}), reads the
 * current value of each row whose precondition is not ANY, and, if all hold, applies the rows and the
 * derived log entries, and the rows of its companion tables (local secondary indexes), in one
 * WriteBatch: atomic, and durable as configured ({@link RocksDbConfig}).
 * Readers take no lock; RocksDB gives each read a consistent view.
 *
 * <p>Lifecycle: every call holds a read stamp of {@code lifecycle} and {@link #close()} takes the
 * write stamp, so native objects are never freed under a running call; after close, calls throw
 * {@link StorageException.Unavailable}. A data directory can be open in one storage at a time:
 * RocksDB's LOCK file makes a second open, from this process or another, fail.
 */
public final class RocksDbStorage implements Storage {
    static {
        NativeLibrary.load();
    }

    private final Database db;
    private final DerivedLogs logs;
    private final Committer committer;
    private final PartitionLocks locks = new PartitionLocks();
    private final String where;
    private final StampedLock lifecycle = new StampedLock();
    private boolean closed; // guarded by lifecycle

    private RocksDbStorage(Database db, DerivedLogs logs, Committer committer, String where) {
        this.db = db;
        this.logs = logs;
        this.committer = committer;
        this.where = where;
    }

    /**
     * Opens (creating if needed) the storage that {@code config} describes.
     *
     * @throws StorageException.Unavailable if another process (or storage) has the data directory open
     * @throws StorageException if RocksDB cannot open it (a corrupted store is {@link StorageException.Corrupted})
     */
    public static RocksDbStorage open(RocksDbConfig config) {
        String where = config.inMemory() ? "in-memory storage" : "data directory " + config.dataDir();
        Database db;
        try {
            db = Database.open(config);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translateOpen(where, e);
        } catch (IOException e) {
            throw new StorageException("cannot create " + where + ": " + e, e);
        }
        try {
            return new RocksDbStorage(db, DerivedLogs.recover(db),
                    Committer.forSyncWrites(config.syncWrites() && !config.inMemory()), where);
        } catch (RocksDBException e) {
            closeQuietly(db, e);
            throw RocksDbExceptions.translateOpen(where, e);
        }
    }

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        long stamp = enter();
        try {
            return db.rocksDb.get(db.rows, RowKeys.rowKey(tableId, PartitionHash.of(partitionKey), partitionKey, sortKey));
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("get", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /**
     * From the memtables and the block cache only ({@code ReadTier.BLOCK_CACHE_TIER}): RocksDB answers
     * "incomplete" rather than read a block from a file, even one the OS has cached.
     */
    @Override
    public byte[] getIfCached(long tableId, byte[] partitionKey, byte[] sortKey) {
        long stamp = enter();
        try {
            return db.rocksDb.get(db.rows, db.cacheOnly, RowKeys.rowKey(tableId, PartitionHash.of(partitionKey), partitionKey, sortKey));
        } catch (RocksDBException e) {
            if (e.getStatus() != null && e.getStatus().getCode() == Status.Code.Incomplete) return NOT_IN_MEMORY;
            throw RocksDbExceptions.translate("get", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        long stamp = enter();
        try {
            return readRows(KeySpan.partition(tableId, partitionKey, range, limits.startAfter(), forward), forward, limits);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("read", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        if (totalSegments < 1 || segment < 0 || segment >= totalSegments) {
            throw new IllegalArgumentException("segment " + segment + " of " + totalSegments);
        }
        if (limits.startAfter() != null) throw new IllegalArgumentException("scan continues from after, not startAfter");
        long stamp = enter();
        try {
            return readRows(KeySpan.segment(tableId, segment, totalSegments, after), true, limits);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("scan", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public WriteOutcome write(PartitionWrite write) {
        long stamp = enter();
        try {
            long tableId = write.tableId();
            byte[] pk = write.partitionKey();
            RowKeys.checkPartitionKey(pk); // also when there are no rows, only derived records
            long hash = PartitionHash.of(pk);
            ReentrantLock lock = locks.of(tableId, hash);
            lock.lock();
            try (WriteBatch batch = new WriteBatch()) {
                // Companion tables are written only with their owner, so the owner's lock covers their rows too.
                if (!addRows(batch, tableId, hash, pk, write.rows())) return WriteOutcome.PRECONDITION_FAILED;
                for (CompanionWrite companion : write.companions()) {
                    if (!addRows(batch, companion.tableId(), hash, pk, companion.rows())) return WriteOutcome.PRECONDITION_FAILED;
                }
                if (write.derived().isEmpty()) committer.commit(db.rocksDb, db.dataWrites, batch);
                else commitWithDerived(batch, write.derived());
                return WriteOutcome.APPLIED;
            } finally {
                lock.unlock();
            }
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("write", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /** Adds the rows to {@code batch}; false if a precondition does not hold. */
    private boolean addRows(WriteBatch batch, long tableId, long hash, byte[] pk, List<RowWrite> rows) throws RocksDBException {
        for (RowWrite row : rows) {
            byte[] key = RowKeys.rowKey(tableId, hash, pk, row.sortKey());
            // Nothing else writes this partition while we hold its lock: what we read stays true.
            if (!(row.expected() instanceof Expected.Any) && !row.expected().matches(db.rocksDb.get(db.rows, key))) {
                return false;
            }
            if (row.newValue() != null) batch.put(db.rows, key, row.newValue());
            // A row just found absent needs no tombstone: every plain item write checks (absent) and
            // "deletes" its lock row (transactions), which must not cost a write.
            else if (!(row.expected() instanceof Expected.Absent)) batch.delete(db.rows, key);
        }
        return true;
    }

    /** Appends the derived records to {@code batch} with fresh sequence numbers, and commits it. */
    private void commitWithDerived(WriteBatch batch, List<DerivedRecord> derived) throws RocksDBException {
        DerivedLog[] targets = new DerivedLog[derived.size()];
        for (int i = 0; i < targets.length; i++) targets[i] = logs.findOrCreate(derived.get(i).log()); // may reject a name
        long[] sequences = new long[derived.size()];
        for (int i = 0; i < targets.length; i++) sequences[i] = targets[i].allocate(); // cannot fail: all get published
        try {
            for (int i = 0; i < targets.length; i++) targets[i].append(batch, sequences[i], derived.get(i).payload());
            committer.commit(db.rocksDb, db.dataWrites, batch);
        } finally {
            // Published even if the write failed (leaving a gap): an unpublished sequence would stop readers for good.
            for (int i = 0; i < targets.length; i++) targets[i].publish(sequences[i]);
        }
    }

    /**
     * Deletes the table's key range with one range tombstone: constant time, and the space returns as
     * compaction drops the covered keys.
     */
    @Override
    public void dropTable(long tableId) {
        long stamp = enter();
        try {
            KeySpan table = KeySpan.table(tableId);
            if (table.to() != null) {
                db.rocksDb.deleteRange(db.rows, db.dataWrites, table.from(), table.to());
            } else {
                // Table -1 is the last of the key space: no key follows it to end a range tombstone.
                dropLastTable(table);
            }
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("dropTable", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    private void dropLastTable(KeySpan table) throws RocksDBException {
        byte[] last;
        try (ReadOptions options = new ReadOptions(); Slice lower = new Slice(table.from())) {
            options.setIterateLowerBound(lower);
            try (RocksIterator it = db.rocksDb.newIterator(db.rows, options)) {
                it.seekToLast();
                it.status();
                if (!it.isValid()) return;
                last = it.key();
            }
        }
        try (WriteBatch batch = new WriteBatch()) {
            batch.deleteRange(db.rows, table.from(), last);
            batch.delete(db.rows, last);
            db.rocksDb.write(db.dataWrites, batch);
        }
    }

    /**
     * Exact: counts by reading every key of the table, so it costs a full table read (key and value
     * lengths only; the values are not copied out of RocksDB nor kept in the block cache). RocksDB's
     * approximate sizes would be cheaper but are compressed sizes and give no row count.
     */
    @Override
    public TableStats stats(long tableId) {
        KeySpan table = KeySpan.table(tableId);
        // Zero capacity: key(ByteBuffer) and value(ByteBuffer) then only report lengths.
        ByteBuffer nothing = ByteBuffer.allocateDirect(0);
        long stamp = enter();
        try (ReadOptions options = new ReadOptions().setFillCache(false).setAutoPrefixMode(true);
             Slice lower = new Slice(table.from());
             Slice upper = table.to() == null ? null : new Slice(table.to())) {
            options.setIterateLowerBound(lower);
            if (upper != null) options.setIterateUpperBound(upper);
            long rows = 0;
            long bytes = 0;
            try (RocksIterator it = db.rocksDb.newIterator(db.rows, options)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    rows++;
                    bytes += RowKeys.rowSize(it.key(nothing), it.value(nothing));
                }
                it.status();
            }
            return new TableStats(rows, bytes);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("stats", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        long stamp = enter();
        try {
            DerivedLog derivedLog = logs.find(log);
            return derivedLog == null ? List.of() : derivedLog.read(afterSequence, maxEntries);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("readLog", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public void trimLog(String log, long throughSequence) {
        long stamp = enter();
        try {
            DerivedLog derivedLog = logs.find(log);
            if (derivedLog != null) derivedLog.trim(throughSequence);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("trimLog", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public byte[] getMeta(String key) {
        long stamp = enter();
        try {
            return db.rocksDb.get(db.meta, key.getBytes(StandardCharsets.UTF_8));
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("getMeta", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public void putMeta(String key, byte[] value) {
        long stamp = enter();
        try {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            if (value == null) db.rocksDb.delete(db.meta, db.metaWrites, k);
            else db.rocksDb.put(db.meta, db.metaWrites, k, value);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("putMeta", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    @Override
    public Map<String, byte[]> listMeta(String prefix) {
        byte[] from = prefix.getBytes(StandardCharsets.UTF_8);
        long stamp = enter();
        try {
            Map<String, byte[]> found = new LinkedHashMap<>();
            forEach(db.meta, new KeySpan(from, KeyRange.successor(from)), true,
                    (key, value) -> {
                        found.put(new String(key, StandardCharsets.UTF_8), value);
                        return true;
                    });
            return Collections.unmodifiableMap(found);
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("listMeta", e);
        } finally {
            lifecycle.unlockRead(stamp);
        }
    }

    /** Closes RocksDB (syncing its log first) and every native object; later calls are harmless. */
    @Override
    public void close() {
        long stamp = lifecycle.writeLock();
        try {
            if (closed) return;
            closed = true;
            committer.close();
            db.close();
        } catch (RocksDBException e) {
            throw RocksDbExceptions.translate("close", e);
        } finally {
            lifecycle.unlockWrite(stamp);
        }
    }

    @Override
    public String toString() {
        return "RocksDbStorage(" + where + ")";
    }

    // ---------------------------------------------------------------- reading

    /** The rows of {@code span} in key order (reversed unless {@code forward}), up to {@code limits}. */
    private Page readRows(KeySpan span, boolean forward, ReadLimits limits) throws RocksDBException {
        List<Row> rows = new ArrayList<>();
        long[] bytes = {0};
        boolean stoppedEarly = forEach(db.rows, span, forward, (key, value) -> {
            Row row = RowKeys.toRow(key, value);
            rows.add(row);
            bytes[0] += row.size();
            return rows.size() < limits.maxRows() && bytes[0] < limits.maxBytes();
        });
        if (!stoppedEarly) return new Page(rows, Page.StopReason.EXHAUSTED);
        return new Page(rows, rows.size() >= limits.maxRows() ? Page.StopReason.ROW_LIMIT : Page.StopReason.BYTE_LIMIT);
    }

    /** Receives the entries of a span in turn; returns whether it wants the next one. */
    @FunctionalInterface
    private interface EntryVisitor {
        boolean visit(byte[] key, byte[] value);
    }

    /** Visits the entries of {@code span}; returns true if the visitor stopped before the end. */
    private boolean forEach(ColumnFamilyHandle family, KeySpan span, boolean forward, EntryVisitor visitor) throws RocksDBException {
        if (span.isEmpty()) return false;
        // auto_prefix_mode: total-order results, with the prefix bloom filter used where that gives the same.
        try (ReadOptions options = new ReadOptions().setAutoPrefixMode(true);
             Slice lower = new Slice(span.from());
             Slice upper = span.to() == null ? null : new Slice(span.to())) {
            options.setIterateLowerBound(lower);
            if (upper != null) options.setIterateUpperBound(upper);
            try (RocksIterator it = db.rocksDb.newIterator(family, options)) {
                if (forward) it.seekToFirst();
                else it.seekToLast();
                while (it.isValid()) {
                    if (!visitor.visit(it.key(), it.value())) return true;
                    if (forward) it.next();
                    else it.prev();
                }
                it.status(); // an iterator also stops on an I/O error: tell that apart from the end
                return false;
            }
        }
    }

    private long enter() {
        long stamp = lifecycle.readLock();
        if (closed) {
            lifecycle.unlockRead(stamp);
            throw new StorageException.Unavailable(this + " is closed", null);
        }
        return stamp;
    }

    private static void closeQuietly(Database db, Exception cause) {
        try {
            db.close();
        } catch (RocksDBException | RuntimeException e) {
            cause.addSuppressed(e);
        }
    }
}

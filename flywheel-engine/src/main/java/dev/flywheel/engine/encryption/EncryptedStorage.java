package dev.flywheel.engine.encryption;

import dev.flywheel.storage.CompanionWrite;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongUnaryOperator;

/**
 * Encryption at rest, between the engine and any backend: what reaches the backend is sealed, so
 * RocksDB files and Cassandra tables hold only ciphertext.
 *
 * <ul>
 *   <li><b>Partition keys</b> become {@link DataKey#hide keyed hashes} (16 bytes): placement is by hash
 *       anyway, and Scan order is by the hash of the stored key (an order DynamoDB never promises).
 *   <li><b>Row values</b> are sealed with the table's {@link DataKey} as
 *       {@code SIV(len(pk) pk value; table id, hidden pk, sort key)}: the real partition key travels
 *       inside, so a Scan can return it.
 *   <li><b>Sort keys stay as they are</b>: the backend orders rows by their bytes, which Query's key
 *       conditions and ranges need. They are what remains visible on disk (see README); where an index
 *       entry's sort key holds its item's partition key, the engine puts the hidden form there
 *       ({@link #partitionKeyInSortKey}).
 *   <li><b>Derived records</b> (index changes, stream records) are sealed with their log's data key,
 *       <b>metadata</b> values (table definitions) with the catalog's; metadata keys stay visible.
 * </ul>
 *
 * <p>Compare-and-set still works: sealing is deterministic (see {@link DataKey}), so the engine's
 * expected plaintext seals to exactly the bytes stored. Keys under {@code encryption/} in the metadata
 * belong to the {@link Keyring} and {@link DataKeys}; the engine never uses that prefix.
 */
public final class EncryptedStorage implements Storage {
    private static final String RESERVED_META_PREFIX = "encryption/";
    private final Storage backend;
    private final DataKeys keys;
    private final LongUnaryOperator ownerOf;

    /**
     * @param ownerOf the table a storage id belongs to (an index's table; a table itself): partition keys
     *     are hidden under the owner's key, so that an item and its local index entries, written together
     *     as one partition, stay one partition once hidden
     */
    public EncryptedStorage(Storage backend, DataKeys keys, LongUnaryOperator ownerOf) {
        this.backend = backend;
        this.keys = keys;
        this.ownerOf = ownerOf;
    }

    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        return get(tableId, partitionKey, sortKey, ReadConsistency.STRONG);
    }

    /** The backend is asked for the same consistency: it alone knows what an eventual read saves. */
    @Override
    public byte[] get(long tableId, byte[] partitionKey, byte[] sortKey, ReadConsistency consistency) {
        DataKey key = keys.ofRows(tableId);
        byte[] hidden = hide(tableId, partitionKey);
        byte[] stored = backend.get(tableId, hidden, sortKey, consistency);
        return stored == null ? null : open(key, tableId, hidden, sortKey, stored).value();
    }

    @Override
    public byte[] getIfCached(long tableId, byte[] partitionKey, byte[] sortKey) {
        byte[] hidden = hide(tableId, partitionKey);
        byte[] stored = backend.getIfCached(tableId, hidden, sortKey);
        if (stored == NOT_IN_MEMORY) return NOT_IN_MEMORY;
        return stored == null ? null : open(keys.ofRows(tableId), tableId, hidden, sortKey, stored).value();
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        return read(tableId, partitionKey, range, forward, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits,
                     ReadConsistency consistency) {
        DataKey key = keys.ofRows(tableId);
        byte[] hidden = hide(tableId, partitionKey);
        return paged(key, tableId, limits, (continueAfter, round) -> backend.read(tableId, hidden, range, forward,
                new ReadLimits(round.maxRows(), round.maxBytes(),
                        continueAfter == null ? limits.startAfter() : continueAfter.sortKey()), consistency));
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        return scan(tableId, segment, totalSegments, after, limits, ReadConsistency.STRONG);
    }

    @Override
    public Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits,
                     ReadConsistency consistency) {
        if (limits.startAfter() != null) throw new IllegalArgumentException("a scan continues from after, not startAfter");
        DataKey key = keys.ofRows(tableId);
        RowKey hiddenAfter = after == null ? null : new RowKey(hide(tableId, after.partitionKey()), after.sortKey());
        return paged(key, tableId, limits, (continueAfter, round) -> backend.scan(tableId, segment, totalSegments,
                continueAfter == null ? hiddenAfter : continueAfter, round, consistency));
    }

    /** One backend read of a page: continuing after a stored row key (null: the first round), within limits. */
    private interface Round {
        Page read(RowKey continueAfter, ReadLimits limits);
    }

    /**
     * A page within {@code limits} counted in plaintext rows, as the contract counts them, although the
     * backend counts the sealed rows it stores (larger by a few dozen bytes each). A round asks the
     * backend for the plaintext budget left, scaled by the sealed-to-plain ratio seen so far; rows past
     * the point where the plaintext budget is crossed are dropped (the caller reads them next page), and
     * a round that falls short is continued. Usually one round, rarely two.
     */
    private Page paged(DataKey key, long tableId, ReadLimits limits, Round round) {
        List<Row> rows = new ArrayList<>();
        long plainBytes = 0, storedBytes = 0;
        RowKey continueAfter = null;
        while (true) {
            int rowsLeft = limits.maxRows() - rows.size();
            long bytesLeft = limits.maxBytes() - plainBytes;
            double ratio = plainBytes == 0 ? 1.0 : (double) storedBytes / plainBytes;
            long budget = limits.maxBytes() == Long.MAX_VALUE ? Long.MAX_VALUE
                    : (long) Math.min(Long.MAX_VALUE / 2, Math.ceil(bytesLeft * ratio));
            Page page = round.read(continueAfter, new ReadLimits(rowsLeft, Math.max(1, budget), null));
            for (Row stored : page.rows()) {
                Plain plain = open(key, tableId, stored.partitionKey(), stored.sortKey(), stored.value());
                Row row = new Row(plain.partitionKey(), stored.sortKey(), plain.value());
                rows.add(row);
                plainBytes += row.size();
                storedBytes += stored.size();
                continueAfter = stored.key();
                // As a backend does: the limit reached is reported even on the last row there is.
                if (rows.size() >= limits.maxRows()) return new Page(rows, Page.StopReason.ROW_LIMIT);
                if (plainBytes >= limits.maxBytes()) return new Page(rows, Page.StopReason.BYTE_LIMIT);
            }
            if (!page.mayHaveMore()) return new Page(rows, Page.StopReason.EXHAUSTED);
            // A backend stopped by a limit returns at least one row; never spin on one that does not.
            if (page.rows().isEmpty()) return new Page(rows, page.stopReason());
        }
    }

    @Override
    public dev.flywheel.storage.WriteOutcome write(PartitionWrite write) {
        byte[] pk = write.partitionKey();
        byte[] hidden = hide(write.tableId(), pk);
        List<RowWrite> rows = sealed(write.tableId(), pk, hidden, write.rows());
        List<CompanionWrite> companions = new ArrayList<>(write.companions().size());
        for (CompanionWrite companion : write.companions()) {
            companions.add(new CompanionWrite(companion.tableId(), sealed(companion.tableId(), pk, hidden, companion.rows())));
        }
        List<DerivedRecord> derived = new ArrayList<>(write.derived().size());
        for (DerivedRecord record : write.derived()) {
            derived.add(new DerivedRecord(record.log(),
                    keys.get(DataKeys.log(record.log())).seal(record.payload(), utf8(record.log()))));
        }
        return backend.write(new PartitionWrite(write.tableId(), hidden, rows, derived, companions));
    }

    /** Rows of {@code tableId} in partition {@code pk} (stored as {@code hidden}), values and expectations sealed. */
    private List<RowWrite> sealed(long tableId, byte[] pk, byte[] hidden, List<RowWrite> rows) {
        DataKey key = keys.ofRows(tableId);
        List<RowWrite> sealed = new ArrayList<>(rows.size());
        for (RowWrite row : rows) {
            byte[] sk = row.sortKey();
            byte[] value = row.newValue() == null ? null : seal(key, tableId, pk, hidden, sk, row.newValue());
            Expected expected = row.expected() instanceof Expected.Value v
                    ? Expected.value(seal(key, tableId, pk, hidden, sk, v.bytes())) : row.expected();
            sealed.add(new RowWrite(sk, value, expected));
        }
        return sealed;
    }

    /** A table's partition keys appear in index sort keys only as they are stored: hidden. */
    @Override
    public byte[] partitionKeyInSortKey(long tableId, byte[] partitionKey) {
        return hide(tableId, partitionKey);
    }

    @Override
    public void dropTable(long tableId) {
        backend.dropTable(tableId);
    }

    @Override
    public TableStats stats(long tableId) {
        return backend.stats(tableId);
    }

    @Override
    public List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        List<LogEntry> entries = backend.readLog(log, afterSequence, maxEntries);
        if (entries.isEmpty()) return entries;
        DataKey key = keys.get(DataKeys.log(log));
        List<LogEntry> opened = new ArrayList<>(entries.size());
        for (LogEntry entry : entries) {
            opened.add(new LogEntry(entry.sequence(), open(key, entry.payload(), utf8(log), "log " + log)));
        }
        return opened;
    }

    @Override
    public void trimLog(String log, long throughSequence) {
        backend.trimLog(log, throughSequence);
    }

    @Override
    public byte[] getMeta(String key) {
        checkNotReserved(key);
        byte[] stored = backend.getMeta(key);
        return stored == null ? null : open(keys.get(DataKeys.CATALOG), stored, utf8(key), "metadata " + key);
    }

    @Override
    public void putMeta(String key, byte[] value) {
        checkNotReserved(key);
        backend.putMeta(key, value == null ? null : keys.get(DataKeys.CATALOG).seal(value, utf8(key)));
    }

    @Override
    public boolean isShared() {
        return backend.isShared();
    }

    @Override
    public byte[] putMetaIfAbsent(String key, byte[] value) {
        checkNotReserved(key);
        byte[] sealed = keys.get(DataKeys.CATALOG).seal(value, utf8(key));
        byte[] stored = backend.putMetaIfAbsent(key, sealed);
        return stored == sealed ? value : open(keys.get(DataKeys.CATALOG), stored, utf8(key), "metadata " + key);
    }

    @Override
    public Map<String, byte[]> listMeta(String prefix) {
        DataKey catalog = keys.get(DataKeys.CATALOG);
        Map<String, byte[]> opened = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : backend.listMeta(prefix).entrySet()) {
            if (e.getKey().startsWith(RESERVED_META_PREFIX)) continue;
            opened.put(e.getKey(), open(catalog, e.getValue(), utf8(e.getKey()), "metadata " + e.getKey()));
        }
        return opened;
    }

    @Override
    public void close() {
        backend.close();
    }

    /**
     * The stored stand-in of a partition key of {@code tableId}: hidden under its owner's key. The real key
     * is checked against the SPI's limit first.
     */
    private byte[] hide(long tableId, byte[] partitionKey) {
        if (partitionKey.length > MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException("partition key of " + partitionKey.length + " bytes; at most "
                    + MAX_PARTITION_KEY_BYTES);
        }
        return keys.ofRows(ownerOf.applyAsLong(tableId)).hide(partitionKey);
    }

    private static void checkNotReserved(String key) {
        if (key.startsWith(RESERVED_META_PREFIX)) {
            throw new IllegalArgumentException("metadata keys under " + RESERVED_META_PREFIX + " belong to encryption");
        }
    }

    private record Plain(byte[] partitionKey, byte[] value) {}

    private static byte[] seal(DataKey key, long tableId, byte[] pk, byte[] hidden, byte[] sk, byte[] value) {
        ByteBuffer plain = ByteBuffer.allocate(4 + pk.length + value.length);
        plain.putInt(pk.length).put(pk).put(value);
        return key.seal(plain.array(), rowAssociatedData(tableId, hidden, sk));
    }

    private static Plain open(DataKey key, long tableId, byte[] hidden, byte[] sk, byte[] stored) {
        byte[] plain = open(key, stored, rowAssociatedData(tableId, hidden, sk), "a row of table " + tableId);
        ByteBuffer in = ByteBuffer.wrap(plain);
        byte[] pk = new byte[in.getInt()];
        in.get(pk);
        byte[] value = new byte[in.remaining()];
        in.get(value);
        return new Plain(pk, value);
    }

    private static byte[] open(DataKey key, byte[] stored, byte[] associatedData, String what) {
        try {
            return key.open(stored, associatedData);
        } catch (GeneralSecurityException e) {
            throw new StorageException.Corrupted("cannot decrypt " + what + ": altered, moved, or sealed with another key", e);
        }
    }

    /** Binds a row's ciphertext to its place: the same value elsewhere seals differently, and does not open here. */
    private static byte[] rowAssociatedData(long tableId, byte[] hidden, byte[] sk) {
        return ByteBuffer.allocate(8 + 4 + hidden.length + sk.length)
                .putLong(tableId).putInt(hidden.length).put(hidden).put(sk).array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

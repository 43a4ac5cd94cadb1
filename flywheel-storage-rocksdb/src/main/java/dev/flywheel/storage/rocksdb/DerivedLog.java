package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.LogEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;

/**
 * One log of derived records in the logs column family: hands out its sequence numbers, says how far
 * readers may read, and trims.
 *
 * <p>Keys (persisted: never change them):
 * <pre>
 *   name length (2 bytes) | name (UTF-8) | sequence (8, big-endian)   an entry
 *   name length (2 bytes) | name (UTF-8)                              the trim mark
 * </pre>
 * The trim mark's value is the sequence the log was last trimmed through. Without it a log trimmed
 * empty would restart at 1 after a reopen, and a consumer that had checkpointed 100 would skip the
 * next hundred entries. On open, the next sequence is one past the larger of the last entry and the
 * trim mark ({@link DerivedLogs#recover}).
 *
 * <p>Concurrency: writes to different partitions commit in parallel, so entries may commit out of
 * sequence order. A reader that saw 11 before 10 committed, and continued after 11, would never see
 * 10. So readers read only through {@link #readableThrough()}: the highest sequence at or below which
 * every sequence handed out has been published (committed, or abandoned by a failed write, which
 * leaves a gap). Sequences are handed out under the partition's lock, so writes to one item append in
 * the order they apply. Trims are serialised by their own lock so the trim mark only grows.
 */
final class DerivedLog {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final int MAX_NAME_BYTES = 0xFFFF;

    private final Database db;
    private final String name;
    private final byte[] prefix;

    private long nextSequence;                              // guarded by this
    private long readableThrough;                           // guarded by this
    private final Set<Long> publishedAhead = new HashSet<>(); // guarded by this: published, above readableThrough

    private final ReentrantLock trimLock = new ReentrantLock();
    private long trimmedThrough;                            // guarded by trimLock

    /** A log whose last sequence handed out (all of them durable) is {@code lastSequence}. */
    DerivedLog(Database db, String name, long lastSequence, long trimmedThrough) {
        this.db = db;
        this.name = name;
        this.prefix = prefix(name);
        this.nextSequence = lastSequence + 1;
        this.readableThrough = lastSequence;
        this.trimmedThrough = trimmedThrough;
    }

    String name() {
        return name;
    }

    /** The next sequence number; the caller must {@link #publish} it once its write has succeeded or failed. */
    synchronized long allocate() {
        return nextSequence++;
    }

    synchronized void publish(long sequence) {
        if (sequence != readableThrough + 1) {
            publishedAhead.add(sequence);
            return;
        }
        readableThrough = sequence;
        while (publishedAhead.remove(readableThrough + 1)) readableThrough++;
    }

    synchronized long readableThrough() {
        return readableThrough;
    }

    void append(WriteBatch batch, long sequence, byte[] payload) throws RocksDBException {
        batch.put(db.logs, entryKey(prefix, sequence), payload);
    }

    List<LogEntry> read(long afterSequence, int maxEntries) throws RocksDBException {
        long through = readableThrough();
        if (afterSequence >= through) return List.of();
        long first = Math.max(afterSequence, 0) + 1;
        List<LogEntry> entries = new ArrayList<>();
        try (ReadOptions options = new ReadOptions();
             Slice lower = new Slice(entryKey(prefix, first));
             Slice upper = new Slice(entryKey(prefix, through + 1))) {
            options.setIterateLowerBound(lower).setIterateUpperBound(upper);
            try (RocksIterator it = db.rocksDb.newIterator(db.logs, options)) {
                for (it.seekToFirst(); it.isValid() && entries.size() < maxEntries; it.next()) {
                    entries.add(new LogEntry(sequenceOf(it.key()), it.value()));
                }
                it.status();
            }
        }
        return entries;
    }

    /** Deletes the entries through {@code throughSequence} (at most through the readable ones). */
    void trim(long throughSequence) throws RocksDBException {
        trimLock.lock();
        try {
            long through = Math.min(throughSequence, readableThrough());
            if (through <= trimmedThrough) return;
            try (WriteBatch batch = new WriteBatch()) {
                batch.deleteRange(db.logs, entryKey(prefix, trimmedThrough + 1), entryKey(prefix, through + 1));
                batch.put(db.logs, prefix, encodeSequence(through));
                db.rocksDb.write(db.dataWrites, batch);
            }
            trimmedThrough = through;
        } finally {
            trimLock.unlock();
        }
    }

    // ---------------------------------------------------------------- key format

    static byte[] prefix(String name) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_NAME_BYTES) throw new IllegalArgumentException("log name of " + utf8.length + " bytes");
        byte[] prefix = new byte[2 + utf8.length];
        prefix[0] = (byte) (utf8.length >>> 8);
        prefix[1] = (byte) utf8.length;
        System.arraycopy(utf8, 0, prefix, 2, utf8.length);
        return prefix;
    }

    /** The prefix ({@link #prefix}) of a key of the logs column family. */
    static byte[] prefixOf(byte[] key) {
        int nameLength = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
        return Arrays.copyOf(key, 2 + nameLength);
    }

    static String nameOf(byte[] prefix) {
        return new String(prefix, 2, prefix.length - 2, StandardCharsets.UTF_8);
    }

    static byte[] entryKey(byte[] prefix, long sequence) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        LONG.set(key, prefix.length, sequence);
        return key;
    }

    /** The sequence of an entry's key, or 0 for the trim mark. */
    static long sequenceOf(byte[] key) {
        int prefixLength = 2 + (((key[0] & 0xFF) << 8) | (key[1] & 0xFF));
        return key.length == prefixLength ? 0 : (long) LONG.get(key, prefixLength);
    }

    static byte[] encodeSequence(long sequence) {
        byte[] bytes = new byte[8];
        LONG.set(bytes, 0, sequence);
        return bytes;
    }

    static long decodeSequence(byte[] bytes) {
        return (long) LONG.get(bytes, 0);
    }
}

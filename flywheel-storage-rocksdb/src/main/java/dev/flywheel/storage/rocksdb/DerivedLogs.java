package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.KeyRange;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;

/** Every derived log by name, recovered from the logs column family on open. */
final class DerivedLogs {
    private final Database db;
    private final Map<String, DerivedLog> logs;

    private DerivedLogs(Database db, Map<String, DerivedLog> logs) {
        this.db = db;
        this.logs = logs;
    }

    /**
     * Finds each log with two seeks: its first key (its trim mark, if it was ever trimmed), and the last
     * key under its prefix (its last entry); then jumps to the next log's prefix.
     */
    static DerivedLogs recover(Database db) throws RocksDBException {
        Map<String, DerivedLog> logs = new ConcurrentHashMap<>();
        try (RocksIterator it = db.rocksDb.newIterator(db.logs)) {
            it.seekToFirst();
            while (it.isValid()) {
                byte[] prefix = DerivedLog.prefixOf(it.key());
                long trimmedThrough = it.key().length == prefix.length ? DerivedLog.decodeSequence(it.value()) : 0;
                it.seekForPrev(DerivedLog.entryKey(prefix, Long.MAX_VALUE));
                long lastEntry = DerivedLog.sequenceOf(it.key());
                String name = DerivedLog.nameOf(prefix);
                logs.put(name, new DerivedLog(db, name, Math.max(lastEntry, trimmedThrough), trimmedThrough));
                // A prefix is a length and UTF-8, which never holds 0xFF: it always has a successor.
                it.seek(KeyRange.successor(prefix));
            }
            it.status();
        }
        return new DerivedLogs(db, logs);
    }

    /** The log, or null if nothing was ever appended to it. */
    DerivedLog find(String name) {
        return logs.get(name);
    }

    DerivedLog findOrCreate(String name) {
        DerivedLog log = logs.get(name);
        return log != null ? log : logs.computeIfAbsent(name, n -> new DerivedLog(db, n, 0, 0));
    }
}

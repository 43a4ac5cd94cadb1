package dev.flywheel.storage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link Storage} in plain maps, written to be obviously correct rather than fast: every read filters
 * and sorts whole tables with the contract's own words (no key encoding, no bound arithmetic). It is the
 * oracle of {@link StorageModelProperties}, proves {@link StorageContractTest}'s expectations consistent
 * by passing them, and can stand in for a backend in engine unit tests. Thread-safe by one monitor.
 */
public final class TreeMapStorage implements Storage {

    /** Scan order, as {@link Storage} defines it: unsigned hash, partition-key length and bytes, sort key. */
    public static final Comparator<RowKey> SCAN_ORDER = Comparator
            .comparing((RowKey k) -> PartitionHash.of(k.partitionKey()), Long::compareUnsigned)
            .thenComparingInt(k -> k.partitionKey().length)
            .thenComparing(RowKey::partitionKey, Arrays::compareUnsigned)
            .thenComparing(RowKey::sortKey, Arrays::compareUnsigned);

    private static final Comparator<String> UTF8_ORDER =
            Comparator.comparing(k -> k.getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

    private final Map<Long, TreeMap<RowKey, byte[]>> tables = new HashMap<>();
    private final Map<String, TreeMap<Long, byte[]>> logs = new HashMap<>();
    private final Map<String, Long> lastSequences = new HashMap<>();
    private final TreeMap<String, byte[]> meta = new TreeMap<>(UTF8_ORDER);
    private boolean closed;

    @Override
    public synchronized byte[] get(long tableId, byte[] partitionKey, byte[] sortKey) {
        checkUsable(partitionKey);
        return table(tableId).get(new RowKey(partitionKey, sortKey));
    }

    @Override
    public synchronized Page read(long tableId, byte[] partitionKey, KeyRange range, boolean forward, ReadLimits limits) {
        checkUsable(partitionKey);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<RowKey, byte[]> e : table(tableId).entrySet()) {
            byte[] sortKey = e.getKey().sortKey();
            if (Arrays.equals(e.getKey().partitionKey(), partitionKey) && inRange(range, sortKey)
                    && afterStart(limits.startAfter(), sortKey, forward)) {
                rows.add(new Row(partitionKey, sortKey, e.getValue()));
            }
        }
        if (!forward) Collections.reverse(rows);
        return page(rows, limits);
    }

    @Override
    public synchronized Page scan(long tableId, int segment, int totalSegments, RowKey after, ReadLimits limits) {
        checkOpen();
        if (totalSegments < 1 || segment < 0 || segment >= totalSegments) {
            throw new IllegalArgumentException("segment " + segment + " of " + totalSegments);
        }
        if (limits.startAfter() != null) throw new IllegalArgumentException("scan continues from after, not startAfter");
        long start = PartitionHash.segmentStart(segment, totalSegments);
        Long end = PartitionHash.segmentStart(segment + 1, totalSegments);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<RowKey, byte[]> e : table(tableId).entrySet()) {
            RowKey key = e.getKey();
            long hash = PartitionHash.of(key.partitionKey());
            boolean inSegment = Long.compareUnsigned(hash, start) >= 0 && (end == null || Long.compareUnsigned(hash, end) < 0);
            if (inSegment && (after == null || SCAN_ORDER.compare(key, after) > 0)) {
                rows.add(new Row(key.partitionKey(), key.sortKey(), e.getValue()));
            }
        }
        return page(rows, limits);
    }

    @Override
    public synchronized WriteOutcome write(PartitionWrite write) {
        checkUsable(write.partitionKey());
        TreeMap<RowKey, byte[]> table = table(write.tableId());
        if (!preconditionsHold(table, write.partitionKey(), write.rows())) return WriteOutcome.PRECONDITION_FAILED;
        for (CompanionWrite companion : write.companions()) {
            if (!preconditionsHold(table(companion.tableId()), write.partitionKey(), companion.rows())) {
                return WriteOutcome.PRECONDITION_FAILED;
            }
        }
        apply(table, write.partitionKey(), write.rows());
        for (CompanionWrite companion : write.companions()) apply(table(companion.tableId()), write.partitionKey(), companion.rows());
        for (DerivedRecord record : write.derived()) {
            long sequence = lastSequences.merge(record.log(), 1L, Long::sum);
            logs.computeIfAbsent(record.log(), l -> new TreeMap<>()).put(sequence, record.payload().clone());
        }
        return WriteOutcome.APPLIED;
    }

    @Override
    public synchronized void dropTable(long tableId) {
        checkOpen();
        tables.remove(tableId);
    }

    @Override
    public synchronized TableStats stats(long tableId) {
        checkOpen();
        long rows = 0;
        long bytes = 0;
        for (Map.Entry<RowKey, byte[]> e : table(tableId).entrySet()) {
            rows++;
            bytes += new Row(e.getKey().partitionKey(), e.getKey().sortKey(), e.getValue()).size();
        }
        return new TableStats(rows, bytes);
    }

    @Override
    public synchronized List<LogEntry> readLog(String log, long afterSequence, int maxEntries) {
        checkOpen();
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be at least 1: " + maxEntries);
        List<LogEntry> entries = new ArrayList<>();
        for (Map.Entry<Long, byte[]> e : logs.getOrDefault(log, new TreeMap<>()).entrySet()) {
            if (e.getKey() > afterSequence && entries.size() < maxEntries) entries.add(new LogEntry(e.getKey(), e.getValue()));
        }
        return entries;
    }

    @Override
    public synchronized void trimLog(String log, long throughSequence) {
        checkOpen();
        logs.getOrDefault(log, new TreeMap<>()).headMap(throughSequence, true).clear();
    }

    @Override
    public synchronized byte[] getMeta(String key) {
        checkOpen();
        return meta.get(key);
    }

    @Override
    public synchronized void putMeta(String key, byte[] value) {
        checkOpen();
        if (value == null) meta.remove(key);
        else meta.put(key, value.clone());
    }

    @Override
    public synchronized Map<String, byte[]> listMeta(String prefix) {
        checkOpen();
        Map<String, byte[]> found = new LinkedHashMap<>();
        meta.forEach((key, value) -> {
            if (key.startsWith(prefix)) found.put(key, value);
        });
        return Collections.unmodifiableMap(found);
    }

    @Override
    public synchronized void close() {
        closed = true;
    }

    private static boolean preconditionsHold(TreeMap<RowKey, byte[]> table, byte[] partitionKey, List<RowWrite> rows) {
        for (RowWrite row : rows) {
            if (!row.expected().matches(table.get(new RowKey(partitionKey, row.sortKey())))) return false;
        }
        return true;
    }

    private static void apply(TreeMap<RowKey, byte[]> table, byte[] partitionKey, List<RowWrite> rows) {
        for (RowWrite row : rows) {
            RowKey key = new RowKey(partitionKey.clone(), row.sortKey().clone());
            if (row.newValue() == null) table.remove(key);
            else table.put(key, row.newValue().clone());
        }
    }

    private TreeMap<RowKey, byte[]> table(long tableId) {
        return tables.computeIfAbsent(tableId, id -> new TreeMap<>(SCAN_ORDER));
    }

    private static boolean inRange(KeyRange range, byte[] sortKey) {
        if (range.lower() != null) {
            int c = Arrays.compareUnsigned(sortKey, range.lower());
            if (c < 0 || (c == 0 && !range.lowerInclusive())) return false;
        }
        if (range.upper() != null) {
            int c = Arrays.compareUnsigned(sortKey, range.upper());
            if (c > 0 || (c == 0 && !range.upperInclusive())) return false;
        }
        return true;
    }

    private static boolean afterStart(byte[] startAfter, byte[] sortKey, boolean forward) {
        if (startAfter == null) return true;
        int c = Arrays.compareUnsigned(sortKey, startAfter);
        return forward ? c > 0 : c < 0;
    }

    private static Page page(List<Row> rows, ReadLimits limits) {
        List<Row> page = new ArrayList<>();
        long bytes = 0;
        for (Row row : rows) {
            page.add(row);
            bytes += row.size();
            if (page.size() >= limits.maxRows()) return new Page(page, Page.StopReason.ROW_LIMIT);
            if (bytes >= limits.maxBytes()) return new Page(page, Page.StopReason.BYTE_LIMIT);
        }
        return new Page(page, Page.StopReason.EXHAUSTED);
    }

    private void checkUsable(byte[] partitionKey) {
        checkOpen();
        if (partitionKey.length > MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException("partition key of " + partitionKey.length + " bytes");
        }
    }

    private void checkOpen() {
        if (closed) throw new StorageException.Unavailable("storage is closed", null);
    }
}

package dev.flywheel.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Flywheel's CQL schema and its prepared statements. Tables are persisted: never rename or reorder.
 *
 * <ul>
 *   <li>{@code rows ((pk), table_id, kind, sk) value}: one Cassandra partition per stored partition
 *       key, whatever table it belongs to, so that an item, its local secondary index entries (companion
 *       tables, another {@code table_id}) and its outbox rows ({@code kind = 1}) are one partition and
 *       one conditional batch covers them all, without the backend having to know which index belongs
 *       to which table. Tables sharing partition-key bytes share a Cassandra partition (and its Paxos
 *       state), which is harmless: under encryption at rest every table hides its keys with its own key,
 *       so they practically never meet. Item rows ({@code kind = 0}) are clustered by the sort-key blob,
 *       which Cassandra orders as unsigned bytes, the SPI's order. The empty key: see {@link CqlPartition}.</li>
 *   <li>{@code scan_index ((table_id, bucket), hash, pk_len, pk_head) pk}: the scan index, which lists the
 *       partition keys a table has rows in. Cassandra's token order is Murmur3, not {@code PartitionHash},
 *       so Scan cannot walk the rows table in SPI order; this index is clustered by the hash (sign bit
 *       flipped so signed bigint order is unsigned order), then length, then bytes: exactly the SPI's
 *       scan order. A table's entries are spread over {@link ScanIndex#BUCKETS} Cassandra partitions by
 *       the top bits of the hash (see {@link ScanIndex}), so new partitions of one table do not all write
 *       to one Cassandra partition, and a table may have billions of partitions. Cassandra caps a
 *       clustering key at 64 KiB, all columns together, so the key is clustered by its first
 *       {@link #INDEXED_KEY_HEAD} bytes and kept whole beside: two keys differing only after them would
 *       need the same 64-bit hash and length too (and under encryption at rest, keys are keyed hashes of
 *       16 bytes). An entry outlives its partition's rows; a Scan that finds its partition empty long
 *       after the entry was written removes it ({@link ScanIndex#prune}).</li>
 *   <li>{@code scan_buckets ((table_id), bucket)}: which buckets of a table's scan index hold entries, so that
 *       a Scan of a small table reads the few buckets it has, not all of them. A bucket is listed here
 *       before its first entry is written, and forgotten only with its table.</li>
 *   <li>{@code partitions ((table_id), hash, pk_len, pk_head) pk}: the scan index before it was bucketed,
 *       one Cassandra partition per table. Keyspaces created before hold it; {@link ScanIndexMigration}
 *       copies it into {@code scan_index} once, and nothing reads it afterwards.</li>
 *   <li>{@code log ((log, part), seq, marker) payload, static trimmed_through}: sequenced derived-record
 *       logs ({@code part} is always 0: a composite key, as Cassandra refuses the empty log name as a
 *       single-column key).
 *       Entries are {@code (seq >= 1, marker = 0x)}; {@code (seq = 0, marker = outbox id)} rows record
 *       which outbox rows were appended, so that appending one twice is refused (see
 *       {@link OutboxApplier}). They expire after {@link #APPLIED_MARKER_TTL_SECONDS}.</li>
 *   <li>{@code pending ((shard), write_id, table_id, pk)}: writes whose outbox may not be applied yet;
 *       the sweeper finishes those whose server died before applying them.</li>
 *   <li>{@code meta ((bucket), key) value}: the SPI's metadata in partition {@code bucket = 0}, clustered by
 *       key text (UTF-8 byte order); this backend's own settings of the keyspace in {@code bucket = 1}
 *       (the SPI never sees them).</li>
 * </ul>
 */
final class CassandraSchema {
    /** How long the record of an applied outbox row is kept: far longer than any drain takes. */
    static final int APPLIED_MARKER_TTL_SECONDS = 24 * 3600;
    /** How much of a partition key the scan index clusters by (see the class comment). */
    static final int INDEXED_KEY_HEAD = 60_000;
    /** Partitions of the pending table, so that no single partition takes every write's marker. */
    static final int PENDING_SHARDS = 16;

    private final CqlSession session;
    private final String keyspace;
    final PreparedStatement getRow, putRow, putRowIfAbsent, putRowIfValue, deleteRow, deleteRowIfAbsent,
            deleteRowIfValue, outboxRows, deleteTableInPartition, addIndexEntry, indexEntriesBetween, indexEntriesAfter, deleteIndexEntryAsOf,
            deleteIndexBucket, addBucket, bucketsBetween, deleteBuckets, legacyIndexEntries, getSetting, putSetting, lastLogEntry, appendLogEntry, markApplied, isApplied, readLog,
            trimMarker, trimLog, addPending, pendingBefore, deletePending, getMeta, putMeta, putMetaIfAbsent, deleteMeta,
            listMeta;
    /** Slices of one table's rows in a partition, by shape (which bounds, which direction). */
    private final ConcurrentMap<String, PreparedStatement> slices = new ConcurrentHashMap<>();

    private CassandraSchema(CqlSession s, String ks) {
        this.session = s;
        this.keyspace = ks;
        String rows = ks + ".rows";
        String row = " WHERE pk = ? AND table_id = ? AND kind = ? AND sk = ?";
        getRow = s.prepare("SELECT value FROM " + rows + row);
        putRow = s.prepare("UPDATE " + rows + " SET value = ?" + row);
        putRowIfAbsent = s.prepare("UPDATE " + rows + " SET value = ?" + row + " IF value = null");
        putRowIfValue = s.prepare("UPDATE " + rows + " SET value = ?" + row + " IF value = ?");
        deleteRow = s.prepare("DELETE FROM " + rows + row);
        deleteRowIfAbsent = s.prepare("DELETE FROM " + rows + row + " IF value = null");
        deleteRowIfValue = s.prepare("DELETE FROM " + rows + row + " IF value = ?");
        outboxRows = s.prepare("SELECT sk, value, WRITETIME(value) FROM " + rows
                + " WHERE pk = ? AND table_id = ? AND kind = ?");
        deleteTableInPartition = s.prepare("DELETE FROM " + rows + " WHERE pk = ? AND table_id = ?");
        String index = ks + ".scan_index";
        String bucket = " WHERE table_id = ? AND bucket = ?";
        addIndexEntry = s.prepare("INSERT INTO " + index + " (table_id, bucket, hash, pk_len, pk_head, pk) VALUES (?, ?, ?, ?, ?, ?)");
        indexEntriesBetween = s.prepare("SELECT hash, pk, WRITETIME(pk) FROM " + index + bucket + " AND hash >= ? AND hash <= ?");
        indexEntriesAfter = s.prepare("SELECT hash, pk, WRITETIME(pk) FROM " + index + bucket + " AND (hash, pk_len, pk_head) > (?, ?, ?)");
        deleteIndexEntryAsOf = s.prepare("DELETE FROM " + index + " USING TIMESTAMP ?" + bucket
                + " AND hash = ? AND pk_len = ? AND pk_head = ?");
        deleteIndexBucket = s.prepare("DELETE FROM " + index + bucket);
        String buckets = ks + ".scan_buckets";
        addBucket = s.prepare("INSERT INTO " + buckets + " (table_id, bucket) VALUES (?, ?)");
        bucketsBetween = s.prepare("SELECT bucket FROM " + buckets + " WHERE table_id = ? AND bucket >= ? AND bucket <= ?");
        deleteBuckets = s.prepare("DELETE FROM " + buckets + " WHERE table_id = ?");
        legacyIndexEntries = s.prepare("SELECT table_id, hash, pk_len, pk_head, pk FROM " + ks + ".partitions");
        String log = ks + ".log";
        lastLogEntry = s.prepare("SELECT seq, trimmed_through FROM " + log + " WHERE log = ? AND part = 0 ORDER BY seq DESC LIMIT 1");
        appendLogEntry = s.prepare("UPDATE " + log + " SET payload = ? WHERE log = ? AND part = 0 AND seq = ? AND marker = 0x"
                + " IF payload = null AND trimmed_through = ?");
        markApplied = s.prepare("UPDATE " + log + " USING TTL " + APPLIED_MARKER_TTL_SECONDS
                + " SET payload = 0x WHERE log = ? AND part = 0 AND seq = 0 AND marker = ? IF payload = null");
        isApplied = s.prepare("SELECT payload FROM " + log + " WHERE log = ? AND part = 0 AND seq = 0 AND marker = ?");
        readLog = s.prepare("SELECT seq, payload, trimmed_through FROM " + log + " WHERE log = ? AND part = 0 AND seq > ? LIMIT ?");
        trimMarker = s.prepare("UPDATE " + log + " SET trimmed_through = ? WHERE log = ? AND part = 0 IF trimmed_through = ?");
        trimLog = s.prepare("DELETE FROM " + log + " WHERE log = ? AND part = 0 AND seq >= 1 AND seq <= ?");
        String pending = ks + ".pending";
        addPending = s.prepare("INSERT INTO " + pending + " (shard, write_id, table_id, pk) VALUES (?, ?, ?, ?)");
        pendingBefore = s.prepare("SELECT write_id, table_id, pk FROM " + pending + " WHERE shard = ? AND write_id <= ?");
        deletePending = s.prepare("DELETE FROM " + pending + " WHERE shard = ? AND write_id = ? AND table_id = ? AND pk = ?");
        String meta = ks + ".meta";
        getMeta = s.prepare("SELECT value FROM " + meta + " WHERE bucket = 0 AND key = ?");
        putMeta = s.prepare("INSERT INTO " + meta + " (bucket, key, value) VALUES (0, ?, ?)");
        putMetaIfAbsent = s.prepare("INSERT INTO " + meta + " (bucket, key, value) VALUES (0, ?, ?) IF NOT EXISTS");
        deleteMeta = s.prepare("DELETE FROM " + meta + " WHERE bucket = 0 AND key = ?");
        listMeta = s.prepare("SELECT key, value FROM " + meta + " WHERE bucket = 0 AND key >= ?");
        getSetting = s.prepare("SELECT value FROM " + meta + " WHERE bucket = 1 AND key = ?");
        putSetting = s.prepare("INSERT INTO " + meta + " (bucket, key, value) VALUES (1, ?, ?)");
    }

    String keyspace() { return keyspace; }

    /**
     * {@code SELECT sk, value} of one table's item rows in a partition, bounded below and above as asked
     * (each bound: none, inclusive or exclusive), in one direction, with a {@code LIMIT}. Bind values:
     * pk, table_id, kind, then the bounds present, then the limit.
     */
    PreparedStatement slice(String lower, String upper, boolean forward) {
        String shape = lower + "|" + upper + "|" + forward;
        return slices.computeIfAbsent(shape, k -> session.prepare("SELECT sk, value FROM " + keyspace + ".rows"
                + " WHERE pk = ? AND table_id = ? AND kind = ?"
                + (lower.isEmpty() ? "" : " AND sk " + lower + " ?")
                + (upper.isEmpty() ? "" : " AND sk " + upper + " ?")
                + (forward ? " ORDER BY table_id ASC, kind ASC, sk ASC" : " ORDER BY table_id DESC, kind DESC, sk DESC")
                + " LIMIT ?"));
    }

    static CassandraSchema create(CqlSession s, String ks, int replicationFactor) {
        if (!ks.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) throw new IllegalArgumentException("bad keyspace name: " + ks);
        if (replicationFactor < 1) throw new IllegalArgumentException("replication factor must be at least 1: " + replicationFactor);
        ddl(s, "CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                + replicationFactor + "}");
        // The tables one after another would each wait for the schema to settle: seconds apiece.
        List<String> tables = List.of(
                "CREATE TABLE IF NOT EXISTS " + ks + ".rows (pk blob, table_id bigint, kind tinyint, sk blob, value blob,"
                    + " PRIMARY KEY ((pk), table_id, kind, sk))",
                "CREATE TABLE IF NOT EXISTS " + ks + ".partitions (table_id bigint, hash bigint, pk_len int, pk_head blob,"
                    + " pk blob, PRIMARY KEY ((table_id), hash, pk_len, pk_head))",
                "CREATE TABLE IF NOT EXISTS " + ks + ".scan_index (table_id bigint, bucket int, hash bigint, pk_len int,"
                    + " pk_head blob, pk blob, PRIMARY KEY ((table_id, bucket), hash, pk_len, pk_head))",
                "CREATE TABLE IF NOT EXISTS " + ks + ".scan_buckets (table_id bigint, bucket int,"
                    + " PRIMARY KEY ((table_id), bucket))",
                "CREATE TABLE IF NOT EXISTS " + ks + ".log (log text, part int, seq bigint, marker blob, payload blob,"
                    + " trimmed_through bigint static, PRIMARY KEY ((log, part), seq, marker))",
                // Every write with derived records adds and removes a row here: keep its tombstones short-lived.
                "CREATE TABLE IF NOT EXISTS " + ks + ".pending (shard int, write_id timeuuid, table_id bigint, pk blob,"
                    + " PRIMARY KEY ((shard), write_id, table_id, pk)) WITH gc_grace_seconds = 3600",
                "CREATE TABLE IF NOT EXISTS " + ks + ".meta (bucket int, key text, value blob, PRIMARY KEY ((bucket), key))");
        CompletableFuture.allOf(tables.stream()
                .map(cql -> s.executeAsync(ddl(cql)).toCompletableFuture())
                .toArray(CompletableFuture[]::new)).join();
        return new CassandraSchema(s, ks);
    }

    static void dropKeyspace(CqlSession s, String ks) {
        ddl(s, "DROP KEYSPACE IF EXISTS " + ks);
    }

    private static void ddl(CqlSession s, String cql) {
        s.execute(ddl(cql));
    }

    private static SimpleStatement ddl(String cql) {
        return SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)).setConsistencyLevel(ConsistencyLevel.ALL);
    }
}

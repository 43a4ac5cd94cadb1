package dev.flywheel.storage.cassandra;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;

/**
 * Flywheel's CQL schema and its prepared statements.
 *
 * <ul>
 *   <li>{@code rows ((table_id, pk), kind, sk) value}: one Cassandra partition per DynamoDB partition
 *       key, so an item write is a single-partition batch. Item rows ({@code kind = 0}) are clustered by
 *       the sort-key blob, which Cassandra orders as unsigned bytes, the SPI's order. Outbox rows
 *       ({@code kind = 1}) share the partition so they join the item's LWT batch.</li>
 *   <li>{@code partitions ((table_id), hash, pk_len, pk)}: the scan index. Cassandra's token order is
 *       Murmur3, not {@code PartitionHash}, so Scan cannot walk the rows table in SPI order; this index
 *       is clustered by the hash (sign bit flipped so signed bigint order is unsigned order), then
 *       length, then bytes: exactly the SPI's scan order. One index partition per table is simple but
 *       bounds a table's partition count (~100k comfortably); bucketing by high hash bits is the next step.</li>
 *   <li>{@code log ((log), seq) payload, static trimmed_through}: sequenced derived-record logs.</li>
 *   <li>{@code meta ((bucket), key) value}: one partition, clustered by key text (UTF-8 byte order).</li>
 * </ul>
 */
final class CassandraSchema {
    private final String keyspace;
    final PreparedStatement getRow, putRow, putRowIfAbsent, putRowIfValue, deleteRow, deleteRowIfAbsent,
            deleteRowIfValue, putOutbox, outboxRows, deletePartition, indexPartition, partitionsFrom,
            partitionsAfter, deleteIndex, appendLog, lastLogEntry, readLog, markTrimmed, trimLog, getMeta,
            putMeta, deleteMeta, listMeta;

    private CassandraSchema(CqlSession s, String ks) {
        this.keyspace = ks;
        String rows = ks + ".rows";
        getRow = s.prepare("SELECT value FROM " + rows + " WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ?");
        putRow = s.prepare("UPDATE " + rows + " SET value = ? WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ?");
        putRowIfAbsent = s.prepare("UPDATE " + rows + " SET value = ? WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ? IF value = null");
        putRowIfValue = s.prepare("UPDATE " + rows + " SET value = ? WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ? IF value = ?");
        deleteRow = s.prepare("DELETE FROM " + rows + " WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ?");
        deleteRowIfAbsent = s.prepare("DELETE FROM " + rows + " WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ? IF value = null");
        deleteRowIfValue = s.prepare("DELETE FROM " + rows + " WHERE table_id = ? AND pk = ? AND kind = ? AND sk = ? IF value = ?");
        putOutbox = putRow;
        outboxRows = s.prepare("SELECT sk, value FROM " + rows + " WHERE table_id = ? AND pk = ? AND kind = ?");
        deletePartition = s.prepare("DELETE FROM " + rows + " WHERE table_id = ? AND pk = ?");
        String index = ks + ".partitions";
        indexPartition = s.prepare("INSERT INTO " + index + " (table_id, hash, pk_len, pk) VALUES (?, ?, ?, ?)");
        partitionsFrom = s.prepare("SELECT hash, pk FROM " + index + " WHERE table_id = ? AND hash >= ?");
        partitionsAfter = s.prepare("SELECT hash, pk FROM " + index + " WHERE table_id = ? AND (hash, pk_len, pk) > (?, ?, ?)");
        deleteIndex = s.prepare("DELETE FROM " + index + " WHERE table_id = ?");
        String log = ks + ".log";
        appendLog = s.prepare("INSERT INTO " + log + " (log, seq, payload) VALUES (?, ?, ?) IF NOT EXISTS");
        lastLogEntry = s.prepare("SELECT seq, trimmed_through FROM " + log + " WHERE log = ? ORDER BY seq DESC LIMIT 1");
        readLog = s.prepare("SELECT seq, payload FROM " + log + " WHERE log = ? AND seq > ? LIMIT ?");
        markTrimmed = s.prepare("UPDATE " + log + " SET trimmed_through = ? WHERE log = ?");
        trimLog = s.prepare("DELETE FROM " + log + " WHERE log = ? AND seq <= ?");
        String meta = ks + ".meta";
        getMeta = s.prepare("SELECT value FROM " + meta + " WHERE bucket = 0 AND key = ?");
        putMeta = s.prepare("INSERT INTO " + meta + " (bucket, key, value) VALUES (0, ?, ?)");
        deleteMeta = s.prepare("DELETE FROM " + meta + " WHERE bucket = 0 AND key = ?");
        listMeta = s.prepare("SELECT key, value FROM " + meta + " WHERE bucket = 0 AND key >= ?");
    }

    String keyspace() { return keyspace; }

    String rowsTable() { return keyspace + ".rows"; }

    static CassandraSchema create(CqlSession s, String ks, int replicationFactor) {
        if (!ks.matches("[a-zA-Z][a-zA-Z0-9_]{0,47}")) throw new IllegalArgumentException("bad keyspace name: " + ks);
        ddl(s, "CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
                + replicationFactor + "}");
        ddl(s, "CREATE TABLE IF NOT EXISTS " + ks + ".rows (table_id bigint, pk blob, kind tinyint, sk blob, value blob,"
                + " PRIMARY KEY ((table_id, pk), kind, sk))");
        ddl(s, "CREATE TABLE IF NOT EXISTS " + ks + ".partitions (table_id bigint, hash bigint, pk_len int, pk blob,"
                + " PRIMARY KEY ((table_id), hash, pk_len, pk))");
        ddl(s, "CREATE TABLE IF NOT EXISTS " + ks + ".log (log text, seq bigint, payload blob, trimmed_through bigint static,"
                + " PRIMARY KEY ((log), seq))");
        ddl(s, "CREATE TABLE IF NOT EXISTS " + ks + ".meta (bucket int, key text, value blob, PRIMARY KEY ((bucket), key))");
        return new CassandraSchema(s, ks);
    }

    private static void ddl(CqlSession s, String cql) {
        s.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30))
                .setConsistencyLevel(ConsistencyLevel.ALL));
    }
}

package dev.flywheel.storage.cassandra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A session on a real Cassandra node and a keyspace of its own for one test class, dropped at the end.
 * The node is {@code 127.0.0.1:9042} ({@code /work/shared/tools/cassandra-cluster.sh start 1}, which
 * {@code .ci/run} does) or {@code -Dflywheel.cassandra=host:port}. Without a node the tests are skipped,
 * saying so.
 */
final class TestCassandra implements AutoCloseable {
    static final String CONTACT = System.getProperty("flywheel.cassandra", "127.0.0.1:9042");

    private final CqlSession session;
    private final String keyspace;
    private final CassandraSchema schema;

    private TestCassandra(CqlSession session, String keyspace) {
        this.session = session;
        this.keyspace = keyspace;
        this.schema = CassandraSchema.create(session, keyspace, 1);
    }

    /** A fresh keyspace named after {@code purpose} and a random suffix (runs may overlap on one node). */
    static TestCassandra connect(String purpose) {
        assumeTrue(reachable(address()), "no Cassandra node at " + CONTACT
                + " (start one with /work/shared/tools/cassandra-cluster.sh start 1): Cassandra tests skipped");
        String keyspace = "flywheel_" + purpose + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff);
        return new TestCassandra(CassandraStorage.connect(List.of(address()), "datacenter1"), keyspace);
    }

    String keyspace() { return keyspace; }

    CqlSession session() { return session; }

    CassandraSchema schema() { return schema; }

    /** A storage over the shared session: closing it does not close the session. No background sweep. */
    CassandraStorage storage() {
        return storageOver(session);
    }

    /** As {@link #storage()}, with a scan index that remembers and prunes entries after other durations. */
    CassandraStorage storage(java.time.Duration rememberedFor, java.time.Duration pruneAfter) {
        return new CassandraStorage(session, false, schema, null, new ScanIndex(session, schema, rememberedFor, pruneAfter));
    }

    /** As {@link #storage()}, its statements sent through {@code session} (a wrapper of {@link #session()}). */
    CassandraStorage storageOver(CqlSession session) {
        return new CassandraStorage(session, false, schema, null);
    }

    /** Deletes what earlier tests wrote: every table listed by the scan index, every log, the metadata. */
    void deleteEverything() {
        CassandraStorage storage = storage();
        Set<Long> tables = new TreeSet<>(column("SELECT DISTINCT table_id FROM " + keyspace + ".scan_buckets", Long.class));
        for (long table : tables) storage.dropTable(table);
        for (String log : column("SELECT DISTINCT log, part FROM " + keyspace + ".log", String.class)) {
            session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".log WHERE log = ? AND part = 0", log));
        }
        session.execute("DELETE FROM " + keyspace + ".meta WHERE bucket = 0");
        for (int shard = 0; shard < CassandraSchema.PENDING_SHARDS; shard++) {
            session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".pending WHERE shard = ?", shard));
        }
        storage.close();
    }

    private <T> List<T> column(String cql, Class<T> type) {
        List<T> values = new ArrayList<>();
        for (var row : session.execute(cql)) values.add(row.get(0, type));
        return values;
    }

    @Override
    public void close() {
        try {
            CassandraSchema.dropKeyspace(session, keyspace);
        } finally {
            session.close();
        }
    }

    static InetSocketAddress address() {
        String[] parts = CONTACT.split(":");
        return new InetSocketAddress(parts[0], Integer.parseInt(parts[1]));
    }

    static boolean reachable(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 2000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}

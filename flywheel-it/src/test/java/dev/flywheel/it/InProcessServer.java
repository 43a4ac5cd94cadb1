package dev.flywheel.it;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.cassandra.CassandraStorage;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A Flywheel server in this JVM on an ephemeral loopback port, over in-memory RocksDB, or with
 * {@code -Dflywheel.it.storage=cassandra} over a keyspace of its own on the Cassandra node at
 * 127.0.0.1:9042 (dropped on close): the same suites then run on the distributed backend.
 */
final class InProcessServer implements AutoCloseable {
    static final boolean ON_CASSANDRA = "cassandra".equals(System.getProperty("flywheel.it.storage"));
    private static final InetSocketAddress CASSANDRA = new InetSocketAddress("127.0.0.1", 9042);

    private final Storage storage;
    private final String keyspace;
    private final FlywheelEngine engine;
    private final FlywheelServer server;
    private final URI endpoint;

    InProcessServer() {
        this(Map.of());
    }

    InProcessServer(Map<String, String> credentials) {
        this(credentials, EngineConfig.DEFAULT_SHARD_LIFETIME);
    }

    /** With stream shards that are closed, and a child opened, once older than {@code shardLifetime}. */
    InProcessServer(Map<String, String> credentials, Duration shardLifetime) {
        keyspace = ON_CASSANDRA ? "flywheel_it_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xfffffff) : null;
        storage = ON_CASSANDRA ? CassandraStorage.open(List.of(CASSANDRA), "datacenter1", keyspace, 1)
                : RocksDbStorage.open(new RocksDbConfig(null, true, false));
        // Encrypted at rest, as the server always runs.
        Encryption encryption = Encryption.open(storage, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
        engine = new FlywheelEngine(encryption,
                new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC())
                        .withShardLifetime(shardLifetime));
        server = new FlywheelServer(ServerConfig.defaults().withPort(0).withCredentials(credentials), engine);
        InetSocketAddress address = server.start();
        endpoint = URI.create("http://127.0.0.1:" + address.getPort());
    }

    URI endpoint() {
        return endpoint;
    }

    /** Waits until the global secondary indexes reflect every write acknowledged so far (they lag, as DynamoDB's). */
    void awaitIndexes() {
        try {
            if (!engine.awaitIndexes(java.time.Duration.ofMinutes(1))) {
                throw new AssertionError("index maintenance did not catch up within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Deletes expired items now, as the time-to-live sweeper does every interval. */
    void sweepExpiredItems() {
        engine.sweepExpiredItems();
    }

    /** Rolls over stream shards older than the shard lifetime now, as stream maintenance does every minute. */
    void maintainStreams() {
        engine.maintainStreams();
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        storage.close();
        if (keyspace != null) dropKeyspaces(List.of(keyspace));
    }

    /** Drops test keyspaces from the Cassandra node the suites run on. */
    static void dropKeyspaces(Collection<String> keyspaces) {
        try (CqlSession session = CqlSession.builder().addContactPoint(CASSANDRA).withLocalDatacenter("datacenter1").build()) {
            for (String keyspace : keyspaces) {
                session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace).setTimeout(Duration.ofSeconds(60)));
            }
        }
    }
}

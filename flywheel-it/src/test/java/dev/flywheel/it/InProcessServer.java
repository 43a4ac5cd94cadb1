package dev.flywheel.it;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** A Flywheel server in this JVM on an ephemeral loopback port, over in-memory RocksDB. */
final class InProcessServer implements AutoCloseable {
    private final Storage storage;
    private final FlywheelEngine engine;
    private final FlywheelServer server;
    private final URI endpoint;

    InProcessServer() {
        this(Map.of());
    }

    InProcessServer(Map<String, String> credentials) {
        storage = RocksDbStorage.open(new RocksDbConfig(null, true, false));
        // Encrypted at rest, as the server always runs.
        Encryption encryption = Encryption.open(storage, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
        engine = new FlywheelEngine(encryption,
                new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC()));
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

    @Override
    public void close() {
        server.close();
        engine.close();
        storage.close();
    }
}

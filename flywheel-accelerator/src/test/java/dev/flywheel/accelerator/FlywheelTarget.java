package dev.flywheel.accelerator;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * A Flywheel server in this JVM on an ephemeral loopback port, over in-memory RocksDB, verifying
 * signatures against one access key: the target the tests put the accelerator in front of.
 */
final class FlywheelTarget implements AutoCloseable {
    static final String ACCESS_KEY = "AKIDACCELERATOR";
    static final String SECRET_KEY = "accelerator-secret";

    private final Storage storage;
    private final FlywheelEngine engine;
    private final FlywheelServer server;
    private final URI endpoint;

    FlywheelTarget() {
        storage = RocksDbStorage.open(new RocksDbConfig(null, true, false));
        Encryption encryption = Encryption.open(storage, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
        engine = new FlywheelEngine(encryption, new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC()));
        server = new FlywheelServer(ServerConfig.defaults().withPort(0).withCredentials(Map.of(ACCESS_KEY, SECRET_KEY)), engine);
        endpoint = URI.create("http://127.0.0.1:" + server.start().getPort());
    }

    URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.close();
        engine.close();
        storage.close();
    }
}

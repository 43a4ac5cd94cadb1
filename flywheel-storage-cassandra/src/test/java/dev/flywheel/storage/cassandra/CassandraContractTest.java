package dev.flywheel.storage.cassandra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The SPI contract against a real Cassandra node (start one with
 * {@code /work/shared/tools/cassandra-cluster.sh start 1}; {@code -Dflywheel.cassandra=host:port}
 * chooses another). Skipped, saying so, when no node answers. Tests share one keyspace, emptied
 * before each test (creating a keyspace per test took minutes for the suite).
 */
@Tag("cassandra")
class CassandraContractTest extends StorageContractTest {
    private static final String CONTACT = System.getProperty("flywheel.cassandra", "127.0.0.1:9042");

    @BeforeAll
    static void nodeIsReachable() {
        assumeTrue(reachable(address()), "no Cassandra node at " + CONTACT
                + " (start one with /work/shared/tools/cassandra-cluster.sh start 1): Cassandra contract tests skipped");
    }

    @Override
    protected Storage newStorage() {
        CassandraStorage storage = CassandraStorage.open(List.of(address()), "datacenter1", "flywheel_contract", 1);
        storage.truncateAll();
        return storage;
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

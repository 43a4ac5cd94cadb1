package dev.flywheel.storage.cassandra;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The SPI contract against a real Cassandra node (start one with
 * {@code /work/shared/tools/cassandra-cluster.sh start 1}; {@code -Dflywheel.cassandra=host:port}
 * chooses another). Skipped, saying so, when no node answers. Each test gets its own keyspace so tests
 * never see each other's rows.
 */
@Tag("cassandra")
class CassandraContractTest extends StorageContractTest {
    private static final String CONTACT = System.getProperty("flywheel.cassandra", "127.0.0.1:9042");
    private static final AtomicInteger KEYSPACES = new AtomicInteger();
    private static final String RUN = "t" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);

    @BeforeAll
    static void nodeIsReachable() {
        assumeTrue(reachable(address()), "no Cassandra node at " + CONTACT
                + " (start one with /work/shared/tools/cassandra-cluster.sh start 1): Cassandra contract tests skipped");
    }

    @Override
    protected Storage newStorage() {
        return CassandraStorage.open(List.of(address()), "datacenter1", RUN + "_" + KEYSPACES.incrementAndGet(), 1);
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

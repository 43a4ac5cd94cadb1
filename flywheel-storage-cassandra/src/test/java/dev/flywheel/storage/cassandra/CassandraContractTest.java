package dev.flywheel.storage.cassandra;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The SPI contract against a real Cassandra node (see {@link TestCassandra}). One keyspace for the
 * whole run (creating one costs seconds), one session; between tests the rows, logs and metadata the
 * previous test wrote are deleted, which is far cheaper than TRUNCATE (a flush per table).
 */
@Tag("cassandra")
class CassandraContractTest extends StorageContractTest {
    private static TestCassandra cassandra;

    @BeforeAll
    static void connect() {
        cassandra = TestCassandra.connect("contract");
    }

    @AfterAll
    static void dropKeyspace() {
        if (cassandra != null) cassandra.close();
    }

    @Override
    protected Storage newStorage() {
        cassandra.deleteEverything();
        return cassandra.storage();
    }
}

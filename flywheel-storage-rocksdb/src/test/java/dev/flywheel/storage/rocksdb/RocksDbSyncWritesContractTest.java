package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** With an fsync per commit, writes go through platform threads ({@link Committer}): the same contract. */
class RocksDbSyncWritesContractTest extends StorageContractTest {
    @TempDir
    Path dataDir;

    @Override
    protected Storage newStorage() {
        return RocksDbStorage.open(new RocksDbConfig(dataDir, false, true));
    }
}

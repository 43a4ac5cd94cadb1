package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;

class RocksDbInMemoryContractTest extends StorageContractTest {
    @Override
    protected Storage newStorage() {
        return RocksDbStorage.open(new RocksDbConfig(null, true, false));
    }
}

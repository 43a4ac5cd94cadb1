package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageModelProperties;

class RocksDbInMemoryModelTest extends StorageModelProperties {
    @Override
    protected Storage newStorage() {
        return RocksDbStorage.open(new RocksDbConfig(null, true, false));
    }
}

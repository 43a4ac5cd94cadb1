package dev.flywheel.engine.encryption;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import dev.flywheel.storage.TreeMapStorage;

/**
 * Encryption keeps the storage contract: the whole suite, over the oracle backend. Partitions are
 * placed by their hidden keys, and stats count the sealed bytes the backend holds.
 */
class EncryptedStorageContractTest extends StorageContractTest {
    private DataKeys keys;

    @Override
    protected Storage newStorage() {
        TreeMapStorage backend = new TreeMapStorage();
        Keyring keyring = Keyring.open(backend, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
        keys = new DataKeys(backend, keyring, name -> Keyring.SERVICE_OWNED);
        return new EncryptedStorage(backend, keys);
    }

    @Override
    protected byte[] placementKey(long table, byte[] partitionKey) {
        return keys.get(DataKeys.rows(table)).hide(partitionKey);
    }

    @Override
    protected boolean statsCountRowBytes() {
        return false;
    }
}

package dev.flywheel.engine.encryption;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageContractTest;
import dev.flywheel.storage.TreeMapStorage;

/**
 * Encryption keeps the storage contract: the whole suite, over the oracle backend. Partitions are
 * placed by their hidden keys, and stats count the sealed bytes the backend holds. The suite writes
 * table {@code TABLE + 1} as a companion (local index) of {@code TABLE}: here it belongs to that table,
 * as the engine's catalog says of a table's local indexes.
 */
class EncryptedStorageContractTest extends StorageContractTest {
    private DataKeys keys;

    private static long ownerOf(long storageId) {
        return storageId == TABLE + 1 ? TABLE : storageId;
    }

    @Override
    protected Storage newStorage() {
        TreeMapStorage backend = new TreeMapStorage();
        Keyring keyring = Keyring.open(backend, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
        keys = new DataKeys(backend, keyring, name -> Keyring.SERVICE_OWNED);
        return new EncryptedStorage(backend, keys, EncryptedStorageContractTest::ownerOf);
    }

    @Override
    protected byte[] placementKey(long table, byte[] partitionKey) {
        return keys.ofRows(ownerOf(table)).hide(partitionKey);
    }

    @Override
    protected boolean statsCountRowBytes() {
        return false;
    }
}

package dev.flywheel.storage;

/** The contract suite run over its own oracle: proves the suite's expectations consistent. */
class TreeMapStorageContractTest extends StorageContractTest {
    @Override
    protected Storage newStorage() {
        return new TreeMapStorage();
    }
}

package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageModelProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.lifecycle.AfterContainer;

/** The model property on disk. jqwik has no {@code @TempDir}: directories are made here and removed at the end. */
class RocksDbOnDiskModelTest extends StorageModelProperties {
    private static final List<Path> dataDirs = new ArrayList<>();

    @Override
    protected Storage newStorage() {
        try {
            Path dataDir = Files.createTempDirectory("flywheel-model");
            dataDirs.add(dataDir);
            return RocksDbStorage.open(new RocksDbConfig(dataDir, false, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** After every property, so after every storage is closed. */
    @AfterContainer
    static void deleteDataDirs() throws IOException {
        for (Path dataDir : dataDirs) DataDirs.delete(dataDir);
        dataDirs.clear();
    }
}

package dev.flywheel.storage.rocksdb;

import static dev.flywheel.storage.Bytes.bytes;
import static dev.flywheel.storage.Bytes.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TableStats;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What RocksDbStorage promises beyond the contract. */
class RocksDbStorageTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(longs = {7, 0, -1, Long.MIN_VALUE, Long.MAX_VALUE})
    void dropTableRemovesTheRowsAtOnce(long table) {
        try (Storage storage = RocksDbStorage.open(new RocksDbConfig(null, true, false))) {
            for (long t : new long[] {table - 1, table, table + 1}) { // wraps around at the extremes
                for (int i = 0; i < 50; i++) put(storage, t, "pk" + i, "sk", "v");
            }
            storage.dropTable(table);
            assertThat(storage.scan(table, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
            assertThat(storage.get(table, bytes("pk1"), bytes("sk"))).isNull();
            assertThat(storage.stats(table)).isEqualTo(new TableStats(0, 0));
            assertThat(storage.stats(table - 1).rowCount()).isEqualTo(50);
            assertThat(storage.stats(table + 1).rowCount()).isEqualTo(50);
            put(storage, table, "pk1", "sk", "after the drop");
            assertThat(show(storage.get(table, bytes("pk1"), bytes("sk")))).isEqualTo("after the drop");
        }
    }

    /**
     * getIfCached answers from the memtable and the block cache only: after a reopen (which writes the
     * recovered log to a file), a row is "not in memory" until a plain read brings its block into the
     * cache.
     */
    @Test
    void getIfCachedAnswersOnlyFromMemory() {
        RocksDbConfig config = new RocksDbConfig(dataDir, false, false);
        try (Storage storage = RocksDbStorage.open(config)) {
            put(storage, 7, "pk", "sk", "v");
            assertThat(show(storage.getIfCached(7, bytes("pk"), bytes("sk")))).isEqualTo("v"); // in the memtable
        }
        try (Storage storage = RocksDbStorage.open(config)) {
            assertThat(storage.getIfCached(7, bytes("pk"), bytes("sk"))).isSameAs(Storage.NOT_IN_MEMORY);
            assertThat(show(storage.get(7, bytes("pk"), bytes("sk")))).isEqualTo("v");
            assertThat(show(storage.getIfCached(7, bytes("pk"), bytes("sk")))).isEqualTo("v"); // its block is cached now
        }
    }

    @Test
    void aDataDirectoryOpensInOneStorageAtATime() {
        RocksDbConfig config = new RocksDbConfig(dataDir, false, false);
        try (Storage first = RocksDbStorage.open(config)) {
            put(first, 1, "p", "s", "v");
            assertThatThrownBy(() -> RocksDbStorage.open(config))
                    .isInstanceOf(StorageException.Unavailable.class)
                    .hasMessageContaining("is in use by another process")
                    .hasMessageContaining(dataDir.toString());
            assertThat(show(first.get(1, bytes("p"), bytes("s")))).isEqualTo("v");
        }
        try (Storage again = RocksDbStorage.open(config)) {
            assertThat(show(again.get(1, bytes("p"), bytes("s")))).isEqualTo("v");
        }
    }

    @Test
    void aCorruptedStoreFailsToOpenAsCorrupted() throws IOException {
        RocksDbConfig config = new RocksDbConfig(dataDir, false, false);
        RocksDbStorage.open(config).close();
        // CURRENT names the live MANIFEST; without its newline RocksDB reports corruption.
        Files.writeString(dataDir.resolve("CURRENT"), "MANIFEST-garbage");
        assertThatThrownBy(() -> RocksDbStorage.open(config)).isInstanceOf(StorageException.Corrupted.class);
    }

    @Test
    void theDataDirectoryIsCreated() {
        Path nested = dataDir.resolve("a/b/c");
        try (Storage storage = RocksDbStorage.open(new RocksDbConfig(nested, false, false))) {
            put(storage, 1, "p", "s", "v");
        }
        assertThat(nested.resolve("CURRENT")).exists();
    }

    @Test
    void anUnusableDataDirectoryIsAStorageException() throws IOException {
        Path file = Files.writeString(dataDir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> RocksDbStorage.open(new RocksDbConfig(file, false, false)))
                .isInstanceOf(StorageException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void theConfigurationIsChecked() {
        assertThatThrownBy(() -> new RocksDbConfig(null, false, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RocksDbConfig(null, true, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRejectedLogNameLeavesTheOtherLogsReadable() {
        try (Storage storage = RocksDbStorage.open(new RocksDbConfig(null, true, false))) {
            String tooLong = "x".repeat(70_000);
            PartitionWrite write = new PartitionWrite(1, bytes("p"), List.of(RowWrite.put(bytes("s"), bytes("v"), Expected.ANY)),
                    List.of(new DerivedRecord("stream", bytes("1")), new DerivedRecord(tooLong, bytes("2"))));
            assertThatThrownBy(() -> storage.write(write)).isInstanceOf(IllegalArgumentException.class);
            assertThat(storage.get(1, bytes("p"), bytes("s"))).isNull();
            storage.write(new PartitionWrite(1, bytes("p"), List.of(), List.of(new DerivedRecord("stream", bytes("3")))));
            assertThat(storage.readLog("stream", 0, 10)).extracting(e -> show(e.payload())).containsExactly("3");
        }
    }

    @Test
    void inMemoryStoragesOpenTogetherAreIndependent() {
        try (Storage first = RocksDbStorage.open(new RocksDbConfig(null, true, false));
             Storage second = RocksDbStorage.open(new RocksDbConfig(null, true, false))) {
            put(first, 1, "p", "s", "first");
            assertThat(second.get(1, bytes("p"), bytes("s"))).isNull();
            put(second, 1, "p", "s", "second");
            assertThat(show(first.get(1, bytes("p"), bytes("s")))).isEqualTo("first");
        }
    }

    @Test
    void saysWhereItIs() {
        try (Storage storage = RocksDbStorage.open(new RocksDbConfig(dataDir, false, false))) {
            assertThat(storage.toString()).contains(dataDir.toString());
        }
    }

    private static void put(Storage storage, long table, String pk, String sk, String value) {
        storage.write(PartitionWrite.of(table, bytes(pk), RowWrite.put(bytes(sk), bytes(value), Expected.ANY)));
    }
}

package dev.flywheel.storage.rocksdb;

import java.nio.file.Path;

/**
 * How to open a {@link RocksDbStorage}.
 *
 * @param dataDir    the directory holding the data (created if missing); may be null when {@code inMemory}
 * @param inMemory   keep everything in memory (RocksDB on an in-memory Env, no write-ahead log): fast,
 *                   and gone on close. Otherwise an acknowledged write survives the process being killed
 *                   (it is in the write-ahead log, in the OS page cache)
 * @param syncWrites fsync the write-ahead log before acknowledging a write, so that it survives power
 *                   loss too; RocksDB joins concurrent writers into one fsync (group commit). Not with
 *                   {@code inMemory}. Metadata writes are always synced
 * @throws IllegalArgumentException if {@code dataDir} is missing on disk, or {@code syncWrites} is
 *                   asked in memory
 */
public record RocksDbConfig(Path dataDir, boolean inMemory, boolean syncWrites) {
    public RocksDbConfig {
        if (!inMemory && dataDir == null) throw new IllegalArgumentException("a data directory is needed unless in memory");
        if (inMemory && syncWrites) throw new IllegalArgumentException("syncWrites needs a data directory, not in memory");
    }
}

package dev.flywheel.storage.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.rocksdb.AbstractNativeReference;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.ReadTier;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksMemEnv;
import org.rocksdb.WriteOptions;

/**
 * An open RocksDB: its column families, the write options of each durability level, and every native
 * object it owns, closed in the reverse order of their creation (column family handles, then the
 * database, then the options, filter, cache and Env it was opened with).
 *
 * <p>Three column families rather than key prefixes in one: each kind of data gets the options that
 * suit it (rows: prefix bloom filter; logs: appended and range-deleted, read in order; meta: tiny),
 * a dropped table's range tombstone never lies in a log's path, and a burst of one kind does not
 * flush the others' memtables. They share one write-ahead log, so one WriteBatch spanning rows and
 * logs is atomic.
 *
 * <p>Tuned for a small machine (2 cores, a few GB): one 64 MB block cache for all column families,
 * holding the index and filter blocks too so that memory stays bounded as data grows; bloom filters
 * of 10 bits per key (about 1% false positives) so a GetItem of an absent item or a precondition
 * check on a new one rarely reads a data block; LZ4 everywhere, the cheapest on CPU of the real
 * compressors (values the engine has sealed will not compress, and RocksDB then stores the block
 * as is); two background jobs, one per core.
 */
final class Database implements AutoCloseable {
    private static final long BLOCK_CACHE_BYTES = 64L << 20;
    private static final double BLOOM_BITS_PER_KEY = 10;
    private static final long MB = 1L << 20;
    /** Where an in-memory database lives inside its in-memory Env. */
    private static final String IN_MEMORY_PATH = "/flywheel-in-memory";

    final RocksDB rocksDb;
    final ColumnFamilyHandle rows;
    final ColumnFamilyHandle logs;
    final ColumnFamilyHandle meta;
    /** Rows, logs, drops and trims: logged, fsync'd only if the configuration asks for it. */
    final WriteOptions dataWrites;
    /** Metadata: rare, and must survive power loss, so fsync'd (when there is a log at all). */
    final WriteOptions metaWrites;
    /**
     * Reads that must not wait for a file: memtables and block cache only. In memory, files are memory
     * too, so any read qualifies.
     */
    final ReadOptions cacheOnly;

    private final boolean walEnabled;
    private final Deque<AbstractNativeReference> owned;

    private Database(RocksDB rocksDb, List<ColumnFamilyHandle> handles, WriteOptions dataWrites, WriteOptions metaWrites,
                     ReadOptions cacheOnly, boolean walEnabled, Deque<AbstractNativeReference> owned) {
        this.rocksDb = rocksDb;
        this.rows = handles.get(1);
        this.logs = handles.get(2);
        this.meta = handles.get(3);
        this.dataWrites = dataWrites;
        this.metaWrites = metaWrites;
        this.cacheOnly = cacheOnly;
        this.walEnabled = walEnabled;
        this.owned = owned;
    }

    static Database open(RocksDbConfig config) throws RocksDBException, IOException {
        Deque<AbstractNativeReference> owned = new ArrayDeque<>();
        try {
            String path;
            Env env;
            if (config.inMemory()) {
                env = own(owned, new RocksMemEnv(Env.getDefault()));
                path = IN_MEMORY_PATH;
            } else {
                env = Env.getDefault(); // a process-wide singleton: not ours to close
                Files.createDirectories(config.dataDir());
                path = config.dataDir().toString();
            }
            LRUCache cache = own(owned, new LRUCache(BLOCK_CACHE_BYTES));
            BloomFilter bloom = own(owned, new BloomFilter(BLOOM_BITS_PER_KEY));
            BlockBasedTableConfig tables = new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(bloom)
                    .setCacheIndexAndFilterBlocks(true)
                    // Level-0 files are read by every lookup: keep their index and filter in the cache.
                    .setPinL0FilterAndIndexBlocksInCache(true);

            DBOptions dbOptions = own(owned, new DBOptions()
                    .setEnv(env)
                    .setCreateIfMissing(true)
                    .setCreateMissingColumnFamilies(true)
                    .setMaxBackgroundJobs(2)
                    // Write back SST files in 1 MB steps rather than in bursts that stall foreground I/O.
                    .setBytesPerSync(MB)
                    // The rarely written meta column family would pin old log files until it flushes;
                    // past this total, RocksDB flushes it so they can go.
                    .setMaxTotalWalSize(128 * MB)
                    // RocksDB's own info LOG files: a few for diagnosis, not the default thousand.
                    .setKeepLogFileNum(4));

            ColumnFamilyOptions defaultOptions = own(owned, new ColumnFamilyOptions());
            ColumnFamilyOptions rowOptions = own(owned, new ColumnFamilyOptions()
                    .setTableFormatConfig(tables)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setWriteBufferSize(32 * MB)
                    // Bloom filters on (table, hash) as well as on whole keys: a Query of an absent
                    // partition skips every file that does not hold it. Iterators use auto_prefix_mode,
                    // so Scans that cross partitions still see every key.
                    .useFixedLengthPrefixExtractor(RowKeys.BLOOM_PREFIX)
                    .setMemtablePrefixBloomSizeRatio(0.1));
            ColumnFamilyOptions logOptions = own(owned, new ColumnFamilyOptions()
                    .setTableFormatConfig(tables)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setWriteBufferSize(16 * MB));
            ColumnFamilyOptions metaOptions = own(owned, new ColumnFamilyOptions()
                    .setTableFormatConfig(tables)
                    .setCompressionType(CompressionType.LZ4_COMPRESSION)
                    .setWriteBufferSize(4 * MB));

            // Persisted names: never rename them.
            List<ColumnFamilyDescriptor> descriptors = List.of(
                    new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, defaultOptions),
                    new ColumnFamilyDescriptor("rows".getBytes(StandardCharsets.UTF_8), rowOptions),
                    new ColumnFamilyDescriptor("logs".getBytes(StandardCharsets.UTF_8), logOptions),
                    new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8), metaOptions));
            List<ColumnFamilyHandle> handles = new ArrayList<>();
            RocksDB rocksDb = own(owned, RocksDB.open(dbOptions, path, descriptors, handles));
            handles.forEach(owned::push);

            boolean walEnabled = !config.inMemory();
            WriteOptions dataWrites = own(owned, new WriteOptions().setDisableWAL(!walEnabled).setSync(config.syncWrites()));
            WriteOptions metaWrites = own(owned, new WriteOptions().setDisableWAL(!walEnabled).setSync(walEnabled));
            ReadOptions cacheOnly = own(owned, config.inMemory() ? new ReadOptions()
                    : new ReadOptions().setReadTier(ReadTier.BLOCK_CACHE_TIER));
            return new Database(rocksDb, handles, dataWrites, metaWrites, cacheOnly, walEnabled, owned);
        } catch (IOException | RocksDBException | RuntimeException | Error e) {
            closeAll(owned);
            throw e;
        }
    }

    /** Syncs the write-ahead log (so a clean shutdown also survives power loss), then frees everything. */
    @Override
    public void close() throws RocksDBException {
        try {
            if (walEnabled) rocksDb.syncWal();
        } finally {
            closeAll(owned);
        }
    }

    private static <T extends AbstractNativeReference> T own(Deque<AbstractNativeReference> owned, T object) {
        owned.push(object);
        return object;
    }

    private static void closeAll(Deque<AbstractNativeReference> owned) {
        while (!owned.isEmpty()) owned.pop().close();
    }
}

package dev.flywheel.cli;

import dev.flywheel.storage.Storage;
import dev.flywheel.storage.cassandra.CassandraStorage;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s choice of storage: the embedded RocksDB (default), or a Cassandra cluster that any
 * number of Flywheel servers can front at once (table metadata lives there too).
 */
final class StorageOptions {
    enum Backend { rocksdb, cassandra }

    @Option(names = "--storage", defaultValue = "rocksdb",
            description = "Storage backend: rocksdb (embedded, in --data-dir) or cassandra (a cluster that several"
                    + " Flywheel servers may share). Default: ${DEFAULT-VALUE}.")
    Backend backend;

    @Option(names = "--cassandra-contact-points", defaultValue = "127.0.0.1:9042", split = ",",
            description = "With --storage cassandra: host:port of one or more nodes. Default: ${DEFAULT-VALUE}.")
    List<String> contactPoints;

    @Option(names = "--cassandra-datacenter", defaultValue = "datacenter1",
            description = "With --storage cassandra: the local datacenter's name. Default: ${DEFAULT-VALUE}.")
    String datacenter;

    @Option(names = "--keyspace", defaultValue = "flywheel",
            description = "With --storage cassandra: the keyspace holding everything (created if missing)."
                    + " Default: ${DEFAULT-VALUE}.")
    String keyspace;

    @Option(names = "--replication-factor", defaultValue = "1",
            description = "With --storage cassandra: replicas of each row when the keyspace is created (3 for a"
                    + " cluster that survives a node's loss at QUORUM). Default: ${DEFAULT-VALUE}.")
    int replicationFactor;

    boolean isCassandra() { return backend == Backend.cassandra; }

    Storage open(Path dataDir, boolean inMemory, boolean syncWrites) {
        if (!isCassandra()) return RocksDbStorage.open(new RocksDbConfig(dataDir, inMemory, syncWrites));
        List<InetSocketAddress> nodes = new ArrayList<>();
        for (String point : contactPoints) {
            int colon = point.lastIndexOf(':');
            nodes.add(colon < 0 ? new InetSocketAddress(point, 9042)
                    : new InetSocketAddress(point.substring(0, colon), Integer.parseInt(point.substring(colon + 1))));
        }
        return CassandraStorage.open(nodes, datacenter, keyspace, replicationFactor);
    }

    /** For the startup line: where the data is. */
    String describe(Path dataDir, boolean inMemory, boolean syncWrites) {
        if (isCassandra()) {
            return "Cassandra keyspace " + keyspace + " at " + String.join(",", contactPoints)
                    + ", writes: QUORUM, conditions SERIAL";
        }
        return (inMemory ? "in memory" : dataDir.toString()) + ", writes: "
                + (inMemory ? "not persisted" : syncWrites ? "fsync on every commit" : "write-ahead log, survives a process crash");
    }
}

package dev.flywheel.storage.rocksdb;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Serialises the writes to each partition, so that a compare-and-set reads and writes with no other
 * write in between. Striped: a fixed array of locks indexed by the partition's hash, so memory stays
 * constant; two partitions sharing a stripe only wait for each other, which 1024 stripes make rare
 * for the few writer threads a 2-core server runs.
 */
final class PartitionLocks {
    private static final int STRIPES = 1024; // a power of two: the index is a mask

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    PartitionLocks() {
        for (int i = 0; i < STRIPES; i++) stripes[i] = new ReentrantLock();
    }

    /** The lock of partition {@code partitionHash} of table {@code tableId}. */
    ReentrantLock of(long tableId, long partitionHash) {
        // The partition hash is already well mixed; the table id spreads one key across tables.
        return stripes[(int) (partitionHash ^ tableId) & (STRIPES - 1)];
    }
}

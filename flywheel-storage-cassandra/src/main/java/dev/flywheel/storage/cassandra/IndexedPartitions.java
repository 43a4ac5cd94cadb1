package dev.flywheel.storage.cassandra;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The partitions this server has recently seen in the scan index, so that rewriting an item does not
 * rewrite its index entry each time: that would double the writes of a table whose items are rewritten,
 * and pile up overwritten cells in the index's partitions. An entry is added only once the index write is
 * acknowledged, and is believed for {@link ScanIndex#REMEMBERED_FOR} only: an index entry of an emptied
 * partition may be removed once it is older than {@link ScanIndex#PRUNE_AFTER} (far longer), so what a
 * server remembers is never wrong; forgetting one only costs a redundant index write. Thread-safe.
 */
final class IndexedPartitions {
    private static final int CAPACITY = 50_000;

    private record Key(long tableId, ByteBuffer partitionKey) {}

    /** When each entry was learnt ({@link System#nanoTime}). */
    private final Map<Key, Long> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
            return size() > CAPACITY;
        }
    };
    private final long lifetimeNanos;

    IndexedPartitions(java.time.Duration lifetime) {
        this.lifetimeNanos = lifetime.toNanos();
    }

    synchronized boolean contains(long tableId, byte[] partitionKey) {
        Key key = new Key(tableId, ByteBuffer.wrap(partitionKey));
        Long learnt = recent.get(key);
        if (learnt == null) return false;
        if (System.nanoTime() - learnt < lifetimeNanos) return true;
        recent.remove(key);
        return false;
    }

    /** Records that the index lists the partition (the entry was just written). */
    synchronized void add(long tableId, byte[] partitionKey) {
        recent.put(new Key(tableId, ByteBuffer.wrap(partitionKey.clone())), System.nanoTime());
    }

    synchronized void forget(long tableId, byte[] partitionKey) {
        recent.remove(new Key(tableId, ByteBuffer.wrap(partitionKey)));
    }

    synchronized void forgetTable(long tableId) {
        recent.keySet().removeIf(k -> k.tableId() == tableId);
    }
}

package dev.flywheel.storage.cassandra;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The partitions this server has recently seen in the scan index, so that rewriting an item does not
 * rewrite its index entry each time: that would double the writes of a table whose items are rewritten,
 * and pile up overwritten cells in the index's partitions. An entry is added only once the index write is
 * acknowledged, and index entries are removed only with their table (whose id is never reused), so an
 * entry here is never wrong; forgetting one only costs a redundant index write. Thread-safe.
 */
final class IndexedPartitions {
    private static final int CAPACITY = 50_000;

    private record Key(long tableId, ByteBuffer partitionKey) {}

    private final Map<Key, Boolean> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized boolean contains(long tableId, byte[] partitionKey) {
        return recent.get(new Key(tableId, ByteBuffer.wrap(partitionKey))) != null;
    }

    /** Records that the index lists the partition. */
    synchronized void add(long tableId, byte[] partitionKey) {
        recent.put(new Key(tableId, ByteBuffer.wrap(partitionKey.clone())), Boolean.TRUE);
    }

    synchronized void forgetTable(long tableId) {
        recent.keySet().removeIf(k -> k.tableId() == tableId);
    }
}

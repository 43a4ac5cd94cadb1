package dev.flywheel.engine.item;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flywheel.engine.index.IndexEntry;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ItemCollectionSizeLimitExceededException;
import dev.flywheel.model.shapes.ItemCollectionMetrics;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Item collections of tables with local secondary indexes (Developer Guide, "Item collections in local
 * secondary indexes"): the items sharing a partition key value plus their entries in every local index.
 * DynamoDB limits one to 10 GB (ItemCollectionSizeLimitExceededException) and reports its size on
 * request (ReturnItemCollectionMetrics SIZE: ItemCollectionMetrics.SizeEstimateRangeGB).
 *
 * <p>A collection's size is the sum of the DynamoDB sizes ({@link ItemSize}) of its items and of their
 * index entries. It is read from storage once (a pass over the partition in the table and each index),
 * then kept in a bounded cache and moved by each write's difference, so that checking the limit costs
 * no read per write. It is an estimate, as DynamoDB's is: a write racing the first read of its
 * collection may be counted twice, and the cached size is forgotten (and read again) under pressure.
 *
 * <p>Thread-safe.
 */
public final class ItemCollections {
    /** DynamoDB's limit on an item collection. */
    public static final long MAX_COLLECTION_BYTES = 10L * 1024 * 1024 * 1024;
    private static final double BYTES_PER_GB = 1024.0 * 1024 * 1024;
    private static final int READ_PAGE_ROWS = 1024;

    private final Storage storage;
    private final long maxBytes;
    private final Cache<ByteBuffer, AtomicLong> sizes = Caffeine.newBuilder().maximumSize(10_000).build();

    public ItemCollections(Storage storage) {
        this(storage, MAX_COLLECTION_BYTES);
    }

    /** With a limit other than DynamoDB's, for tests. */
    public ItemCollections(Storage storage, long maxBytes) {
        this.storage = storage;
        this.maxBytes = maxBytes;
    }

    /**
     * Refuses a change that would grow its item collection past the limit (a change that does not grow
     * it is always allowed, so a collection over the limit can still be shrunk).
     *
     * @throws ItemCollectionSizeLimitExceededException if it would
     */
    public void checkLimit(TableDefinition table, ItemKey key, Map<String, AttributeValue> oldItem,
                           Map<String, AttributeValue> newItem) {
        if (table.localIndexes().isEmpty()) return;
        long growth = size(table, newItem) - size(table, oldItem);
        if (growth > 0 && size(table, key).get() + growth > maxBytes) {
            // The message of the TransactWriteItems cancellation reason (API Reference) for the same limit.
            throw new ItemCollectionSizeLimitExceededException("Collection size exceeded.");
        }
    }

    /** Records an applied change of an item of {@code table}. */
    public void applied(TableDefinition table, ItemKey key, Map<String, AttributeValue> oldItem,
                        Map<String, AttributeValue> newItem) {
        if (table.localIndexes().isEmpty()) return;
        AtomicLong size = sizes.getIfPresent(cacheKey(table, key));
        if (size != null) size.addAndGet(size(table, newItem) - size(table, oldItem));
    }

    /**
     * A write's ItemCollectionMetrics for its ReturnItemCollectionMetrics: none unless SIZE was asked for
     * and the table has local indexes (DynamoDB returns none for other tables).
     */
    public ItemCollectionMetrics metrics(String returnItemCollectionMetrics, TableDefinition table, ItemKey key) {
        if (!"SIZE".equals(returnItemCollectionMetrics) || table.localIndexes().isEmpty()) return null;
        double gb = size(table, key).get() / BYTES_PER_GB;
        double lower = Math.floor(gb);
        return new ItemCollectionMetrics(Map.of(table.hashKey().name(), key.attributes().get(table.hashKey().name())),
                List.of(lower, lower + 1));
    }

    /** The size an item (null: none) adds to its collection: its own and its index entries'. */
    private static long size(TableDefinition table, Map<String, AttributeValue> item) {
        if (item == null) return 0;
        long size = ItemSize.of(item);
        for (LocalIndex index : table.localIndexes()) {
            IndexEntry entry = IndexEntry.of(table, index, item);
            if (entry != null) size += ItemSize.of(entry.item());
        }
        return size;
    }

    private AtomicLong size(TableDefinition table, ItemKey key) {
        return sizes.get(cacheKey(table, key), k -> new AtomicLong(read(table, key.partitionKey())));
    }

    private long read(TableDefinition table, byte[] partitionKey) {
        long size = read(table.id(), partitionKey);
        for (LocalIndex index : table.localIndexes()) size += read(index.storageId(), partitionKey);
        return size;
    }

    private long read(long storageId, byte[] partitionKey) {
        long size = 0;
        byte[] after = null;
        while (true) {
            Page page = storage.read(storageId, partitionKey, KeyRange.ALL, true,
                    new ReadLimits(READ_PAGE_ROWS, Long.MAX_VALUE, after));
            for (Row row : page.rows()) size += ItemCodec.size(row.value());
            if (!page.mayHaveMore() || page.rows().isEmpty()) return size;
            after = page.rows().getLast().sortKey();
        }
    }

    private static ByteBuffer cacheKey(TableDefinition table, ItemKey key) {
        return ByteBuffer.allocate(8 + key.partitionKey().length).putLong(table.id()).put(key.partitionKey()).flip();
    }
}

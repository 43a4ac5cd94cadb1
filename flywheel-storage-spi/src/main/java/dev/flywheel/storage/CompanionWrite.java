package dev.flywheel.storage;

import java.util.List;

/**
 * Rows of a companion table written as part of a {@link PartitionWrite}: a table that shares the
 * writing table's partition key, such as a local secondary index, whose rows must change in the same
 * atomic step as the item they index. The companion table has its own id, so a Query or Scan of the
 * item table never sees its rows, and reading the companion table at the same partition key sees them
 * in its own sort-key order.
 *
 * <p>A companion table is written only through writes of one owning table (the engine never writes it
 * on its own), so a backend may serialize companion rows with the owner's partition.
 *
 * @throws IllegalArgumentException if two rows have the same sort key
 */
public record CompanionWrite(long tableId, List<RowWrite> rows) {
    public CompanionWrite {
        rows = List.copyOf(rows);
        RowWrite.requireDistinctSortKeys(rows, "one companion write");
    }
}

package dev.flywheel.storage;

import java.util.List;

/**
 * An atomic, conditional change to rows of one partition key of one table, with the derived records
 * that must follow it. Applied whole or not at all.
 */
public record PartitionWrite(long tableId, byte[] partitionKey, List<RowWrite> rows, List<DerivedRecord> derived) {
    public PartitionWrite {
        rows = List.copyOf(rows);
        derived = List.copyOf(derived);
    }

    public static PartitionWrite of(long tableId, byte[] partitionKey, RowWrite row) {
        return new PartitionWrite(tableId, partitionKey, List.of(row), List.of());
    }
}

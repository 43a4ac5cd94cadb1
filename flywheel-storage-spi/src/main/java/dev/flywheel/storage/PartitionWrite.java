package dev.flywheel.storage;

import java.util.Arrays;
import java.util.List;

/**
 * An atomic, conditional change to rows of one partition key of one table, with the derived records
 * that must follow it. Applied whole or not at all.
 *
 * @throws IllegalArgumentException if two rows have the same sort key (which one would win, and
 *     against which value would the second precondition be checked?)
 */
public record PartitionWrite(long tableId, byte[] partitionKey, List<RowWrite> rows, List<DerivedRecord> derived) {
    public PartitionWrite {
        rows = List.copyOf(rows);
        derived = List.copyOf(derived);
        // Quadratic, but a write holds an item and its few LSI entries.
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                if (Arrays.equals(rows.get(i).sortKey(), rows.get(j).sortKey())) {
                    throw new IllegalArgumentException("two rows of one write have the same sort key");
                }
            }
        }
    }

    public static PartitionWrite of(long tableId, byte[] partitionKey, RowWrite row) {
        return new PartitionWrite(tableId, partitionKey, List.of(row), List.of());
    }
}

package dev.flywheel.storage;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An atomic, conditional change to rows of one partition key of one table, with the rows of its
 * companion tables at the same partition key ({@link CompanionWrite}: local secondary index entries)
 * and the derived records that must follow it. Applied whole or not at all: every precondition, of
 * the table's rows and of the companions' rows, must hold.
 *
 * @throws IllegalArgumentException if two rows have the same sort key (which one would win, and
 *     against which value would the second precondition be checked?), or two companions, or a
 *     companion and the table, have the same table id
 */
public record PartitionWrite(long tableId, byte[] partitionKey, List<RowWrite> rows, List<DerivedRecord> derived,
                             List<CompanionWrite> companions) {
    public PartitionWrite {
        rows = List.copyOf(rows);
        derived = List.copyOf(derived);
        companions = List.copyOf(companions);
        Set<Long> ids = new HashSet<>();
        ids.add(tableId);
        for (CompanionWrite companion : companions) {
            if (!ids.add(companion.tableId())) throw new IllegalArgumentException("companion table " + companion.tableId() + " twice");
        }
        RowWrite.requireDistinctSortKeys(rows, "one write");
    }

    /** A write without companion rows. */
    public PartitionWrite(long tableId, byte[] partitionKey, List<RowWrite> rows, List<DerivedRecord> derived) {
        this(tableId, partitionKey, rows, derived, List.of());
    }

    public static PartitionWrite of(long tableId, byte[] partitionKey, RowWrite row) {
        return new PartitionWrite(tableId, partitionKey, List.of(row), List.of());
    }
}

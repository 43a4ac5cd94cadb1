package dev.flywheel.storage;

import java.util.Arrays;
import java.util.List;

/**
 * One row of a {@link PartitionWrite}: its new value ({@code null} deletes it) and the precondition on
 * its current value.
 */
public record RowWrite(byte[] sortKey, byte[] newValue, Expected expected) {
    public static RowWrite put(byte[] sortKey, byte[] value, Expected expected) { return new RowWrite(sortKey, value, expected); }
    public static RowWrite delete(byte[] sortKey, Expected expected) { return new RowWrite(sortKey, null, expected); }

    /** @throws IllegalArgumentException if two of {@code rows} have the same sort key ({@code where} names them) */
    static void requireDistinctSortKeys(List<RowWrite> rows, String where) {
        // Quadratic, but a write holds an item and its few index entries.
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                if (Arrays.equals(rows.get(i).sortKey(), rows.get(j).sortKey())) {
                    throw new IllegalArgumentException("two rows of " + where + " have the same sort key");
                }
            }
        }
    }
}

package dev.flywheel.storage;

/**
 * One row of a {@link PartitionWrite}: its new value ({@code null} deletes it) and the precondition on
 * its current value.
 */
public record RowWrite(byte[] sortKey, byte[] newValue, Expected expected) {
    public static RowWrite put(byte[] sortKey, byte[] value, Expected expected) { return new RowWrite(sortKey, value, expected); }
    public static RowWrite delete(byte[] sortKey, Expected expected) { return new RowWrite(sortKey, null, expected); }
}

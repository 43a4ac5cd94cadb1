package dev.flywheel.engine.capacity;

/**
 * Capacity units as DynamoDB charges them (Developer Guide, "Read/write capacity mode"): a read of
 * up to 4 KB costs one unit strongly consistent, half eventually consistent; a write of up to 1 KB
 * costs one unit; sizes round up to the next 4 KB / 1 KB, and every request costs at least that
 * minimum, even for an item that does not exist.
 */
public final class CapacityUnits {
    private static final int READ_UNIT_BYTES = 4096;
    private static final int WRITE_UNIT_BYTES = 1024;

    private CapacityUnits() {}

    public static double read(long itemBytes, boolean consistent) {
        double units = Math.max(1, ceilDiv(itemBytes, READ_UNIT_BYTES));
        return consistent ? units : units / 2;
    }

    public static double write(long itemBytes) {
        return Math.max(1, ceilDiv(itemBytes, WRITE_UNIT_BYTES));
    }

    private static long ceilDiv(long bytes, int unit) {
        return (bytes + unit - 1) / unit;
    }
}

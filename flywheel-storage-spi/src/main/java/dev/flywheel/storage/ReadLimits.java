package dev.flywheel.storage;

/**
 * When a read stops: after {@code maxRows} rows, or once the rows read reach {@code maxBytes} (the row
 * that crosses the limit is still returned, as DynamoDB's 1 MB page includes the item that crosses it).
 * Sizes are {@link Row#size()}. An optional {@code startAfter} sort key continues a previous page of
 * {@link Storage#read}; {@link Storage#scan} continues from its own {@code after} argument instead.
 *
 * @throws IllegalArgumentException if {@code maxRows} or {@code maxBytes} is less than 1
 */
public record ReadLimits(int maxRows, long maxBytes, byte[] startAfter) {
    /** No limit but the caller's patience: every row of the range. */
    public static final ReadLimits NONE = new ReadLimits(Integer.MAX_VALUE, Long.MAX_VALUE, null);

    public ReadLimits {
        if (maxRows < 1) throw new IllegalArgumentException("maxRows must be at least 1: " + maxRows);
        if (maxBytes < 1) throw new IllegalArgumentException("maxBytes must be at least 1: " + maxBytes);
    }

    public static ReadLimits rows(int maxRows) { return new ReadLimits(maxRows, Long.MAX_VALUE, null); }
}

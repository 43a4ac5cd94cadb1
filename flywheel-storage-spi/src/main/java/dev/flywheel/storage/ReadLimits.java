package dev.flywheel.storage;

/**
 * When a read stops: after {@code maxRows} rows, or once the rows read reach {@code maxBytes} (the row
 * that crosses the limit is still returned, as DynamoDB's 1 MB page includes the item that crosses it).
 * An optional {@code startAfter} sort key continues a previous page of {@link Storage#read}.
 */
public record ReadLimits(int maxRows, long maxBytes, byte[] startAfter) {
    public static ReadLimits rows(int maxRows) { return new ReadLimits(maxRows, Long.MAX_VALUE, null); }
}

package dev.flywheel.storage;

/** A stored row. */
public record Row(byte[] partitionKey, byte[] sortKey, byte[] value) {
    public RowKey key() { return new RowKey(partitionKey, sortKey); }

    /** The bytes this row counts for in {@link ReadLimits#maxBytes()} and {@link TableStats#bytes()}. */
    public long size() { return (long) partitionKey.length + sortKey.length + value.length; }
}

package dev.flywheel.storage;

/** A stored row. */
public record Row(byte[] partitionKey, byte[] sortKey, byte[] value) {
    public RowKey key() { return new RowKey(partitionKey, sortKey); }
}

package dev.flywheel.storage;

/** The address of a row: its partition key and sort key (empty when the table has none). */
public record RowKey(byte[] partitionKey, byte[] sortKey) {
}

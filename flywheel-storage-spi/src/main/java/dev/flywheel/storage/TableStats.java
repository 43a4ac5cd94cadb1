package dev.flywheel.storage;

/** Approximate size of a table's rows: their number, and the sum of their {@link Row#size()}. */
public record TableStats(long rowCount, long bytes) {
}

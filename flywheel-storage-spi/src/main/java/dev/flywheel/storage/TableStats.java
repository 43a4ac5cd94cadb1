package dev.flywheel.storage;

/** Approximate size of a table's rows. */
public record TableStats(long rowCount, long bytes) {
}

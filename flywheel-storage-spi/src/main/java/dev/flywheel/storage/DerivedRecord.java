package dev.flywheel.storage;

/**
 * A change derived from a write (an index entry, a stream record, ...), appended to the durable log
 * {@code log} atomically with the write it comes from. Consumers read a log in order with
 * {@link Storage#readLog} and trim what they have applied.
 */
public record DerivedRecord(String log, byte[] payload) {
}

package dev.flywheel.storage;

/** An entry of a derived-change log; sequence numbers increase strictly within a log. */
public record LogEntry(long sequence, byte[] payload) {
}

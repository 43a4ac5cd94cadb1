package dev.flywheel.engine.table;

import java.time.Instant;

/**
 * A table's time to live: which Number attribute holds each item's expiry (epoch seconds), whether
 * expired items are being deleted, and when it was last changed (DynamoDB allows one change an hour).
 */
public record TimeToLiveSettings(String attributeName, boolean enabled, Instant lastChanged) {}

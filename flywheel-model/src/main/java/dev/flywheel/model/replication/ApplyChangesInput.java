package dev.flywheel.model.replication;

import dev.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * Changes of items of one table, made in {@code sourceRegion}, in the order they were made there.
 */
public record ApplyChangesInput(String tableName, String sourceRegion, List<Change> changes) {
    public ApplyChangesInput {
        changes = List.copyOf(changes);
    }

    /**
     * One item's new state and its version: last writer wins, by {@code timestamp} and then by
     * {@code region} (the region where the write was made).
     *
     * @param key the item's key attributes
     * @param item the whole item after the change; null when the change deleted it
     * @param timestamp the version's time, epoch milliseconds
     */
    public record Change(Map<String, AttributeValue> key, Map<String, AttributeValue> item, long timestamp, String region) {}
}

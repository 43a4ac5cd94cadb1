package dev.flywheel.engine.ttl;

import dev.flywheel.engine.table.Catalog;
import dev.flywheel.model.shapes.DescribeTimeToLiveInput;
import dev.flywheel.model.shapes.DescribeTimeToLiveOutput;
import dev.flywheel.model.shapes.TimeToLiveDescription;

/**
 * DescribeTimeToLive. Time to live cannot be enabled yet (UpdateTimeToLive is still unsupported), so every
 * table reports DISABLED, which DynamoDB answers without an AttributeName.
 */
public final class TimeToLiveOperations {
    static final String DISABLED = "DISABLED";

    private final Catalog catalog;

    public TimeToLiveOperations(Catalog catalog) {
        this.catalog = catalog;
    }

    public DescribeTimeToLiveOutput describeTimeToLive(DescribeTimeToLiveInput request) {
        // A control-plane operation: a missing table is named in the ResourceNotFoundException message.
        catalog.requireForControlPlane(request.tableName());
        return new DescribeTimeToLiveOutput(new TimeToLiveDescription(DISABLED, null));
    }
}

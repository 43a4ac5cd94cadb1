package dev.flywheel.engine.ttl;

import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.engine.table.TimeToLiveSettings;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.DescribeTimeToLiveInput;
import dev.flywheel.model.shapes.DescribeTimeToLiveOutput;
import dev.flywheel.model.shapes.TimeToLiveDescription;
import dev.flywheel.model.shapes.TimeToLiveSpecification;
import dev.flywheel.model.shapes.UpdateTimeToLiveInput;
import dev.flywheel.model.shapes.UpdateTimeToLiveOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * UpdateTimeToLive and DescribeTimeToLive. Enabling takes effect at once (the sweeper deletes expired
 * items from its next pass), so DescribeTimeToLive answers ENABLED or DISABLED, never the transitional
 * states DynamoDB may show for up to an hour.
 */
public final class TimeToLiveOperations {
    static final String ENABLED = "ENABLED", DISABLED = "DISABLED";
    /**
     * DynamoDB documents one change of a table's time to live per hour (it was measured at about 30
     * minutes); Flywheel keeps the documented hour.
     */
    static final Duration MIN_TIME_BETWEEN_CHANGES = Duration.ofHours(1);

    private final Catalog catalog;
    private final Clock clock;

    public TimeToLiveOperations(Catalog catalog, Clock clock) {
        this.catalog = catalog;
        this.clock = clock;
    }

    public DescribeTimeToLiveOutput describeTimeToLive(DescribeTimeToLiveInput request) {
        // A control-plane operation: a missing table is named in the ResourceNotFoundException message.
        TimeToLiveSettings ttl = catalog.requireForControlPlane(request.tableName()).timeToLive();
        TimeToLiveDescription description = ttl != null && ttl.enabled()
                ? new TimeToLiveDescription(ENABLED, ttl.attributeName())
                : new TimeToLiveDescription(DISABLED, null);
        return new DescribeTimeToLiveOutput(description);
    }

    public UpdateTimeToLiveOutput updateTimeToLive(UpdateTimeToLiveInput request) {
        TimeToLiveSpecification wanted = request.timeToLiveSpecification();
        Instant now = clock.instant();
        catalog.update(request.tableName(), table -> table.withTimeToLive(changed(table, wanted, now)));
        return new UpdateTimeToLiveOutput(wanted);
    }

    private static TimeToLiveSettings changed(TableDefinition table, TimeToLiveSpecification wanted, Instant now) {
        TimeToLiveSettings current = table.timeToLive();
        boolean enable = wanted.enabled();
        boolean enabledNow = current != null && current.enabled();
        // What the request asks is checked before how recently the setting changed, as DynamoDB does.
        if (enabledNow && !current.attributeName().equals(wanted.attributeName())) {
            throw new ValidationException("TimeToLive is active on a different AttributeName: current AttributeName is "
                    + current.attributeName());
        }
        if (enable && enabledNow) throw new ValidationException("TimeToLive is already enabled");
        if (!enable && !enabledNow) throw new ValidationException("TimeToLive is already disabled");
        if (current != null && current.lastChanged().plus(MIN_TIME_BETWEEN_CHANGES).isAfter(now)) {
            throw new ValidationException("Time to live has been modified multiple times within a fixed interval");
        }
        return new TimeToLiveSettings(wanted.attributeName(), enable, now);
    }
}

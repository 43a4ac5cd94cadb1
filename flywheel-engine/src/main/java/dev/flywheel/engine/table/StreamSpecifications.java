package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.StreamSpecification;
import java.time.Instant;

/** A StreamSpecification of CreateTable or UpdateTable: its validation and its effect on a table. */
final class StreamSpecifications {
    private StreamSpecifications() {}

    private static final String INVALID = "One or more parameter values were invalid: ";

    /** DynamoDB's checks of CreateTable's specification (its messages differ from UpdateTable's). */
    static void validateForCreateTable(StreamSpecification spec) {
        if (spec == null) return;
        boolean enabled = Boolean.TRUE.equals(spec.streamEnabled());
        if (enabled && spec.streamViewType() == null) {
            throw new ValidationException(INVALID + "Table is being created with a stream enabled, UpdateViewType is required");
        }
        if (!enabled && spec.streamViewType() != null) {
            throw new ValidationException(INVALID + "Table is being created with a stream disabled, UpdateViewType should"
                    + " not be specified");
        }
    }

    /**
     * DynamoDB's checks of UpdateTable's specification, before the table is looked at: a stream's status
     * changes alone, or with a billing mode change to on-demand, never with capacity or index changes.
     */
    static void validateForUpdateTable(StreamSpecification spec, boolean changesProvisionedCapacity, boolean changesIndexes) {
        if (spec == null) return;
        boolean enabled = Boolean.TRUE.equals(spec.streamEnabled());
        if (enabled && spec.streamViewType() == null) {
            throw new ValidationException(INVALID + "If stream is being enabled then UpdateViewType is required");
        }
        if (!enabled && spec.streamViewType() != null) {
            throw new ValidationException(INVALID + "If stream is being disabled, then UpdateViewType must not be specified");
        }
        if (changesProvisionedCapacity) {
            throw new ValidationException(INVALID + "You cannot modify stream status while updating table IOPS");
        }
        if (changesIndexes) {
            throw new ValidationException(INVALID + "You cannot create or delete index while changing stream status");
        }
    }

    static boolean enables(StreamSpecification spec) {
        return spec != null && Boolean.TRUE.equals(spec.streamEnabled());
    }

    /** {@code table} with its stream enabled (a new one) or disabled as {@code spec} asks (UpdateTable). */
    static TableDefinition apply(TableDefinition table, StreamSpecification spec, StreamCatalog streams, Instant now) {
        if (enables(spec)) {
            if (table.hasEnabledStream()) {
                throw new ValidationException("Table already has an enabled stream: TableName: " + table.name());
            }
            return table.withStream(streams.create(table, spec.streamViewType(), now));
        }
        if (!table.hasEnabledStream()) {
            throw new ValidationException("Table has no stream to disable: TableName: " + table.name());
        }
        return table.withStream(table.stream().disabled());
    }
}

package dev.flywheel.engine.replication;

import dev.flywheel.model.DynamoDbException.GlobalTableNotFoundException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.CreateGlobalTableInput;
import dev.flywheel.model.shapes.CreateGlobalTableOutput;
import dev.flywheel.model.shapes.DescribeGlobalTableInput;
import dev.flywheel.model.shapes.DescribeGlobalTableOutput;
import dev.flywheel.model.shapes.DescribeGlobalTableSettingsInput;
import dev.flywheel.model.shapes.DescribeGlobalTableSettingsOutput;
import dev.flywheel.model.shapes.ListGlobalTablesInput;
import dev.flywheel.model.shapes.ListGlobalTablesOutput;
import dev.flywheel.model.shapes.ReplicaUpdate;
import dev.flywheel.model.shapes.UpdateGlobalTableInput;
import dev.flywheel.model.shapes.UpdateGlobalTableOutput;
import dev.flywheel.model.shapes.UpdateGlobalTableSettingsInput;
import dev.flywheel.model.shapes.UpdateGlobalTableSettingsOutput;
import java.util.List;

/**
 * The operations of global tables version 2017.11.29 (legacy), answered as DynamoDB answers them today:
 * it refuses to create such a table, so in Flywheel none exists, and a 2019.11.21 global table (made
 * with UpdateTable's ReplicaUpdates) is not one of them either. So CreateGlobalTable, and
 * UpdateGlobalTable adding a replica, are refused with DynamoDB's message pointing to version
 * 2019.11.21; the others find no legacy global table (GlobalTableNotFoundException), and
 * ListGlobalTables lists none. Texts and order of checks: AWS's answers recorded by ack-api-quirks
 * (dynamodb, DDB-GLOBALTABLE-004, verified 2026-10-09) and crossplane-contrib/provider-aws#2308;
 * docs/dynamodb-error-messages.md has them.
 */
public final class LegacyGlobalTables {
    private LegacyGlobalTables() {}

    public static CreateGlobalTableOutput createGlobalTable(CreateGlobalTableInput request) {
        throw notSupported();
    }

    public static DescribeGlobalTableOutput describeGlobalTable(DescribeGlobalTableInput request) {
        throw new GlobalTableNotFoundException("Global table not found: Global table with name: '"
                + request.globalTableName() + "' does not exist.");
    }

    public static DescribeGlobalTableSettingsOutput describeGlobalTableSettings(DescribeGlobalTableSettingsInput request) {
        throw settingsNotFound(request.globalTableName());
    }

    public static UpdateGlobalTableSettingsOutput updateGlobalTableSettings(UpdateGlobalTableSettingsInput request) {
        throw settingsNotFound(request.globalTableName());
    }

    public static UpdateGlobalTableOutput updateGlobalTable(UpdateGlobalTableInput request) {
        List<ReplicaUpdate> updates = request.replicaUpdates() == null ? List.of() : request.replicaUpdates();
        if (updates.isEmpty()) throw new ValidationException("One or more parameter values were invalid");
        // Adding a replica is refused as CreateGlobalTable is, before the table is looked for.
        for (ReplicaUpdate update : updates) {
            if (update.create() != null) throw notSupported();
        }
        throw new GlobalTableNotFoundException("Global table not found: Global table with name: '"
                + request.globalTableName() + "' does not exist.");
    }

    /** No legacy global table exists: an empty list, without LastEvaluatedGlobalTableName. */
    public static ListGlobalTablesOutput listGlobalTables(ListGlobalTablesInput request) {
        return new ListGlobalTablesOutput(List.of(), null);
    }

    private static ValidationException notSupported() {
        return new ValidationException("One or more parameter values were invalid: DynamoDB global tables version"
                + " 2017.11.29 is not supported. We recommend using DynamoDB global tables version 2019.11.21, instead"
                + " of version 2017.11.29 (Legacy).");
    }

    private static GlobalTableNotFoundException settingsNotFound(String name) {
        return new GlobalTableNotFoundException("Global table with name: '" + name + "' does not exist.");
    }
}

package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.DynamoDbException.GlobalTableNotFoundException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateGlobalTableInput;
import dev.flywheel.model.shapes.CreateReplicaAction;
import dev.flywheel.model.shapes.DeleteReplicaAction;
import dev.flywheel.model.shapes.DeleteReplicationGroupMemberAction;
import dev.flywheel.model.shapes.DescribeGlobalTableInput;
import dev.flywheel.model.shapes.DescribeGlobalTableSettingsInput;
import dev.flywheel.model.shapes.ListGlobalTablesInput;
import dev.flywheel.model.shapes.ReplicaUpdate;
import dev.flywheel.model.shapes.UpdateGlobalTableInput;
import dev.flywheel.model.shapes.UpdateGlobalTableSettingsInput;
import dev.flywheel.model.shapes.UpdateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.CreateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.ReplicationGroupUpdate;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** DynamoDB's rules around global tables that need no second region to check. */
class ReplicaRulesTest {
    private final FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(),
            new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC()));

    @AfterEach
    void close() {
        engine.close();
    }

    CreateTableInput.Builder table(String name) {
        return CreateTableInput.builder().tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")));
    }

    UpdateTableInput addReplica(String table, String region) {
        return UpdateTableInput.builder().tableName(table).replicaUpdates(List.of(ReplicationGroupUpdate.builder()
                .create(CreateReplicationGroupMemberAction.builder().regionName(region).build()).build())).build();
    }

    @Test
    void aReplicaOfTheTablesOwnRegionIsRefused() {
        engine.createTable(table("things").build());
        assertThatThrownBy(() -> engine.updateTable(addReplica("things", "us-east-1"))).isInstanceOf(ValidationException.class)
                .hasMessage("Cannot add, delete, or update the local region through ReplicaUpdates. Use CreateTable,"
                        + " DeleteTable, or UpdateTable as required.");
    }

    @Test
    void theStreamOfAReplicaCannotBeTurnedOff() {
        engine.putReplicaGroup(new ReplicaGroupInput(table("things")
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES")).build(),
                List.of(new ReplicaGroupInput.Replica("us-west-2", "ACTIVE"), new ReplicaGroupInput.Replica("us-east-1", "CREATING"))));
        TableDescription t = engine.describeTable(DescribeTableInput.builder().tableName("things").build()).table();
        assertThat(t.globalTableVersion()).isEqualTo("2019.11.21");
        assertThat(t.replicas()).singleElement().satisfies(r -> {
            assertThat(r.regionName()).isEqualTo("us-west-2");
            assertThat(r.replicaStatus()).isEqualTo("ACTIVE");
        });
        assertThatThrownBy(() -> engine.updateTable(UpdateTableInput.builder().tableName("things")
                .streamSpecification(new StreamSpecification(false, null)).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("One or more parameter values were invalid: Disabling Stream is not allowed for a Global Table replica.");
    }

    @Test
    void legacyGlobalTablesAreRefusedAsDynamoDbDoes() {
        assertThatThrownBy(() -> engine.createGlobalTable(CreateGlobalTableInput.builder().globalTableName("things").build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("DynamoDB global tables version 2017.11.29 is not supported.");
    }

    /** A 2019.11.21 global table is no legacy one: the legacy operations find none, as in DynamoDB. */
    @Test
    void legacyOperationsFindNoGlobalTable() {
        makeGlobal("things");
        assertThatThrownBy(() -> engine.describeGlobalTable(DescribeGlobalTableInput.builder().globalTableName("things").build()))
                .isInstanceOf(GlobalTableNotFoundException.class)
                .hasMessage("Global table not found: Global table with name: 'things' does not exist.");
        assertThatThrownBy(() -> engine.describeGlobalTableSettings(DescribeGlobalTableSettingsInput.builder()
                .globalTableName("things").build()))
                .isInstanceOf(GlobalTableNotFoundException.class)
                .hasMessage("Global table with name: 'things' does not exist.");
        assertThatThrownBy(() -> engine.updateGlobalTableSettings(UpdateGlobalTableSettingsInput.builder()
                .globalTableName("things").globalTableBillingMode("PAY_PER_REQUEST").build()))
                .isInstanceOf(GlobalTableNotFoundException.class)
                .hasMessage("Global table with name: 'things' does not exist.");
        assertThatThrownBy(() -> engine.updateGlobalTable(UpdateGlobalTableInput.builder().globalTableName("things")
                .replicaUpdates(List.of(ReplicaUpdate.builder().create(new CreateReplicaAction("eu-west-1")).build())).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageContaining("DynamoDB global tables version 2017.11.29 is not supported.");
        assertThatThrownBy(() -> engine.updateGlobalTable(UpdateGlobalTableInput.builder().globalTableName("things")
                .replicaUpdates(List.of(ReplicaUpdate.builder().delete(new DeleteReplicaAction("us-west-2")).build())).build()))
                .isInstanceOf(GlobalTableNotFoundException.class);
        assertThat(engine.listGlobalTables(ListGlobalTablesInput.builder().build()).globalTables()).isEmpty();
    }

    @Test
    void aReplicaUpdateNeedsAMemberAndAnAction() {
        makeGlobal("things");
        assertThatThrownBy(() -> engine.updateTable(updateReplica("things", UpdateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").build())))
                .isInstanceOf(ValidationException.class)
                .hasMessage("There are no actions specified in the Replica Update Action of the request.");
        assertThatThrownBy(() -> engine.updateTable(updateReplica("things", UpdateReplicationGroupMemberAction.builder()
                .regionName("ca-central-1").tableClassOverride("STANDARD_INFREQUENT_ACCESS").build())))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Update global table operation failed because one or more replicas were not part of the"
                        + " global table. Please retry the request without these replicas: [ca-central-1].");
        assertThatThrownBy(() -> engine.updateTable(UpdateTableInput.builder().tableName("things")
                .replicaUpdates(List.of(ReplicationGroupUpdate.builder()
                        .delete(new DeleteReplicationGroupMemberAction("ca-central-1")).build())).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessageEndingWith("without these replicas: [ca-central-1].");
        assertThatThrownBy(() -> engine.updateTable(updateReplica("things", UpdateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").kmsMasterKeyId("alias/aws/dynamodb").build())))
                .isInstanceOf(ValidationException.class)
                .hasMessage("One or more parameter values were invalid: KMSMasterKeyId must be specified for each replica.");
        assertThatThrownBy(() -> engine.updateTable(UpdateTableInput.builder().tableName("things")
                .replicaUpdates(List.of(
                        ReplicationGroupUpdate.builder().delete(new DeleteReplicationGroupMemberAction("us-west-2")).build(),
                        ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                                .regionName("eu-west-1").build()).build())).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Update table operation with more than one create or delete replica actions not allowed");
    }

    /**
     * TableClassOverride is shown for that replica (ReplicaTableClassSummary, absent until set) and is
     * sent to its region in the group, where it becomes the table's own class.
     */
    @Test
    void aReplicasTableClassIsSetForItAlone() {
        makeGlobal("things");
        assertThat(describe("things").replicas().getFirst().replicaTableClassSummary()).isNull();
        engine.updateTable(updateReplica("things", UpdateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").tableClassOverride("STANDARD_INFREQUENT_ACCESS").build()));
        TableDescription t = describe("things");
        assertThat(t.replicas().getFirst().replicaTableClassSummary().tableClass()).isEqualTo("STANDARD_INFREQUENT_ACCESS");
        assertThat(t.tableClassSummary().tableClass()).isEqualTo("STANDARD");

        // In the replica's region: the group names its class, which becomes its table's.
        engine.putReplicaGroup(new ReplicaGroupInput(table("others").build(), List.of(
                new ReplicaGroupInput.Replica("us-west-2", "ACTIVE"),
                new ReplicaGroupInput.Replica("us-east-1", "ACTIVE", "STANDARD_INFREQUENT_ACCESS", 0))));
        assertThat(describe("others").tableClassSummary().tableClass()).isEqualTo("STANDARD_INFREQUENT_ACCESS");
    }

    /** A region that has a table of that name already (no replica) refuses to become a replica over it. */
    @Test
    void aReplicaIsNotMadeOverAnExistingTable() {
        engine.createTable(table("things").build());
        assertThatThrownBy(() -> makeGlobal("things")).isInstanceOf(ValidationException.class)
                .hasMessage("Failed to create a the new replica of table with name: 'things' because one or more"
                        + " replicas already existed as tables.");
        assertThat(describe("things").globalTableVersion()).isNull();
    }

    /** This region's table made a replica of a global table whose other region is us-west-2. */
    private void makeGlobal(String name) {
        engine.putReplicaGroup(new ReplicaGroupInput(table(name)
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES")).build(),
                List.of(new ReplicaGroupInput.Replica("us-west-2", "ACTIVE"), new ReplicaGroupInput.Replica("us-east-1", "ACTIVE"))));
    }

    private TableDescription describe(String name) {
        return engine.describeTable(DescribeTableInput.builder().tableName(name).build()).table();
    }

    private static UpdateTableInput updateReplica(String table, UpdateReplicationGroupMemberAction action) {
        return UpdateTableInput.builder().tableName(table)
                .replicaUpdates(List.of(ReplicationGroupUpdate.builder().update(action).build())).build();
    }
}

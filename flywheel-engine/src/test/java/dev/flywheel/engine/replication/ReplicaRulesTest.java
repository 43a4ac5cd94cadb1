package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateGlobalTableInput;
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
}

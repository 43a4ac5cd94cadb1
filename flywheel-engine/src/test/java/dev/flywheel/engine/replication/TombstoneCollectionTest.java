package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.ReplicationGroupUpdate;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tombstone collection between two regions in one process: a tombstone goes only once the other region
 * holds it and has nothing older of the item still to send; an older write held back on a cut link then
 * arrives, loses against the tombstone, and only after that may the tombstone go.
 */
class TombstoneCollectionTest {
    private static final Map<String, AttributeValue> KEY = Map.of("pk", new AttributeValue.S("a"));

    /** A region as another reaches it, through a link the test can cut. */
    static final class Link implements ReplicationApi {
        volatile ReplicationApi region;
        volatile boolean cut;

        private ReplicationApi reach() {
            if (cut) throw new IllegalStateException("link cut");
            return region;
        }

        @Override public Void putReplicaGroup(ReplicaGroupInput request) { return reach().putReplicaGroup(request); }
        @Override public Void applyChanges(ApplyChangesInput request) { return reach().applyChanges(request); }
        @Override public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
            return reach().settledTombstones(request);
        }
    }

    private final Link toEast = new Link(), toWest = new Link();
    private final FlywheelEngine east = new FlywheelEngine(new TreeMapStorage(),
            new EngineConfig("us-east-1", "000000000000", "localhost", Clock.systemUTC()).withPeers(Map.of("us-west-2", toWest)));
    private final FlywheelEngine west = new FlywheelEngine(new TreeMapStorage(),
            new EngineConfig("us-west-2", "000000000000", "localhost", Clock.systemUTC()).withPeers(Map.of("us-east-1", toEast)));

    TombstoneCollectionTest() {
        toEast.region = east;
        toWest.region = west;
    }

    @AfterEach
    void close() {
        east.close();
        west.close();
    }

    @Test
    void aTombstoneGoesOnlyWhenNoOlderWriteCanStillArrive() throws InterruptedException {
        east.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES")).build());
        east.updateTable(UpdateTableInput.builder().tableName("things").replicaUpdates(List.of(ReplicationGroupUpdate.builder()
                .create(CreateReplicationGroupMemberAction.builder().regionName("us-west-2").build()).build())).build());
        await("both regions to see the other's replica ACTIVE", () -> active(east) && active(west));

        put(east, "first");
        await("the first write to reach us-west-2", () -> "first".equals(value(west)));

        // us-west-2 writes while it cannot reach us-east-1; then us-east-1 deletes, later, so its delete wins.
        toEast.cut = true;
        put(west, "older");
        Thread.sleep(5);  // the delete's version is then newer (a clock step, not a timing assertion)
        east.deleteItem(DeleteItemInput.builder().tableName("things").key(KEY).build());
        await("the delete to reach us-west-2", () -> value(west) == null);

        assertThat(east.collectTombstones("things", Long.MAX_VALUE))
                .as("us-west-2 still has an older write of the item to send: the tombstone must stay").isZero();

        toEast.cut = false;
        await("the tombstone to be collected once the older write has arrived",
                () -> east.collectTombstones("things", Long.MAX_VALUE) == 1);
        assertThat(value(east)).as("the older write lost against the tombstone").isNull();
        assertThat(value(west)).isNull();
        assertThat(east.collectTombstones("things", Long.MAX_VALUE)).as("nothing left to collect").isZero();
    }

    private static void put(FlywheelEngine region, String value) {
        region.putItem(PutItemInput.builder().tableName("things")
                .item(Map.of("pk", new AttributeValue.S("a"), "v", new AttributeValue.S(value))).build());
    }

    private static String value(FlywheelEngine region) {
        try {
            Map<String, AttributeValue> item = region.getItem(GetItemInput.builder().tableName("things").key(KEY)
                    .consistentRead(true).build()).item();
            return item == null ? null : ((AttributeValue.S) item.get("v")).value();
        } catch (RuntimeException notThereYet) {
            return "(no table)";
        }
    }

    private static boolean active(FlywheelEngine region) {
        try {
            TableDescription t = region.describeTable(DescribeTableInput.builder().tableName("things").build()).table();
            return t.replicas() != null && !t.replicas().isEmpty()
                    && t.replicas().stream().allMatch(r -> "ACTIVE".equals(r.replicaStatus()));
        } catch (RuntimeException notThereYet) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}

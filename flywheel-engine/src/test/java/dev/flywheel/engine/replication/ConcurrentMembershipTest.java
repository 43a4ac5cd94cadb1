package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.replication.TombstoneCollectionTest.Link;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteReplicationGroupMemberAction;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.DescribeTimeToLiveInput;
import dev.flywheel.model.shapes.TimeToLiveSpecification;
import dev.flywheel.model.shapes.UpdateTimeToLiveInput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.ReplicaDescription;
import dev.flywheel.model.shapes.ReplicationGroupUpdate;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Membership changes made at once in two regions (each unaware of the other's): they merge region by
 * region, the later change winning. Two additions of different regions both stand, and every region ends
 * with the same group and replicates to all of it; one region added by both joins once.
 */
class ConcurrentMembershipTest {
    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1", "ap-south-1");

    /** links.get(from).get(to): how region {@code from} reaches region {@code to}. */
    private final Map<String, Map<String, Link>> links = new HashMap<>();
    private final Map<String, FlywheelEngine> regions = new LinkedHashMap<>();

    ConcurrentMembershipTest() {
        for (String from : REGIONS) {
            Map<String, Link> out = new HashMap<>();
            for (String to : REGIONS) if (!to.equals(from)) out.put(to, new Link());
            links.put(from, out);
        }
        for (String r : REGIONS) {
            regions.put(r, new FlywheelEngine(new TreeMapStorage(), new EngineConfig(r, "000000000000", "localhost",
                    Clock.systemUTC()).withPeers(new HashMap<String, ReplicationApi>(links.get(r)))));
        }
        links.forEach((from, out) -> out.forEach((to, link) -> link.region = regions.get(to)));
    }

    @AfterEach
    void close() {
        regions.values().forEach(FlywheelEngine::close);
    }

    /** us-east-1 and us-west-2 form a global table, then each adds a region while they cannot talk. */
    @Test
    void additionsMadeAtOnceInTwoRegionsBothStand() throws InterruptedException {
        globalTableOfEastAndWest();
        cut("us-east-1", "us-west-2", true);
        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("eu-west-1").build()).build());
        update("us-west-2", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("ap-south-1").build()).build());
        cut("us-east-1", "us-west-2", false);

        for (String r : REGIONS) await(r + " to see the three others ACTIVE", () -> othersActive(r, REGIONS));
        // And every region replicates to every other: a write in each of the two added regions reaches all.
        put("eu-west-1", "from-eu");
        put("ap-south-1", "from-ap");
        for (String r : REGIONS) {
            await("both writes to reach " + r, () -> has(r, "from-eu") && has(r, "from-ap"));
        }
    }

    /** Both add the same region while they cannot talk: it joins once (the later addition is its membership). */
    @Test
    void theSameRegionAddedAtOnceInTwoRegionsJoinsOnce() throws InterruptedException {
        globalTableOfEastAndWest();
        cut("us-east-1", "us-west-2", true);
        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("eu-west-1").build()).build());
        update("us-west-2", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("eu-west-1").build()).build());
        cut("us-east-1", "us-west-2", false);

        List<String> three = List.of("us-east-1", "us-west-2", "eu-west-1");
        for (String r : three) await(r + " to see the two others ACTIVE", () -> othersActive(r, three));
        put("us-west-2", "from-west");
        put("us-east-1", "from-east");
        await("both writes to reach eu-west-1", () -> has("eu-west-1", "from-west") && has("eu-west-1", "from-east"));
        // Then a removal made in one region (after both additions) takes it out everywhere.
        update("us-west-2", ReplicationGroupUpdate.builder().delete(new DeleteReplicationGroupMemberAction("eu-west-1")).build());
        await("eu-west-1's replica to be deleted", () -> describe("eu-west-1") == null);
        List<String> two = List.of("us-east-1", "us-west-2");
        for (String r : two) await(r + " to see only the other", () -> othersActive(r, two));
    }

    private void globalTableOfEastAndWest() throws InterruptedException {
        regions.get("us-east-1").createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES")).build());
        regions.get("us-east-1").updateTimeToLive(UpdateTimeToLiveInput.builder().tableName("things")
                .timeToLiveSpecification(new TimeToLiveSpecification(true, "expires")).build());
        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").build()).build());
        List<String> two = List.of("us-east-1", "us-west-2");
        for (String r : two) await(r + " to see the other ACTIVE", () -> othersActive(r, two));
        // The new replica has the table's time to live.
        assertThat(regions.get("us-west-2").describeTimeToLive(DescribeTimeToLiveInput.builder().tableName("things").build())
                .timeToLiveDescription()).satisfies(ttl -> {
                    assertThat(ttl.timeToLiveStatus()).isEqualTo("ENABLED");
                    assertThat(ttl.attributeName()).isEqualTo("expires");
                });
    }

    private void update(String region, ReplicationGroupUpdate update) {
        regions.get(region).updateTable(UpdateTableInput.builder().tableName("things").replicaUpdates(List.of(update)).build());
    }

    private void cut(String a, String b, boolean cut) {
        links.get(a).get(b).cut = cut;
        links.get(b).get(a).cut = cut;
    }

    private TableDescription describe(String region) {
        try {
            return regions.get(region).describeTable(DescribeTableInput.builder().tableName("things").build()).table();
        } catch (RuntimeException notThere) {
            return null;
        }
    }

    private boolean othersActive(String region, List<String> group) {
        TableDescription t = describe(region);
        if (t == null || t.replicas() == null) return false;
        List<String> others = new ArrayList<>(group);
        others.remove(region);
        return t.replicas().stream().map(ReplicaDescription::regionName).sorted().toList().equals(others.stream().sorted().toList())
                && t.replicas().stream().allMatch(r -> "ACTIVE".equals(r.replicaStatus()));
    }

    private void put(String region, String pk) {
        regions.get(region).putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", new AttributeValue.S(pk))).build());
    }

    private boolean has(String region, String pk) {
        try {
            return regions.get(region).getItem(GetItemInput.builder().tableName("things")
                    .key(Map.of("pk", new AttributeValue.S(pk))).consistentRead(true).build()).item() != null;
        } catch (RuntimeException notThere) {
            return false;
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("Timed out waiting for " + what);
            Thread.sleep(20);
        }
    }
}

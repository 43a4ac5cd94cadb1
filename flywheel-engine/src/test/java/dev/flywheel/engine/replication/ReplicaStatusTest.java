package dev.flywheel.engine.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.UnrecognizedClientException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateReplicationGroupMemberAction;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteReplicationGroupMemberAction;
import dev.flywheel.model.shapes.DescribeTableInput;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The ReplicaStatus a region's DescribeTable shows beyond CREATING and ACTIVE, between regions in one
 * process: DELETING while a removed replica's table is being deleted (and the removed region's own table
 * DELETING, sending what it still owes first), ReplicaStatusPercentProgress while the first copy runs,
 * and CREATION_FAILED when the new replica's region refuses it for good.
 */
class ReplicaStatusTest {
    private static final List<String> REGIONS = List.of("us-east-1", "us-west-2", "eu-west-1");

    /**
     * A link one region calls another through, which a test can cut (unreachable), make refuse every
     * call with an error, or let through only a number of ApplyChanges calls (then failing, as a link
     * going down in the middle of a copy).
     */
    static final class ScriptedLink implements ReplicationApi {
        volatile ReplicationApi region;
        volatile boolean cut;
        volatile Supplier<DynamoDbException> refusal;
        /** ApplyChanges calls still to let through (counting those the other region accepted); negative: no limit. */
        final AtomicInteger applyBudget = new AtomicInteger(-1);
        final AtomicInteger applyCalls = new AtomicInteger();
        final AtomicInteger appliesRefused = new AtomicInteger();

        private ReplicationApi reach() {
            if (cut) throw new IllegalStateException("link cut");
            if (refusal != null) throw refusal.get();
            return region;
        }

        @Override public Void putReplicaGroup(ReplicaGroupInput request) { return reach().putReplicaGroup(request); }

        @Override public Void applyChanges(ApplyChangesInput request) {
            ReplicationApi to = reach();
            if (applyBudget.get() == 0) {
                appliesRefused.incrementAndGet();
                throw new IllegalStateException("link down");
            }
            to.applyChanges(request);  // (one sender per link: no race between the check and the count)
            applyBudget.getAndUpdate(n -> n > 0 ? n - 1 : n);
            applyCalls.incrementAndGet();
            return null;
        }

        @Override public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
            return reach().settledTombstones(request);
        }
    }

    /** links.get(from).get(to): how region {@code from} reaches region {@code to}. */
    private final Map<String, Map<String, ScriptedLink>> links = new HashMap<>();
    private final Map<String, FlywheelEngine> regions = new LinkedHashMap<>();

    ReplicaStatusTest() {
        for (String from : REGIONS) {
            Map<String, ScriptedLink> out = new HashMap<>();
            for (String to : REGIONS) if (!to.equals(from)) out.put(to, new ScriptedLink());
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

    /**
     * us-west-2 is removed while it cannot reach the others and holds a write they lack: its table is
     * DELETING (refusing writes), the others show it DELETING; once it can reach them it sends that write,
     * its table goes, and the others stop listing it.
     */
    @Test
    void aRemovedReplicaIsDeletingUntilItHasSentWhatItOwesAndItsTableIsGone() throws InterruptedException {
        globalTable("us-east-1", "us-west-2", "eu-west-1");
        links.get("us-west-2").values().forEach(link -> link.cut = true);
        put("us-west-2", "late");

        update("us-east-1", ReplicationGroupUpdate.builder().delete(new DeleteReplicationGroupMemberAction("us-west-2")).build());

        for (String r : List.of("us-east-1", "eu-west-1")) {
            await(r + " to show us-west-2 DELETING", () -> "DELETING".equals(status(r, "us-west-2")));
        }
        await("us-west-2's own table to be DELETING", () -> "DELETING".equals(describe("us-west-2").tableStatus()));
        assertThatThrownBy(() -> put("us-west-2", "refused")).isInstanceOf(ResourceNotFoundException.class);
        assertThat(describe("us-east-1").replicas()).extracting(ReplicaDescription::regionName)
                .containsExactlyInAnyOrder("eu-west-1", "us-west-2");
        assertThat(describe("us-east-1").globalTableVersion()).isEqualTo("2019.11.21");
        // Still DELETING (not a timing assertion: nothing can complete the deletion while its links are cut).
        assertThat(describe("us-west-2").tableStatus()).isEqualTo("DELETING");
        assertThatThrownBy(() -> update("us-east-1", ReplicationGroupUpdate.builder().create(
                CreateReplicationGroupMemberAction.builder().regionName("us-west-2").build()).build()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("still being deleted");

        links.get("us-west-2").values().forEach(link -> link.cut = false);
        await("us-west-2's table to be deleted", () -> describe("us-west-2") == null);
        await("us-east-1 to list eu-west-1 alone", () -> regionsListed("us-east-1").equals(List.of("eu-west-1")));
        await("eu-west-1 to list us-east-1 alone", () -> regionsListed("eu-west-1").equals(List.of("us-east-1")));
        // The write us-west-2 acknowledged before its removal was not lost.
        assertThat(has("us-east-1", "late")).isTrue();
        assertThat(has("eu-west-1", "late")).isTrue();
    }

    /**
     * The last replica removed: the table is no longer global once that replica's table is gone, and an
     * announcement older than the removal does not bring that replica back.
     */
    @Test
    void removingTheLastReplicaEndsTheGlobalTableOnceItIsGone() throws InterruptedException {
        globalTable("us-east-1", "us-west-2");
        links.get("us-east-1").get("us-west-2").cut = true;
        update("us-east-1", ReplicationGroupUpdate.builder().delete(new DeleteReplicationGroupMemberAction("us-west-2")).build());
        TableDescription deleting = describe("us-east-1");
        assertThat(deleting.globalTableVersion()).isEqualTo("2019.11.21");
        assertThat(deleting.replicas()).singleElement().satisfies(r -> {
            assertThat(r.regionName()).isEqualTo("us-west-2");
            assertThat(r.replicaStatus()).isEqualTo("DELETING");
        });
        links.get("us-east-1").get("us-west-2").cut = false;
        await("us-east-1 to be a global table no more", () -> describe("us-east-1").replicas() == null);
        assertThat(describe("us-east-1").globalTableVersion()).isNull();
        assertThat(describe("us-west-2")).isNull();

        // News from before the removal, arriving after it (a member that had not heard of it): no new replica.
        regions.get("us-west-2").putReplicaGroup(new ReplicaGroupInput(table("things").build(), List.of(
                new ReplicaGroupInput.Replica("us-east-1", "ACTIVE", null, 0),
                new ReplicaGroupInput.Replica("us-west-2", "ACTIVE", null, 1))));
        assertThat(describe("us-west-2")).isNull();
    }

    /**
     * The first copy to a new replica stops after 3 of its 10 batches (the link goes down): the replica
     * shows 30 percent, and keeps showing it while the copy retries; when the link returns the copy
     * resumes where it stopped (7 more batches, not 10), and the replica turns ACTIVE.
     */
    @Test
    void aCreatingReplicaShowsHowFarTheFirstCopyCame() throws InterruptedException {
        regions.get("us-east-1").createTable(table("things").build());
        for (int i = 0; i < 1000; i++) put("us-east-1", "item-" + i);
        ScriptedLink toWest = links.get("us-east-1").get("us-west-2");
        toWest.applyBudget.set(3);

        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").build()).build());
        await("the copy to stop at 30%", () -> "30".equals(replica("us-east-1", "us-west-2").replicaStatusPercentProgress()));
        assertThat(replica("us-east-1", "us-west-2").replicaStatus()).isEqualTo("CREATING");
        // The copy is retried (and fails again): its progress stays where the last acknowledged batch left it.
        await("a retry of the copy to fail", () -> toWest.appliesRefused.get() >= 2);
        assertThat(replica("us-east-1", "us-west-2").replicaStatusPercentProgress()).isEqualTo("30");

        toWest.applyBudget.set(-1);
        await("us-west-2 ACTIVE as us-east-1 sees it", () -> "ACTIVE".equals(status("us-east-1", "us-west-2")));
        assertThat(replica("us-east-1", "us-west-2").replicaStatusPercentProgress()).isNull();
        // 3 batches, then the 7 left, then the deletions' last batch (empty: there are none), which also
        // confirms that us-west-2 holds the replica.
        assertThat(toWest.applyCalls.get()).isEqualTo(11);
        assertThat(has("us-west-2", "item-999")).isTrue();
    }

    /** A region that already holds a table of that name (no replica) refuses the replica: CREATION_FAILED, why, everywhere. */
    @Test
    void aReplicaItsRegionRefusesIsCreationFailed() throws InterruptedException {
        globalTable("us-east-1", "eu-west-1");
        // A table of the same name in us-west-2, with other keys.
        regions.get("us-west-2").createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("id", "N")))
                .keySchema(List.of(new KeySchemaElement("id", "HASH"))).build());

        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").build()).build());
        for (String r : List.of("us-east-1", "eu-west-1")) {
            await(r + " to show us-west-2 CREATION_FAILED", () -> "CREATION_FAILED".equals(status(r, "us-west-2")));
            assertThat(replica(r, "us-west-2").replicaStatusDescription())
                    .contains("us-west-2", "ValidationException", "already existed as tables");
            assertThat(replica(r, "us-west-2").replicaStatusPercentProgress()).isNull();
        }
        // Replication between the others goes on.
        put("eu-west-1", "after");
        await("a write in eu-west-1 to reach us-east-1", () -> has("us-east-1", "after"));

        // Removing the failed replica leaves us-west-2's own table alone.
        update("us-east-1", ReplicationGroupUpdate.builder().delete(new DeleteReplicationGroupMemberAction("us-west-2")).build());
        await("us-east-1 to list eu-west-1 alone", () -> regionsListed("us-east-1").equals(List.of("eu-west-1")));
        assertThat(describe("us-west-2").keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("id");
    }

    /** A region refusing this region's credentials: CREATION_FAILED rather than CREATING forever. */
    @Test
    void aReplicaWhoseRegionRefusesTheCredentialsIsCreationFailed() throws InterruptedException {
        regions.get("us-east-1").createTable(table("things").build());
        links.get("us-east-1").get("us-west-2").refusal =
                () -> new UnrecognizedClientException("The security token included in the request is invalid.");
        update("us-east-1", ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                .regionName("us-west-2").build()).build());
        await("us-west-2 CREATION_FAILED", () -> "CREATION_FAILED".equals(status("us-east-1", "us-west-2")));
        assertThat(replica("us-east-1", "us-west-2").replicaStatusDescription())
                .isEqualTo("Creating the replica's table in us-west-2 failed: UnrecognizedClientException:"
                        + " The security token included in the request is invalid.");
        assertThat(describe("us-west-2")).isNull();
    }

    private void globalTable(String first, String... others) throws InterruptedException {
        regions.get(first).createTable(table("things").build());
        for (String other : others) {
            update(first, ReplicationGroupUpdate.builder().create(CreateReplicationGroupMemberAction.builder()
                    .regionName(other).build()).build());
        }
        List<String> all = new java.util.ArrayList<>(List.of(others));
        all.add(first);
        for (String r : all) {
            await(r + " to see the others ACTIVE", () -> {
                TableDescription t = describe(r);
                return t != null && t.replicas() != null && t.replicas().size() == all.size() - 1
                        && t.replicas().stream().allMatch(d -> "ACTIVE".equals(d.replicaStatus()));
            });
        }
    }

    private static CreateTableInput.Builder table(String name) {
        return CreateTableInput.builder().tableName(name).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .streamSpecification(new StreamSpecification(true, "NEW_AND_OLD_IMAGES"));
    }

    private void update(String region, ReplicationGroupUpdate update) {
        regions.get(region).updateTable(UpdateTableInput.builder().tableName("things").replicaUpdates(List.of(update)).build());
    }

    private TableDescription describe(String region) {
        try {
            return regions.get(region).describeTable(DescribeTableInput.builder().tableName("things").build()).table();
        } catch (ResourceNotFoundException notThere) {
            return null;
        }
    }

    private ReplicaDescription replica(String region, String of) {
        TableDescription t = describe(region);
        if (t == null || t.replicas() == null) return null;
        return t.replicas().stream().filter(r -> r.regionName().equals(of)).findFirst().orElse(null);
    }

    private String status(String region, String of) {
        ReplicaDescription r = replica(region, of);
        return r == null ? null : r.replicaStatus();
    }

    private List<String> regionsListed(String region) {
        TableDescription t = describe(region);
        return t == null || t.replicas() == null ? List.of() : t.replicas().stream().map(ReplicaDescription::regionName).toList();
    }

    private void put(String region, String pk) {
        regions.get(region).putItem(PutItemInput.builder().tableName("things").item(Map.of("pk", new AttributeValue.S(pk))).build());
    }

    private boolean has(String region, String pk) {
        try {
            return regions.get(region).getItem(GetItemInput.builder().tableName("things")
                    .key(Map.of("pk", new AttributeValue.S(pk))).consistentRead(true).build()).item() != null;
        } catch (ResourceNotFoundException notThere) {
            return false;
        }
    }

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder threads = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, stack) -> {
                    if (!t.getName().startsWith("flywheel")) return;
                    threads.append('\n').append(t.getName());
                    for (StackTraceElement e : stack) threads.append("\n    ").append(e);
                });
                throw new AssertionError("Timed out waiting for " + what + threads);
            }
            Thread.sleep(20);
        }
    }
}

package dev.flywheel.protocol.json;

import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The operations of Flywheel's {@link ReplicationApi} on AWS JSON 1.0, written by hand (they are not in
 * DynamoDB's model). Items and keys use DynamoDB's AttributeValue JSON, the table DynamoDB's
 * CreateTableInput, so a replica is created from exactly what CreateTable would take.
 */
public final class ReplicationOperations {
    private static final String AV = "com.amazonaws.dynamodb.v20120810.AttributeValue";

    private static final Map<String, Operation<ReplicationApi, ?, ?>> OPERATIONS = Map.of(
            "PutReplicaGroup", new Operation<ReplicationApi, ReplicaGroupInput, Void>("PutReplicaGroup",
                    in -> readGroup(in), (value, c) -> { }, ReplicationApi::putReplicaGroup,
                    Operation::writeNothing, ReplicationOperations::writeGroup, Operation::readNothing),
            "ApplyChanges", new Operation<ReplicationApi, ApplyChangesInput, Void>("ApplyChanges",
                    in -> readChanges(in), (value, c) -> { }, ReplicationApi::applyChanges,
                    Operation::writeNothing, ReplicationOperations::writeChanges, Operation::readNothing),
            // Asks and answers with the same shape: the tombstones to forget, then those settled.
            "SettledTombstones", new Operation<ReplicationApi, ApplyChangesInput, ApplyChangesInput>("SettledTombstones",
                    in -> readChanges(in), (value, c) -> { }, ReplicationApi::settledTombstones,
                    ReplicationOperations::writeChanges, ReplicationOperations::writeChanges, in -> readChanges(in)));

    private ReplicationOperations() {}

    /** The operation named {@code name}, or null. */
    public static Operation<ReplicationApi, ?, ?> named(String name) {
        return OPERATIONS.get(name);
    }

    private static void writeGroup(JsonOutput out, ReplicaGroupInput value) throws IOException {
        out.startObject();
        out.object("Table", value.table(), CreateTableInputJson::write);
        out.list("Replicas", value.replicas(), (o, r) -> {
            o.startObject();
            o.string("RegionName", r.regionName());
            o.string("ReplicaStatus", r.status());
            if (r.tableClassOverride() != null) o.string("TableClassOverride", r.tableClassOverride());
            o.number("ChangedAt", r.changedAt());
            if (r.statusDescription() != null) o.string("ReplicaStatusDescription", r.statusDescription());
            o.endObject();
        });
        if (value.timeToLiveAttribute() != null) out.string("TimeToLiveAttribute", value.timeToLiveAttribute());
        out.endObject();
    }

    private static ReplicaGroupInput readGroup(JsonInput in) throws IOException {
        if (!in.startStructure(Slot.VALUE, "ReplicaGroupInput")) return null;
        var table = (dev.flywheel.model.shapes.CreateTableInput) null;
        List<ReplicaGroupInput.Replica> replicas = List.of();
        String timeToLive = null;
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "Table" -> table = CreateTableInputJson.read(in, Slot.MEMBER);
                case "Replicas" -> replicas = in.readList(ReplicationOperations::readReplica);
                case "TimeToLiveAttribute" -> timeToLive = in.readString();
                default -> in.skipValue();
            }
        }
        return new ReplicaGroupInput(table, replicas, timeToLive);
    }

    private static ReplicaGroupInput.Replica readReplica(JsonInput in) throws IOException {
        if (!in.startStructure(Slot.VALUE, "Replica")) return null;
        String region = null, status = null, tableClass = null, description = null;
        long changedAt = 0;
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "RegionName" -> region = in.readString();
                case "ReplicaStatus" -> status = in.readString();
                case "TableClassOverride" -> tableClass = in.readString();
                case "ChangedAt" -> changedAt = in.readLong();
                case "ReplicaStatusDescription" -> description = in.readString();
                default -> in.skipValue();
            }
        }
        return new ReplicaGroupInput.Replica(region, status, tableClass, changedAt, description);
    }

    private static void writeChanges(JsonOutput out, ApplyChangesInput value) throws IOException {
        out.startObject();
        out.string("TableName", value.tableName());
        out.string("SourceRegion", value.sourceRegion());
        out.list("Changes", value.changes(), (o, change) -> {
            o.startObject();
            o.map("Key", change.key(), AttributeValueJson::write);
            o.map("Item", change.item(), AttributeValueJson::write);
            o.number("Timestamp", change.timestamp());
            o.string("Region", change.region());
            o.endObject();
        });
        out.endObject();
    }

    private static ApplyChangesInput readChanges(JsonInput in) throws IOException {
        if (!in.startStructure(Slot.VALUE, "ApplyChangesInput")) return null;
        String table = null, source = null;
        List<ApplyChangesInput.Change> changes = List.of();
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "TableName" -> table = in.readString();
                case "SourceRegion" -> source = in.readString();
                case "Changes" -> changes = in.readList(ReplicationOperations::readChange);
                default -> in.skipValue();
            }
        }
        return new ApplyChangesInput(table, source, changes);
    }

    private static ApplyChangesInput.Change readChange(JsonInput in) throws IOException {
        if (!in.startStructure(Slot.VALUE, "Change")) return null;
        Map<String, dev.flywheel.model.AttributeValue> key = null, item = null;
        long timestamp = 0;
        String region = null;
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "Key" -> key = in.readMap(AV, AttributeValueJson::readValue);
                case "Item" -> item = in.readMap(AV, AttributeValueJson::readValue);
                case "Timestamp" -> timestamp = in.readLong();
                case "Region" -> region = in.readString();
                default -> in.skipValue();
            }
        }
        return new ApplyChangesInput.Change(key, item, timestamp, region);
    }
}

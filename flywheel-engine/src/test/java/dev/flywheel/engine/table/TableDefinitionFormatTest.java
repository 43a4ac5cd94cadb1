package dev.flywheel.engine.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableDefinitionFormatTest {

    static TableDefinition table(List<GlobalIndex> indexes) {
        return table(indexes, List.of());
    }

    static TableDefinition table(List<GlobalIndex> indexes, List<LocalIndex> localIndexes) {
        return new TableDefinition(7, "orders", "3f1c0b7e-0000-4000-8000-000000000000", new KeyAttribute("pk", "S"),
                new KeyAttribute("sk", "N"), Map.of("pk", "S", "sk", "N", "customer", "S", "total", "N"),
                TableDefinition.PROVISIONED, 5, 6, Instant.ofEpochSecond(1_700_000_000, 123), null, null, null, 0,
                false, TableDefinition.STANDARD, null, Map.of("team", "db"), indexes, localIndexes, null, null, null);
    }

    @Test
    void streamAndTimeToLiveRoundTrip() {
        TableDefinition t = table(List.of())
                .withStream(new StreamSettings(12, "2026-11-24T18:50:00.123", StreamSettings.NEW_AND_OLD_IMAGES, false))
                .withTimeToLive(new TimeToLiveSettings("expires", true, Instant.ofEpochSecond(1_800_000_000, 5)));
        assertThat(TableDefinitionFormat.read(TableDefinitionFormat.write(t))).isEqualTo(t);
        assertThat(TableDefinitionFormat.read(TableDefinitionFormat.write(table(List.of()))).stream()).isNull();
    }

    @Test
    void replicationRoundTrip() {
        TableDefinition t = table(List.of()).withReplication(new ReplicationSettings(13, 1_800_000_000_123L, List.of(
                new ReplicationSettings.Replica("us-west-2", ReplicationSettings.ACTIVE),
                new ReplicationSettings.Replica("eu-west-1", ReplicationSettings.CREATING, "STANDARD_INFREQUENT_ACCESS", 7)),
                List.of(new ReplicationSettings.Replica("ap-south-1", ReplicationSettings.REMOVED, null, 9))));
        assertThat(TableDefinitionFormat.read(TableDefinitionFormat.write(t))).isEqualTo(t);
        assertThat(TableDefinitionFormat.read(TableDefinitionFormat.write(table(List.of()))).replication()).isNull();
    }

    /** What replica statuses need kept: a leaving replica, a failed creation and why, a removal still under way. */
    @Test
    void replicaStatusesRoundTrip() {
        TableDefinition t = table(List.of()).withReplication(new ReplicationSettings(13, 5, true, List.of(
                new ReplicationSettings.Replica("eu-west-1", ReplicationSettings.CREATION_FAILED, null, 7,
                        "ValidationException: a table of that name exists")),
                List.of(new ReplicationSettings.Replica("ap-south-1", ReplicationSettings.DELETING, null, 9),
                        new ReplicationSettings.Replica("sa-east-1", ReplicationSettings.REMOVED, null, 3))));
        TableDefinition read = TableDefinitionFormat.read(TableDefinitionFormat.write(t));
        assertThat(read).isEqualTo(t);
        assertThat(read.replication().leaving()).isTrue();
        assertThat(read.replication().deleting()).extracting(ReplicationSettings.Replica::region).containsExactly("ap-south-1");
    }

    @Test
    void globalIndexesRoundTrip() {
        GlobalIndex byCustomer = new GlobalIndex("by-customer", 8,
                new KeySchema(new KeyAttribute("customer", "S"), new KeyAttribute("total", "N")),
                GlobalIndex.INCLUDE, List.of("status", "note"), 3, 4, GlobalIndex.Status.CREATING);
        GlobalIndex byTotal = new GlobalIndex("by-total", 9, new KeySchema(new KeyAttribute("total", "N"), null),
                GlobalIndex.KEYS_ONLY, List.of(), 1, 1, GlobalIndex.Status.DELETING);
        TableDefinition t = table(List.of(byCustomer, byTotal));

        TableDefinition read = TableDefinitionFormat.read(TableDefinitionFormat.write(t));

        assertThat(read).isEqualTo(t);
        assertThat(read.globalIndexes()).containsExactly(byCustomer, byTotal);
    }

    @Test
    void multiAttributeGlobalIndexesRoundTrip() {
        GlobalIndex matches = new GlobalIndex("matches", 12, new KeySchema(
                List.of(new KeyAttribute("tournament", "S"), new KeyAttribute("region", "S"), new KeyAttribute("year", "N")),
                List.of(new KeyAttribute("round", "N"), new KeyAttribute("bracket", "B"))),
                GlobalIndex.ALL, List.of(), 0, 0, GlobalIndex.Status.ACTIVE);
        GlobalIndex byPlace = new GlobalIndex("by-place", 13, new KeySchema(
                List.of(new KeyAttribute("region", "S"), new KeyAttribute("year", "N")), List.of()),
                GlobalIndex.KEYS_ONLY, List.of(), 0, 0, GlobalIndex.Status.CREATING);
        GlobalIndex bySchedule = new GlobalIndex("by-schedule", 14, new KeySchema(List.of(new KeyAttribute("year", "N")),
                List.of(new KeyAttribute("month", "N"), new KeyAttribute("day", "N"), new KeyAttribute("slot", "S"))),
                GlobalIndex.INCLUDE, List.of("note"), 0, 0, GlobalIndex.Status.ACTIVE);
        TableDefinition t = table(List.of(matches, byPlace, bySchedule));

        TableDefinition read = TableDefinitionFormat.read(TableDefinitionFormat.write(t));

        assertThat(read).isEqualTo(t);
        assertThat(read.globalIndexes().getFirst().keySchema().describe())
                .extracting(e -> e.attributeName() + " " + e.keyType())
                .containsExactly("tournament HASH", "region HASH", "year HASH", "round RANGE", "bracket RANGE");
    }

    /**
     * Bytes written before multi-attribute keys existed (a table with a global index on customer and total
     * and one on total alone): they read as they did, and a single-attribute index is written the same.
     */
    @Test
    void definitionsWrittenBeforeMultiAttributeKeysReadAndWriteTheSame() {
        byte[] written = java.util.HexFormat.of().parseHex(WRITTEN_BEFORE_MULTI_ATTRIBUTE_KEYS);

        TableDefinition read = TableDefinitionFormat.read(written);

        assertThat(read.globalIndexes()).containsExactly(
                new GlobalIndex("by-customer", 8, new KeySchema(new KeyAttribute("customer", "S"), new KeyAttribute("total", "N")),
                        GlobalIndex.INCLUDE, List.of("status"), 3, 4, GlobalIndex.Status.ACTIVE),
                new GlobalIndex("by-total", 9, new KeySchema(new KeyAttribute("total", "N"), null),
                        GlobalIndex.KEYS_ONLY, List.of(), 1, 1, GlobalIndex.Status.CREATING));
        assertThat(TableDefinitionFormat.write(read)).isEqualTo(written);
    }

    private static final String WRITTEN_BEFORE_MULTI_ATTRIBUTE_KEYS = "010100000000000000070200066f726465727303002433663163306237652d303030302d343030302d383030302d3030"
            + "30303030303030303030040002706b000153050002736b00014e06000000010002706b00015307000b50524f56495349"
            + "4f4e45440800000000000000050900000000000000060a000000006553f1000000007b0e00000000000000000f001000"
            + "085354414e444152441200000000130000000201000b62792d637573746f6d6572020000000000000008030008637573"
            + "746f6d6572000153040005746f74616c00014e050007494e434c55444506000000010006737461747573070000000000"
            + "0000030800000000000000040900064143544956450001000862792d746f74616c020000000000000009030005746f74"
            + "616c00014e0500094b4559535f4f4e4c5906000000000700000000000000010800000000000000010900084352454154"
            + "494e470000";

    @Test
    void localIndexesRoundTrip() {
        KeyAttribute pk = new KeyAttribute("pk", "S");
        LocalIndex byTotal = new LocalIndex("by-total", 10, new KeySchema(pk, new KeyAttribute("total", "N")),
                LocalIndex.INCLUDE, List.of("status"));
        LocalIndex byCustomer = new LocalIndex("by-customer", 11, new KeySchema(pk, new KeyAttribute("customer", "S")),
                LocalIndex.KEYS_ONLY, List.of());
        TableDefinition t = table(List.of(), List.of(byTotal, byCustomer));

        TableDefinition read = TableDefinitionFormat.read(TableDefinitionFormat.write(t));

        assertThat(read).isEqualTo(t);
        assertThat(read.localIndexes()).containsExactly(byTotal, byCustomer);
    }

    @Test
    void aTableWithoutIndexesReadsBackWithNone() {
        TableDefinition t = table(List.of());
        TableDefinition read = TableDefinitionFormat.read(TableDefinitionFormat.write(t));
        assertThat(read.globalIndexes()).isEmpty();
        assertThat(read.localIndexes()).isEmpty();
    }
}

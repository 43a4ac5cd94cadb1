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

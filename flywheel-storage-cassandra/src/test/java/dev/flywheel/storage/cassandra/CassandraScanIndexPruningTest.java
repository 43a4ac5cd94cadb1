package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowWrite;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A scan index entry outlives its partition's rows; a Scan that finds the partition empty, long after
 * the entry was written, removes the entry, and a later write lists the partition again
 * ({@link ScanIndex#prune}). Here "long after" is no time at all, and servers remember nothing.
 */
@Tag("cassandra")
class CassandraScanIndexPruningTest {
    private static final long TABLE = 9;
    private static final byte[] PK = "gone".getBytes(UTF_8);
    private static TestCassandra cassandra;

    @BeforeAll
    static void connect() {
        cassandra = TestCassandra.connect("pruning");
    }

    @AfterAll
    static void dropKeyspace() {
        if (cassandra != null) cassandra.close();
    }

    @BeforeEach
    void empty() {
        cassandra.deleteEverything();
    }

    @Test
    void aScanRemovesTheEntryOfAnEmptiedPartitionAndTheNextWriteListsItAgain() throws Exception {
        try (CassandraStorage storage = cassandra.storage(Duration.ZERO, Duration.ZERO)) {
            put(storage, "kept".getBytes(UTF_8));
            put(storage, PK);
            delete(storage, PK);
            assertThat(listed(storage)).containsExactlyInAnyOrder("gone", "kept");

            assertThat(keysScanned(storage)).containsExactly("kept");
            awaitListed(storage, List.of("kept"));

            put(storage, PK);
            assertThat(listed(storage)).containsExactlyInAnyOrder("gone", "kept");
            assertThat(keysScanned(storage)).containsExactlyInAnyOrder("gone", "kept");
        }
    }

    @Test
    void aPruneDecidedOnAnOlderEntryLosesToTheEntryWrittenAgainSince() {
        try (CassandraStorage storage = cassandra.storage(Duration.ZERO, Duration.ZERO)) {
            put(storage, PK);
            delete(storage, PK);
            ScanIndex.Entry seen = entries(storage).getFirst();
            // A writer lists the partition again and writes a row after a Scan read it empty.
            put(storage, PK);
            storage.scanIndexForTests().prune(TABLE, seen).toCompletableFuture().join();
            assertThat(listed(storage)).containsExactly("gone");
            assertThat(keysScanned(storage)).containsExactly("gone");
        }
    }

    @Test
    void onlyAnEntryOlderThanThePruningAgeMayBePruned() {
        try (CassandraStorage storage = cassandra.storage();
             CassandraStorage eager = cassandra.storage(Duration.ZERO, Duration.ZERO);
             CassandraStorage fiveMinutes = cassandra.storage(Duration.ZERO, Duration.ofMinutes(5))) {
            put(storage, PK);
            ScanIndex.Entry fresh = entries(storage).getFirst();
            assertThat(storage.scanIndexForTests().prunable(fresh)).isFalse();
            assertThat(eager.scanIndexForTests().prunable(fresh)).isTrue();
            assertThat(fiveMinutes.scanIndexForTests().prunable(fresh)).isFalse();
            long sixMinutesAgo = (System.currentTimeMillis() - 6 * 60_000) * 1000;
            assertThat(fiveMinutes.scanIndexForTests().prunable(new ScanIndex.Entry(fresh.hash(), PK, sixMinutesAgo))).isTrue();
        }
    }

    private static void put(CassandraStorage storage, byte[] pk) {
        storage.write(PartitionWrite.of(TABLE, pk, RowWrite.put(new byte[0], "v".getBytes(UTF_8), Expected.ANY)));
    }

    private static void delete(CassandraStorage storage, byte[] pk) {
        storage.write(PartitionWrite.of(TABLE, pk, RowWrite.delete(new byte[0], Expected.ANY)));
    }

    private static List<ScanIndex.Entry> entries(CassandraStorage storage) {
        List<ScanIndex.Entry> entries = new ArrayList<>();
        for (Iterator<ScanIndex.Entry> i = storage.scanIndexForTests().entries(TABLE, 0, null, null, null); i.hasNext(); ) {
            entries.add(i.next());
        }
        return entries;
    }

    private static List<String> listed(CassandraStorage storage) {
        return entries(storage).stream().map(e -> new String(e.partitionKey(), UTF_8)).toList();
    }

    private static List<String> keysScanned(CassandraStorage storage) {
        return storage.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows().stream()
                .map(Row::partitionKey).map(k -> new String(k, UTF_8)).toList();
    }

    /** The prune runs in the background: waits (at most a minute) for the index to list just {@code keys}. */
    private static void awaitListed(CassandraStorage storage, List<String> keys) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!listed(storage).equals(keys)) {
            assertThat(System.nanoTime()).as("the index lists only %s within a minute", keys).isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}

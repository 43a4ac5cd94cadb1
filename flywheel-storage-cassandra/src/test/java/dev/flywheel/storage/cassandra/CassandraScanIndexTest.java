package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.RowWrite;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scan index is bucketed ({@link ScanIndex}): a table's entries spread over many Cassandra partitions,
 * and a Scan segment lists only the buckets its hash range overlaps that hold entries. (The contract
 * suite checks that scans, segments and continuations return the right rows in the right order.)
 */
@Tag("cassandra")
class CassandraScanIndexTest {
    private static final long TABLE = 7;
    private static final int PARTITIONS = 1000;
    private static TestCassandra cassandra;
    private static RecordingSession recorder;
    private static CassandraStorage storage;

    @BeforeAll
    static void fillATable() {
        cassandra = TestCassandra.connect("scanindex");
        recorder = RecordingSession.over(cassandra.session());
        storage = cassandra.storageOver(recorder.session());
        IntStream.range(0, PARTITIONS).parallel().forEach(p -> storage.write(PartitionWrite.of(TABLE,
                ("pk" + p).getBytes(UTF_8), RowWrite.put(new byte[0], "v".getBytes(UTF_8), Expected.ANY))));
    }

    @AfterAll
    static void dropKeyspace() {
        if (storage != null) storage.close();
        if (cassandra != null) cassandra.close();
    }

    private static Set<Integer> bucketsHolding(long table) {
        Set<Integer> buckets = new TreeSet<>();
        for (var row : cassandra.session().execute("SELECT DISTINCT table_id, bucket FROM " + cassandra.keyspace() + ".scan_index")) {
            if (row.getLong(0) == table) buckets.add(row.getInt(1));
        }
        return buckets;
    }

    /** The buckets of the table's partitions, as their hashes place them. */
    private static Set<Integer> bucketsOfThePartitions() {
        return IntStream.range(0, PARTITIONS).mapToObj(p -> ScanIndex.bucketOf(PartitionHash.of(("pk" + p).getBytes(UTF_8))))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> bucketsListed() {
        return recorder.sent().stream().filter(s -> s.reads("scan_index"))
                .map(s -> s.intValue("bucket")).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aTablesEntriesSpreadOverItsBucketsByHash() {
        Set<Integer> expected = bucketsOfThePartitions();
        // A thousand uniform hashes leave about 5 of 256 buckets empty.
        assertThat(expected).hasSizeGreaterThan(240);
        assertThat(bucketsHolding(TABLE)).isEqualTo(expected);
        Set<Integer> named = new TreeSet<>();
        for (var row : cassandra.session().execute(SimpleStatement.newInstance("SELECT bucket FROM " + cassandra.keyspace()
                + ".scan_buckets WHERE table_id = ?", TABLE))) {
            named.add(row.getInt(0));
        }
        assertThat(named).isEqualTo(expected);
    }

    @Test
    void aSegmentListsOnlyTheBucketsOfItsHashRange() {
        recorder.clear();
        assertThat(storage.scan(TABLE, 1, 4, null, ReadLimits.NONE).rows()).isNotEmpty();
        // Segment 1 of 4 is the second quarter of the hash space: buckets 64 to 127, those that hold entries
        // (and the first, read before the names of the others are known).
        Set<Integer> expected = new TreeSet<>(bucketsOfThePartitions());
        expected.retainAll(IntStream.range(64, 128).boxed().toList());
        expected.add(64);
        assertThat(bucketsListed()).isEqualTo(expected);
    }

    @Test
    void aScanOfAnEmptyTableReadsTwoPartitionsOfTheIndex() {
        recorder.clear();
        assertThat(storage.scan(TABLE + 100, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
        assertThat(bucketsListed()).containsExactly(0);
        assertThat(recorder.sent()).hasSize(2).anyMatch(s -> s.reads("scan_buckets"));
    }

    @Test
    void aSegmentInsideOneBucketListsOnlyThatBucket() {
        recorder.clear();
        storage.scan(TABLE, 5, 1000, null, ReadLimits.NONE);
        Set<Integer> listed = recorder.sent().stream().filter(s -> s.reads("scan_index"))
                .map(s -> s.intValue("bucket")).collect(Collectors.toSet());
        assertThat(listed).containsExactly(ScanIndex.bucketOf(PartitionHash.segmentStart(5, 1000)));
        assertThat(recorder.sent()).noneMatch(s -> s.reads("scan_buckets"));
    }

    @Test
    void droppingATableForgetsItsEntries() {
        long other = TABLE + 1;
        for (int p = 0; p < 20; p++) {
            storage.write(PartitionWrite.of(other, ("pk" + p).getBytes(UTF_8),
                    RowWrite.put(new byte[0], "v".getBytes(UTF_8), Expected.ANY)));
        }
        assertThat(bucketsHolding(other)).isNotEmpty();
        storage.dropTable(other);
        assertThat(bucketsHolding(other)).isEmpty();
        assertThat(cassandra.session().execute(SimpleStatement.newInstance("SELECT bucket FROM " + cassandra.keyspace()
                + ".scan_buckets WHERE table_id = ?", other)).one()).isNull();
        assertThat(storage.scan(other, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
        assertThat(cassandra.session().execute(SimpleStatement.newInstance("SELECT pk FROM " + cassandra.keyspace()
                + ".rows WHERE pk = ? AND table_id = ?", java.nio.ByteBuffer.wrap("pk3".getBytes(UTF_8)), other)).one())
                .isNull();
    }
}

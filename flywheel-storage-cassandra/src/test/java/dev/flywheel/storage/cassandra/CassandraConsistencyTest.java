package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowWrite;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The levels the backend reads at (issue 8): ONE for {@link ReadConsistency#EVENTUAL} reads (DynamoDB's
 * eventually consistent ones), QUORUM for strong ones, every CQL read of the call included (the scan
 * index's listings, the partitions read ahead). Seen as the statements are sent ({@link RecordingSession}).
 */
@Tag("cassandra")
class CassandraConsistencyTest {
    private static final long TABLE = 7;
    private static TestCassandra cassandra;
    private static RecordingSession recorder;
    private static CassandraStorage storage;

    @BeforeAll
    static void fillATable() {
        cassandra = TestCassandra.connect("consistency");
        recorder = RecordingSession.over(cassandra.session());
        storage = cassandra.storageOver(recorder.session());
        for (int p = 0; p < 40; p++) {
            for (int s = 0; s < 2; s++) {
                storage.write(PartitionWrite.of(TABLE, ("pk" + p).getBytes(UTF_8),
                        RowWrite.put(("sk" + s).getBytes(UTF_8), "v".getBytes(UTF_8), Expected.ANY)));
            }
        }
    }

    @AfterAll
    static void dropKeyspace() {
        if (storage != null) storage.close();
        if (cassandra != null) cassandra.close();
    }

    /** Every read of storage the SPI offers, each as recent as {@code consistency} asks. */
    private static void readEverything(ReadConsistency consistency) {
        byte[] pk = "pk3".getBytes(UTF_8);
        assertThat(storage.get(TABLE, pk, "sk1".getBytes(UTF_8), consistency)).isNotNull();
        assertThat(storage.read(TABLE, pk, KeyRange.ALL, false, ReadLimits.rows(1), consistency).rows()).hasSize(1);
        List<Row> all = storage.scan(TABLE, 0, 1, null, ReadLimits.NONE, consistency).rows();
        assertThat(all).hasSize(80);
        assertThat(storage.scan(TABLE, 0, 1, all.get(10).key(), ReadLimits.rows(20), consistency).rows()).hasSize(20);
        storage.scan(TABLE, 2, 3, null, ReadLimits.NONE, consistency);
    }

    /** The levels of the reads {@code reads} sends, each kind of read present. */
    private static List<ConsistencyLevel> levelsOf(Consumer<ReadConsistency> reads, ReadConsistency consistency) {
        recorder.clear();
        reads.accept(consistency);
        List<RecordingSession.Sent> sent = recorder.sent();
        assertThat(sent).anyMatch(s -> s.reads("rows")).anyMatch(s -> s.reads("scan_index"));
        assertThat(sent).allMatch(s -> s.cql().startsWith("SELECT"), "reads only");
        return sent.stream().map(RecordingSession.Sent::level).toList();
    }

    @Test
    void eventualReadsAreReadAtOne() {
        assertThat(levelsOf(CassandraConsistencyTest::readEverything, ReadConsistency.EVENTUAL))
                .isNotEmpty().containsOnly(ConsistencyLevel.ONE);
    }

    @Test
    void strongReadsAreReadAtQuorum() {
        assertThat(levelsOf(CassandraConsistencyTest::readEverything, ReadConsistency.STRONG))
                .isNotEmpty().containsOnly(ConsistencyLevel.QUORUM);
    }

    /** The overloads without a consistency are the strong reads every internal reader of the engine uses. */
    @Test
    void readsWithoutAConsistencyAreStrong() {
        assertThat(levelsOf(ignored -> {
            byte[] pk = "pk3".getBytes(UTF_8);
            storage.get(TABLE, pk, "sk1".getBytes(UTF_8));
            storage.read(TABLE, pk, KeyRange.ALL, true, ReadLimits.NONE);
            storage.scan(TABLE, 0, 1, null, ReadLimits.NONE);
        }, null)).isNotEmpty().containsOnly(ConsistencyLevel.QUORUM);
    }
}

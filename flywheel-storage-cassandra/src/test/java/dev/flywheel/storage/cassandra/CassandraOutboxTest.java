package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.flywheel.storage.DerivedRecord;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.WriteOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The outbox survives the crash of the server that wrote it: a server that dies between its batch and
 * moving the batch's derived records (simulated by {@link CassandraStorage#drainAfterWrite} off) leaves
 * them to any other server's sweep, which applies each exactly once and in the item's order, however
 * many sweeps run at once and even if the crash came after the append but before the outbox row went.
 */
@Tag("cassandra")
class CassandraOutboxTest {
    private static final long TABLE = 7;
    private static TestCassandra cassandra;
    private CassandraStorage crashing;
    private CassandraStorage survivor;

    @BeforeAll
    static void connect() {
        cassandra = TestCassandra.connect("outbox");
    }

    @AfterAll
    static void dropKeyspace() {
        if (cassandra != null) cassandra.close();
    }

    @BeforeEach
    void twoServers() {
        cassandra.deleteEverything();
        crashing = cassandra.storage();
        crashing.drainAfterWrite = false;
        survivor = cassandra.storage();
    }

    @AfterEach
    void close() {
        crashing.close();
        survivor.close();
    }

    @Test
    void aSweepAppliesTheOutboxOfADeadServerOnce() {
        assertThat(increment(crashing, "item", 0)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(survivor.readLog("changes", 0, 10)).as("not applied until swept").isEmpty();

        assertThat(survivor.sweepOutbox(Duration.ZERO)).isEqualTo(1);
        assertThat(survivor.sweepOutbox(Duration.ZERO)).isZero();
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1");
    }

    @Test
    void aSweepLeavesRecentWritesToTheirServer() {
        increment(crashing, "item", 0);
        assertThat(survivor.sweepOutbox(Duration.ofHours(1))).isZero();
        assertThat(survivor.readLog("changes", 0, 10)).isEmpty();
    }

    @Test
    void concurrentSweepsApplyEachRecordOnceInTheItemsOrder() throws Exception {
        for (int i = 0; i < 40; i++) increment(crashing, "item", i);
        List<Callable<Integer>> sweeps = new ArrayList<>();
        List<CassandraStorage> sweepers = List.of(survivor, cassandra.storage(), cassandra.storage());
        for (CassandraStorage sweeper : sweepers) sweeps.add(() -> sweeper.sweepOutbox(Duration.ZERO));
        ExecutorService pool = Executors.newFixedThreadPool(sweeps.size());
        try {
            for (Future<Integer> f : pool.invokeAll(sweeps)) f.get();
        } finally {
            pool.shutdownNow();
            sweepers.get(1).close();
            sweepers.get(2).close();
        }
        assertThat(payloads(survivor.readLog("changes", 0, 100)))
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 40).mapToObj(i -> "item=" + i).toList());
    }

    @Test
    void aWriteThatDrainsItselfAlsoMovesAnEarlierAbandonedOutboxFirst() {
        increment(crashing, "item", 0);
        increment(survivor, "item", 1);
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1", "item=2");
        assertThat(survivor.sweepOutbox(Duration.ZERO)).isEqualTo(1); // only its pending marker was left
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1", "item=2");
    }

    @Test
    void anOutboxRowAppendedButNotDeletedIsNotAppendedAgain() {
        increment(survivor, "item", 0);
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1");
        // The state a crash between the append and the outbox delete leaves: the row back, still pending.
        CqlSession session = cassandra.session();
        var applied = session.execute("SELECT marker FROM " + cassandra.keyspace()
                + ".log WHERE log = 'changes' AND part = 0 AND seq = 0").one();
        assertThat(applied).as("the applied marker").isNotNull();
        byte[] outboxKey = Blobs.bytes(applied.getByteBuffer(0));
        session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                "INSERT INTO " + cassandra.keyspace() + ".rows (pk, table_id, kind, sk, value) VALUES (?, ?, 1, ?, ?)",
                Blobs.buf("item".getBytes(UTF_8)), TABLE, Blobs.buf(outboxKey), Blobs.buf("item=1".getBytes(UTF_8))));
        session.execute(survivor.outboxForTests().pending(com.datastax.oss.driver.api.core.uuid.Uuids.timeBased(), TABLE,
                "item".getBytes(UTF_8)));

        assertThat(survivor.sweepOutbox(Duration.ZERO)).isEqualTo(1);
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1");
        assertThat(session.execute("SELECT sk FROM " + cassandra.keyspace() + ".rows WHERE pk = 0x6974656d AND table_id = "
                + TABLE + " AND kind = 1").one()).as("the outbox row is gone").isNull();
    }

    @Test
    void aRunOfOutboxRowsOfWhichOneWasAppendedAppendsTheOthersOnceInOrder() {
        increment(survivor, "item", 0);
        CqlSession session = cassandra.session();
        byte[] outboxKey = Blobs.bytes(session.execute("SELECT marker FROM " + cassandra.keyspace()
                + ".log WHERE log = 'changes' AND part = 0 AND seq = 0").one().getByteBuffer(0));
        // The first row back in the outbox, as a crash between its append and its delete leaves it; then
        // two more writes whose server dies before moving them: the three move as one run, which the
        // first's applied marker refuses, and then go one by one.
        session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                "INSERT INTO " + cassandra.keyspace() + ".rows (pk, table_id, kind, sk, value) VALUES (?, ?, 1, ?, ?)",
                Blobs.buf("item".getBytes(UTF_8)), TABLE, Blobs.buf(outboxKey), Blobs.buf("item=1".getBytes(UTF_8))));
        increment(crashing, "item", 1);
        increment(crashing, "item", 2);

        assertThat(survivor.sweepOutbox(Duration.ZERO)).isEqualTo(2);
        assertThat(payloads(survivor.readLog("changes", 0, 10))).containsExactly("item=1", "item=2", "item=3");
    }

    /** Sets the item's counter to {@code current + 1} by compare-and-set, with the change as a derived record. */
    private static WriteOutcome increment(CassandraStorage storage, String item, int current) {
        byte[] expected = current == 0 ? null : Integer.toString(current).getBytes(UTF_8);
        String next = Integer.toString(current + 1);
        return storage.write(new PartitionWrite(TABLE, item.getBytes(UTF_8),
                List.of(RowWrite.put(new byte[0], next.getBytes(UTF_8), Expected.value(expected))),
                List.of(new DerivedRecord("changes", (item + "=" + next).getBytes(UTF_8)))));
    }

    private static List<String> payloads(List<LogEntry> entries) {
        return entries.stream().map(e -> new String(e.payload(), UTF_8)).toList();
    }
}

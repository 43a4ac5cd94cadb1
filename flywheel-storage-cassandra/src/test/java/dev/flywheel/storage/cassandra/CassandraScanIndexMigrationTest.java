package dev.flywheel.storage.cassandra;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.TableStats;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A keyspace written before the scan index was bucketed (its index in {@code partitions}, one Cassandra
 * partition per table, no setting in {@code meta} bucket 1) still scans completely once opened by this
 * version: {@link ScanIndexMigration} copies the old index over, once, saying so in the log.
 *
 * <p>The old layout is made from a current one: the index entries are moved, as they are, into the old
 * table (whose columns are the new ones but the bucket), the names of the buckets and the setting are
 * deleted. The rows table did not change.
 */
@Tag("cassandra")
class CassandraScanIndexMigrationTest {
    private static final long TABLE = 7, OTHER = 8;

    @Test
    void aKeyspaceWithTheOldIndexScansCompletelyAfterTheMigration() {
        try (TestCassandra cassandra = TestCassandra.connect("migration")) {
            List<String> table, other;
            try (CassandraStorage writer = cassandra.storage()) {
                for (int p = 0; p < 150; p++) put(writer, TABLE, ("pk" + p).getBytes(UTF_8), 2);
                put(writer, TABLE, new byte[0], 1);                 // the empty key lives elsewhere in rows
                byte[] longest = new byte[65_535];
                Arrays.fill(longest, (byte) 'k');
                put(writer, TABLE, longest, 1);                     // clustered by its head only
                for (int p = 0; p < 10; p++) put(writer, OTHER, ("o" + p).getBytes(UTF_8), 1);
                table = show(writer.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows());
                other = show(writer.scan(OTHER, 0, 1, null, ReadLimits.NONE).rows());
                assertThat(table).hasSize(302);

                long moved = makeTheIndexOld(cassandra.session(), cassandra.keyspace());
                assertThat(moved).isEqualTo(162);
                // Without the migration, nothing is listed any more.
                assertThat(writer.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
            }

            List<String> log = new CopyOnWriteArrayList<>();
            Handler handler = captureLog(log);
            try (CassandraStorage reopened = cassandra.storage()) {
                assertThat(log).anyMatch(m -> m.contains("162 entries"));
                assertThat(show(reopened.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows())).isEqualTo(table);
                assertThat(show(reopened.scan(OTHER, 0, 1, null, ReadLimits.NONE).rows())).isEqualTo(other);
                List<String> segments = new ArrayList<>();
                for (int segment = 0; segment < 5; segment++) {
                    segments.addAll(show(reopened.scan(TABLE, segment, 5, null, ReadLimits.NONE).rows()));
                }
                assertThat(segments).isEqualTo(table);
                assertThat(reopened.stats(TABLE)).extracting(TableStats::rowCount).isEqualTo(302L);

                // Once only: the setting now says the keyspace uses the bucketed index.
                assertThat(ScanIndexMigration.done(cassandra.session(), cassandra.schema())).isTrue();
                log.clear();
                cassandra.storage().close();
                assertThat(log).noneMatch(m -> m.contains("copying"));

                // And the table lives on: new partitions, then its drop.
                put(reopened, TABLE, "new".getBytes(UTF_8), 1);
                assertThat(reopened.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows()).hasSize(303);
                reopened.dropTable(TABLE);
                assertThat(reopened.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
            } finally {
                Logger.getLogger(ScanIndexMigration.class.getName()).removeHandler(handler);
            }
        }
    }

    /** Moves every scan index entry back into the table of the old layout, and forgets the migration. */
    private static long makeTheIndexOld(CqlSession session, String keyspace) {
        List<com.datastax.oss.driver.api.core.cql.Row> entries = session.execute(
                "SELECT table_id, bucket, hash, pk_len, pk_head, pk FROM " + keyspace + ".scan_index").all();
        for (var e : entries) {
            session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace + ".partitions (table_id, hash, pk_len,"
                    + " pk_head, pk) VALUES (?, ?, ?, ?, ?)", e.getLong("table_id"), e.getLong("hash"), e.getInt("pk_len"),
                    e.getByteBuffer("pk_head"), e.getByteBuffer("pk")));
        }
        for (var e : entries) {
            session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".scan_index WHERE table_id = ?"
                    + " AND bucket = ?", e.getLong("table_id"), e.getInt("bucket")));
            session.execute(SimpleStatement.newInstance("DELETE FROM " + keyspace + ".scan_buckets WHERE table_id = ?",
                    e.getLong("table_id")));
        }
        session.execute("DELETE FROM " + keyspace + ".meta WHERE bucket = 1 AND key = '" + ScanIndexMigration.SETTING + "'");
        return entries.size();
    }

    private static Handler captureLog(List<String> messages) {
        Handler handler = new Handler() {
            @Override public void publish(LogRecord record) { messages.add(record.getMessage()); }
            @Override public void flush() {}
            @Override public void close() {}
        };
        Logger.getLogger(ScanIndexMigration.class.getName()).addHandler(handler);
        return handler;
    }

    private static void put(CassandraStorage storage, long table, byte[] pk, int rows) {
        for (int s = 0; s < rows; s++) {
            storage.write(PartitionWrite.of(table, pk, RowWrite.put(("sk" + s).getBytes(UTF_8), ("v" + s).getBytes(UTF_8),
                    Expected.ANY)));
        }
    }

    /** Rows as {@code pk length/pk hash code/sk=value}: comparable, and short even for a 64 KiB key. */
    private static List<String> show(List<Row> rows) {
        return rows.stream().map(r -> r.partitionKey().length + "/" + Arrays.hashCode(r.partitionKey()) + "/"
                + new String(r.sortKey(), UTF_8) + "=" + new String(r.value(), UTF_8)).toList();
    }
}

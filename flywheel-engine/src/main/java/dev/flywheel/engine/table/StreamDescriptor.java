package dev.flywheel.engine.table;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything Flywheel keeps about one DynamoDB stream, persisted by {@link StreamCatalog}. It outlives
 * its table's interest in it: a disabled stream, or the stream of a deleted table, stays readable for
 * 24 hours, as DynamoDB keeps them.
 *
 * <p>A stream is one log; its shards are consecutive ranges of the log's sequence numbers. The last
 * shard is open (its records keep coming) until the stream is disabled or the shard is rolled over
 * (DynamoDB closes a shard after a few hours and opens its child).
 *
 * @param disabled when the stream stopped taking records; null while it is enabled
 * @param trimmedThrough the log's records up to this sequence are gone (older than 24 hours)
 * @param shards in order, each one's parent the one before it; shards whose records are all trimmed are
 *     dropped, so the first one's index need not be 0
 */
public record StreamDescriptor(long logId, String tableName, long tableStorageId, String label, String viewType,
                               KeySchema keySchema, Instant created, Instant disabled, long trimmedThrough,
                               List<Shard> shards) {

    /** Marks a shard that is still open. */
    public static final long OPEN = Long.MAX_VALUE;

    /**
     * Log sequence numbers {@code firstSequence..lastSequence} ({@link #OPEN}: no end yet), opened at
     * {@code created}.
     */
    public record Shard(int index, long firstSequence, long lastSequence, Instant created) {
        public boolean isOpen() {
            return lastSequence == OPEN;
        }

        Shard closedAt(long last) {
            return new Shard(index, firstSequence, last, created);
        }
    }

    public StreamDescriptor {
        shards = List.copyOf(shards);
    }

    public boolean enabled() {
        return disabled == null;
    }

    /** The shard with this index, or null when there is none (any more). */
    public Shard shard(int index) {
        for (Shard shard : shards) {
            if (shard.index() == index) return shard;
        }
        return null;
    }

    public Shard openShard() {
        Shard last = shards.getLast();
        return last.isOpen() ? last : null;
    }

    /** This stream with its open shard closed after {@code lastSequence} (if it has one). */
    StreamDescriptor closeShard(long lastSequence) {
        Shard open = openShard();
        if (open == null) return this;
        List<Shard> closed = new ArrayList<>(shards);
        closed.set(closed.size() - 1, open.closedAt(Math.max(lastSequence, open.firstSequence() - 1)));
        return withShards(closed);
    }

    /** This stream with its open shard closed after {@code lastSequence} and a child opened at {@code now}. */
    StreamDescriptor rollOver(long lastSequence, Instant now) {
        StreamDescriptor closed = closeShard(lastSequence);
        Shard parent = closed.shards().getLast();
        List<Shard> shards = new ArrayList<>(closed.shards());
        shards.add(new Shard(parent.index() + 1, parent.lastSequence() + 1, OPEN, now));
        return closed.withShards(shards);
    }

    StreamDescriptor disabledAt(Instant when, long lastSequence) {
        StreamDescriptor closed = closeShard(lastSequence);
        return new StreamDescriptor(logId, tableName, tableStorageId, label, viewType, keySchema, created, when,
                trimmedThrough, closed.shards());
    }

    /**
     * This stream with its records through {@code sequence} trimmed, and without the closed shards that
     * had records and have none left (the last shard always stays, so the stream keeps its lineage).
     */
    StreamDescriptor trimmedThrough(long sequence) {
        long trimmed = Math.max(trimmedThrough, sequence);
        List<Shard> kept = new ArrayList<>(shards);
        while (kept.size() > 1) {
            Shard first = kept.getFirst();
            if (first.isOpen() || first.lastSequence() > trimmed) break;
            kept.removeFirst();
        }
        return new StreamDescriptor(logId, tableName, tableStorageId, label, viewType, keySchema, created, disabled,
                trimmed, kept);
    }

    private StreamDescriptor withShards(List<Shard> newShards) {
        return new StreamDescriptor(logId, tableName, tableStorageId, label, viewType, keySchema, created, disabled,
                trimmedThrough, newShards);
    }
}

package dev.flywheel.engine.stream;

import dev.flywheel.engine.table.StreamCatalog;
import dev.flywheel.engine.table.StreamDescriptor;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import dev.flywheel.engine.PeriodicTask;

/**
 * Keeps streams as DynamoDB does, once a minute: records older than 24 hours are trimmed; an open
 * shard older than the shard lifetime is closed and a child opened (DynamoDB rolls shards over every
 * few hours); a stream disabled (or whose table was deleted) more than 24 hours ago is forgotten.
 *
 * <p>One daemon thread; {@link #close} stops it before storage is closed.
 */
public final class StreamRetention implements AutoCloseable {
    static final Duration RETENTION = Duration.ofHours(24);
    private static final Duration PERIOD = Duration.ofMinutes(1);
    private static final int BATCH = 1000;

    private final StreamCatalog streams;
    private final Storage storage;
    private final Clock clock;
    private final Duration shardLifetime;
    private final PeriodicTask task;

    public StreamRetention(StreamCatalog streams, Storage storage, Clock clock, Duration shardLifetime) {
        this.streams = streams;
        this.storage = storage;
        this.clock = clock;
        this.shardLifetime = shardLifetime;
        this.task = new PeriodicTask("stream-retention", PERIOD, this::pass);
    }

    public void start() {
        task.start();
    }

    /** One turn over every stream, as the thread takes each minute (tests call it to skip the wait). */
    public void pass() {
        Instant now = clock.instant();
        for (StreamDescriptor d : streams.all()) {
            if (task.isClosed()) return;
            if (!d.enabled() && d.disabled().plus(RETENTION).isBefore(now)) {
                streams.forget(d.logId());
                continue;
            }
            trimExpired(d, now.minus(RETENTION));
            StreamDescriptor.Shard open = d.openShard();
            if (open != null && open.created().plus(shardLifetime).isBefore(now)) streams.rollOver(d.logId(), now);
        }
    }

    private void trimExpired(StreamDescriptor d, Instant oldestKept) {
        long through = d.trimmedThrough();
        while (true) {
            List<LogEntry> entries = storage.readLog(StreamCatalog.logName(d.logId()), through, BATCH);
            long expired = through;
            for (LogEntry entry : entries) {
                if (StreamChange.decode(entry.payload()).created() >= oldestKept.toEpochMilli()) break;
                expired = entry.sequence();
            }
            if (expired == through) break;
            through = expired;
        }
        streams.trim(d.logId(), through);
    }

    @Override
    public void close() {
        task.close();
    }
}

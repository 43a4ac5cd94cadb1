package dev.flywheel.accelerator;

import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.Record;
import dev.flywheel.model.streams.Shard;
import dev.flywheel.model.streams.StreamDescription;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows tables' DynamoDB streams over the DynamoDBStreams_20120810 API (ListStreams is not needed:
 * DescribeTable names the latest stream), one virtual thread per table:
 *
 * <ol>
 *   <li>at start, DescribeStream lists the shards; each open one is read from LATEST (nothing of the
 *       table is cached yet, so nothing earlier matters);
 *   <li>GetRecords on each shard; every record's {@code Keys} drop that item's entries and the table's
 *       cached queries; its ApproximateCreationDateTime gives the lag shown in the metrics;
 *   <li>a shard that ends (no NextShardIterator) is dropped and DescribeStream looked at again: its
 *       children are read from TRIM_HORIZON, so no write between the two is missed. The stream is also
 *       looked at again every {@link #RESCAN} for shards that appeared otherwise;
 *   <li>an iterator that expired or points at trimmed data means records may have been missed: the
 *       table's entries are all dropped and the shard read again from LATEST.
 * </ol>
 *
 * <p>Records of writes that went through the accelerator keep the entries that write-through filled
 * when the stream carries new images and they match; otherwise they drop them: a few more misses, never a
 * stale answer.
 */
final class DynamoDbStreamFollower implements StreamFollower {
    private static final Logger log = LoggerFactory.getLogger(DynamoDbStreamFollower.class);
    private static final Duration RESCAN = Duration.ofSeconds(10);

    private final DynamoDbStreamsApi streams;
    private final CacheMetrics metrics;
    private final Clock clock;
    private final Duration pollInterval;
    private final ConcurrentMap<String, TableStream> following = new ConcurrentHashMap<>();
    private volatile boolean closed;

    DynamoDbStreamFollower(DynamoDbStreamsApi streams, CacheMetrics metrics, Clock clock, Duration pollInterval) {
        this.streams = streams;
        this.metrics = metrics;
        this.clock = clock;
        this.pollInterval = pollInterval;
    }

    @Override
    public void follow(Tables.Table table, CachingDynamoDb cache) {
        TableStream current = following.get(table.name());
        if (current != null && current.streamArn.equals(table.streamArn())) {
            return;
        }
        if (current != null) {
            current.stop();
            following.remove(table.name(), current);
        }
        if (table.streamArn() == null) {
            log.info("Table {} has no stream: writes that bypass the accelerator are seen only when its entries expire"
                    + " (the TTL, as in DAX)", table.name());
            return;
        }
        TableStream stream = new TableStream(table.name(), table.streamArn(), cache);
        try {
            stream.startAtLatest();
        } catch (DynamoDbException e) {
            log.warn("Cannot follow the stream of table {} ({}): its entries live until their TTL", table.name(), e.toString());
            return;
        }
        if (closed) return;
        following.put(table.name(), stream);
        // Entries filled while the table had no stream (the TTL alone bounded them) may already be stale.
        cache.tableChanged(table.name());
        Thread.ofVirtual().name("accelerator-stream-" + table.name()).start(stream::run);
        log.info("Following the stream of table {}: writes that bypass the accelerator drop its entries", table.name());
    }

    @Override
    public void close() {
        closed = true;
        following.values().forEach(TableStream::stop);
        following.clear();
    }

    /** One table's stream: its open shards' iterators, read in turn by one thread. */
    private final class TableStream {
        final String table;
        final String streamArn;
        final CachingDynamoDb cache;
        final Map<String, String> iterators = new LinkedHashMap<>(); // by shard id; only this stream's thread uses it after start
        final Set<String> seenShards = new HashSet<>();
        volatile boolean stopped;
        long lastScanNanos;

        TableStream(String table, String streamArn, CachingDynamoDb cache) {
            this.table = table;
            this.streamArn = streamArn;
            this.cache = cache;
        }

        void stop() {
            stopped = true;
        }

        void startAtLatest() {
            for (Shard shard : shards()) {
                seenShards.add(shard.shardId());
                if (shard.sequenceNumberRange() == null || shard.sequenceNumberRange().endingSequenceNumber() == null) {
                    iterators.put(shard.shardId(), iterator(shard.shardId(), "LATEST"));
                }
            }
            lastScanNanos = System.nanoTime();
        }

        void run() {
            while (!stopped && !closed) {
                try {
                    if (!poll()) Thread.sleep(pollInterval);
                } catch (InterruptedException e) {
                    return;
                } catch (DynamoDbException e) {
                    log.warn("Reading the stream of table {} failed ({}); retrying", table, e.toString());
                    sleepQuietly(Duration.ofSeconds(1));
                } catch (RuntimeException e) {
                    log.error("Reading the stream of table {} failed; retrying", table, e);
                    sleepQuietly(Duration.ofSeconds(1));
                }
            }
        }

        /** Reads every shard once; true when any record came. */
        boolean poll() {
            boolean any = false;
            boolean shardEnded = false;
            for (Map.Entry<String, String> shard : new ArrayList<>(iterators.entrySet())) {
                GetRecordsOutput page;
                try {
                    page = streams.getRecords(GetRecordsInput.builder().shardIterator(shard.getValue()).limit(1000).build());
                } catch (DynamoDbException.ExpiredIteratorException | DynamoDbException.TrimmedDataAccessException e) {
                    log.warn("Stream of table {}: {}; dropping its entries and reading on from the latest record", table, e.getMessage());
                    cache.tableChanged(table);
                    iterators.put(shard.getKey(), iterator(shard.getKey(), "LATEST"));
                    continue;
                }
                if (page.records() != null) {
                    for (Record record : page.records()) {
                        any = true;
                        changed(record);
                    }
                }
                if (page.nextShardIterator() == null) {
                    iterators.remove(shard.getKey());
                    shardEnded = true;
                } else {
                    iterators.put(shard.getKey(), page.nextShardIterator());
                }
            }
            if (shardEnded || System.nanoTime() - lastScanNanos > RESCAN.toNanos()) {
                addNewShards();
            }
            return any;
        }

        private void changed(Record record) {
            if (record.dynamodb() == null || record.dynamodb().keys() == null) {
                cache.tableChanged(table);
                return;
            }
            cache.itemChanged(table, record.dynamodb().keys(), record.dynamodb().newImage(), "REMOVE".equals(record.eventName()));
            if (record.dynamodb().approximateCreationDateTime() != null) {
                metrics.streamRecord(Duration.between(record.dynamodb().approximateCreationDateTime(), clock.instant()).toMillis());
            }
        }

        /** Shards not seen before are children of ended ones: read from their start. */
        private void addNewShards() {
            lastScanNanos = System.nanoTime();
            for (Shard shard : shards()) {
                if (seenShards.add(shard.shardId())) {
                    iterators.put(shard.shardId(), iterator(shard.shardId(), "TRIM_HORIZON"));
                }
            }
        }

        private List<Shard> shards() {
            List<Shard> shards = new ArrayList<>();
            String start = null;
            do {
                StreamDescription description = streams.describeStream(DescribeStreamInput.builder()
                        .streamArn(streamArn).exclusiveStartShardId(start).build()).streamDescription();
                if (description == null) break;
                if (description.shards() != null) shards.addAll(description.shards());
                start = description.lastEvaluatedShardId();
            } while (start != null);
            return shards;
        }

        private String iterator(String shardId, String type) {
            return streams.getShardIterator(GetShardIteratorInput.builder()
                    .streamArn(streamArn).shardId(shardId).shardIteratorType(type).build()).shardIterator();
        }

        private void sleepQuietly(Duration duration) {
            try {
                Thread.sleep(duration);
            } catch (InterruptedException e) {
                stopped = true;
            }
        }
    }
}

package dev.flywheel.engine.stream;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemSize;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.StreamCatalog;
import dev.flywheel.engine.table.StreamDescriptor;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ExpiredIteratorException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.TrimmedDataAccessException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.DescribeStreamOutput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.GetShardIteratorOutput;
import dev.flywheel.model.streams.Identity;
import dev.flywheel.model.streams.KeySchemaElement;
import dev.flywheel.model.streams.ListStreamsInput;
import dev.flywheel.model.streams.ListStreamsOutput;
import dev.flywheel.model.streams.Record;
import dev.flywheel.model.streams.SequenceNumberRange;
import dev.flywheel.model.streams.Shard;
import dev.flywheel.model.streams.Stream;
import dev.flywheel.model.streams.StreamDescription;
import dev.flywheel.model.streams.StreamRecord;
import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Storage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * DynamoDB Streams' four operations over the streams of {@link StreamCatalog}: ListStreams,
 * DescribeStream, GetShardIterator and GetRecords.
 *
 * <p>A shard is a range of its stream's log; a record's SequenceNumber is its log sequence, written
 * with a fixed number of digits so that clients comparing them as strings or as numbers agree.
 */
public final class StreamOperations {
    static final Duration ITERATOR_LIFETIME = Duration.ofMinutes(15);
    private static final int MAX_RECORDS = 1000;
    private static final long MAX_RESPONSE_BYTES = 1024 * 1024;
    private static final int DEFAULT_LIST_LIMIT = 100;
    private static final int DEFAULT_SHARD_LIMIT = 100;
    private static final Identity TIME_TO_LIVE = new Identity("dynamodb.amazonaws.com", "Service");

    private final StreamCatalog streams;
    private final Storage storage;
    private final Clock clock;
    private final String region;

    public StreamOperations(StreamCatalog streams, Storage storage, Clock clock, String region) {
        this.streams = streams;
        this.storage = storage;
        this.clock = clock;
        this.region = region;
    }

    public ListStreamsOutput listStreams(ListStreamsInput request) {
        int limit = request.limit() == null ? DEFAULT_LIST_LIMIT : request.limit();
        if (request.exclusiveStartStreamArn() != null) requireWellFormed(request.exclusiveStartStreamArn());
        List<Stream> listed = new ArrayList<>();
        boolean started = request.exclusiveStartStreamArn() == null;
        String last = null;
        for (StreamDescriptor d : streams.all()) {
            if (request.tableName() != null && !d.tableName().equals(request.tableName())) continue;
            String arn = streams.arn(d);
            if (!started) {
                started = arn.equals(request.exclusiveStartStreamArn());
                continue;
            }
            if (listed.size() == limit) {
                last = listed.getLast().streamArn();
                break;
            }
            listed.add(new Stream(arn, d.tableName(), d.label()));
        }
        return new ListStreamsOutput(listed, last);
    }

    public DescribeStreamOutput describeStream(DescribeStreamInput request) {
        StreamDescriptor d = require(request.streamArn());
        int limit = request.limit() == null ? DEFAULT_SHARD_LIMIT : request.limit();
        String parentFilter = null;
        if (request.shardFilter() != null) {
            if (!"CHILD_SHARDS".equals(request.shardFilter().type()) || request.shardFilter().shardId() == null) {
                throw new ValidationException("ShardFilter type CHILD_SHARDS requires a ShardId");
            }
            parentFilter = request.shardFilter().shardId();
        }
        List<Shard> shards = new ArrayList<>();
        boolean started = request.exclusiveStartShardId() == null;
        String lastEvaluated = null;
        for (StreamDescriptor.Shard shard : d.shards()) {
            String id = shardId(d, shard);
            String parent = parentId(d, shard);
            if (!started) {
                started = id.equals(request.exclusiveStartShardId());
                continue;
            }
            if (parentFilter != null && !parentFilter.equals(parent)) continue;
            if (shards.size() == limit) {
                lastEvaluated = shards.getLast().shardId();
                break;
            }
            shards.add(new Shard(id, new SequenceNumberRange(sequenceNumber(shard.firstSequence()),
                    shard.isOpen() ? null : sequenceNumber(shard.lastSequence())), parent));
        }
        List<KeySchemaElement> keySchema = new ArrayList<>(2);
        keySchema.add(new KeySchemaElement(d.keySchema().hashKey().name(), "HASH"));
        KeyAttribute range = d.keySchema().rangeKey();
        if (range != null) keySchema.add(new KeySchemaElement(range.name(), "RANGE"));
        return new DescribeStreamOutput(StreamDescription.builder()
                .streamArn(streams.arn(d))
                .streamLabel(d.label())
                .streamStatus(d.enabled() ? "ENABLED" : "DISABLED")
                .streamViewType(d.viewType())
                .creationRequestDateTime(d.created())
                .tableName(d.tableName())
                .keySchema(keySchema)
                .shards(shards)
                .lastEvaluatedShardId(lastEvaluated)
                .build());
    }

    public GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
        StreamDescriptor d = require(request.streamArn());
        StreamDescriptor.Shard shard = null;
        for (StreamDescriptor.Shard s : d.shards()) {
            if (shardId(d, s).equals(request.shardId())) shard = s;
        }
        if (shard == null) {
            throw new ResourceNotFoundException("Requested resource not found: Shard does not exist");
        }
        String type = request.shardIteratorType();
        boolean bySequence = type.equals("AT_SEQUENCE_NUMBER") || type.equals("AFTER_SEQUENCE_NUMBER");
        if (bySequence && request.sequenceNumber() == null) {
            throw new ValidationException("Must specify sequence number for " + type + " shard iterator");
        }
        if (!bySequence && request.sequenceNumber() != null) {
            throw new ValidationException("Sequence number must not be specified for " + type + " shard iterator");
        }
        long first = shard.firstSequence();
        long after = switch (type) {
            case "TRIM_HORIZON" -> Math.max(first - 1, Math.min(d.trimmedThrough(), shard.lastSequence()));
            case "LATEST" -> shard.isOpen() ? Math.max(first - 1, streams.logEnd(d.logId())) : shard.lastSequence();
            default -> {
                long sequence = parseSequence(request.sequenceNumber(), shard);
                if (sequence <= d.trimmedThrough()) throw trimmed();
                yield type.equals("AT_SEQUENCE_NUMBER") ? sequence - 1 : sequence;
            }
        };
        return new GetShardIteratorOutput(new ShardIterator(d.logId(), shard.index(), after, clock.millis())
                .encode(streams.arn(d)));
    }

    public GetRecordsOutput getRecords(GetRecordsInput request) {
        ShardIterator iterator = ShardIterator.decode(request.shardIterator());
        if (iterator == null) throw new ValidationException("Invalid ShardIterator");
        long now = clock.millis();
        if (now - iterator.issuedMillis() > ITERATOR_LIFETIME.toMillis()) {
            throw new ExpiredIteratorException("The provided iterator exceeds the maximum age allowed.");
        }
        StreamDescriptor d = streams.get(iterator.logId());
        // Access policies judge GetRecords by the ARN the iterator begins with: it must be its stream's.
        if (d != null && !request.shardIterator().startsWith(streams.arn(d) + "|")) {
            throw new ValidationException("Invalid ShardIterator");
        }
        StreamDescriptor.Shard shard = d == null ? null : d.shard(iterator.shardIndex());
        if (shard == null) throw new ResourceNotFoundException("Requested resource not found: Shard does not exist");
        if (iterator.afterSequence() < d.trimmedThrough()) throw trimmed();
        int limit = request.limit() == null ? MAX_RECORDS : request.limit();
        List<LogEntry> entries = storage.readLog(StreamCatalog.logName(d.logId()), iterator.afterSequence(), limit);
        // The shard's end as it is now, after the read: had it been taken before, a rollover in between would
        // let the records written to the child since be read from the parent too, and so twice. Closed now,
        // the shard ends at or after everything the read saw that is its own.
        d = streams.get(iterator.logId());
        shard = d == null ? null : d.shard(iterator.shardIndex());
        if (shard == null) throw new ResourceNotFoundException("Requested resource not found: Shard does not exist");
        List<Record> records = new ArrayList<>(entries.size());
        long bytes = 0, position = iterator.afterSequence();
        for (LogEntry entry : entries) {
            if (entry.sequence() > shard.lastSequence()) break;
            Record record = record(d, entry);
            bytes += record.dynamodb().sizeBytes();
            if (bytes > MAX_RESPONSE_BYTES && !records.isEmpty()) break;
            records.add(record);
            position = entry.sequence();
        }
        // A closed shard read to its end has no next iterator: its reader moves on to the child. The end is
        // its last record, which exists (a shard closes at the log's last readable record); a shard closed
        // after the read may still hold records the read did not see, so only reaching it ends the shard.
        boolean ended = !shard.isOpen() && position >= shard.lastSequence();
        String next = ended ? null : iterator.after(position, now).encode(streams.arn(d));
        return new GetRecordsOutput(records, next);
    }

    private Record record(StreamDescriptor d, LogEntry entry) {
        StreamChange change = StreamChange.decode(entry.payload());
        Map<String, AttributeValue> keys = ItemCodec.decode(change.keys());
        Map<String, AttributeValue> newImage = change.newImage() == null ? null : ItemCodec.decode(change.newImage());
        Map<String, AttributeValue> oldImage = change.oldImage() == null ? null : ItemCodec.decode(change.oldImage());
        long size = ItemSize.of(keys) + (newImage == null ? 0 : ItemSize.of(newImage))
                + (oldImage == null ? 0 : ItemSize.of(oldImage));
        StreamRecord dynamodb = StreamRecord.builder()
                // DynamoDB Streams reports the time in whole seconds.
                .approximateCreationDateTime(Instant.ofEpochSecond(change.created() / 1000))
                .keys(keys)
                .newImage(newImage)
                .oldImage(oldImage)
                .sequenceNumber(sequenceNumber(entry.sequence()))
                .sizeBytes(size)
                .streamViewType(d.viewType())
                .build();
        return Record.builder()
                .eventID(eventId(d.logId(), entry.sequence()))
                .eventName(change.eventName())
                .eventVersion("1.1")
                .eventSource("aws:dynamodb")
                .awsRegion(region)
                .dynamodb(dynamodb)
                .userIdentity(change.byTimeToLive() ? TIME_TO_LIVE : null)
                .build();
    }

    private static void requireWellFormed(String arn) {
        if (!arn.startsWith("arn:") || !arn.contains(":table/") || !arn.contains("/stream/")) {
            throw new ValidationException("Invalid StreamArn");
        }
    }

    private StreamDescriptor require(String arn) {
        requireWellFormed(arn);
        StreamDescriptor d = streams.findByArn(arn);
        if (d == null) throw new ResourceNotFoundException("Requested resource not found: Stream: " + arn + " not found");
        return d;
    }

    private static long parseSequence(String text, StreamDescriptor.Shard shard) {
        long sequence;
        try {
            sequence = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ValidationException("Invalid SequenceNumber: " + text);
        }
        if (sequence < shard.firstSequence() || sequence > shard.lastSequence()) {
            throw new ValidationException("Invalid SequenceNumber for the given shard: " + text);
        }
        return sequence;
    }

    private static TrimmedDataAccessException trimmed() {
        return new TrimmedDataAccessException("The data you are trying to access has been trimmed");
    }

    /** A sequence number as DynamoDB Streams writes them: digits only, all of the same length. */
    static String sequenceNumber(long sequence) {
        return String.format("%021d", sequence);
    }

    /** The id of the shard's parent: the shard before it, whose records may all be gone (null for the first). */
    private static String parentId(StreamDescriptor d, StreamDescriptor.Shard shard) {
        return shard.index() == 0 ? null : shardId(d, shard.index() - 1);
    }

    static String shardId(StreamDescriptor d, StreamDescriptor.Shard shard) {
        return shardId(d, shard.index());
    }

    /**
     * DynamoDB's shard id form, {@code shardId-<20 digits>-<8 hex digits>}: the digits grow with the shard's
     * index (so ids sort in shard order, as clients expect), the hex digits tell streams apart. Derived from
     * what is kept forever, so a dropped parent's id is still known.
     */
    private static String shardId(StreamDescriptor d, int index) {
        int suffix = Long.hashCode(d.logId() * 1_000_003L + index) * 0x9E3779B9;
        return String.format("shardId-%020d-%08x", d.created().toEpochMilli() + index, suffix);
    }

    /** A unique id for each record: 32 hex digits, like DynamoDB's. */
    private static String eventId(long logId, long sequence) {
        return String.format("%016x%016x", logId * 0x9E3779B97F4A7C15L, sequence * 0xC2B2AE3D27D4EB4FL);
    }
}

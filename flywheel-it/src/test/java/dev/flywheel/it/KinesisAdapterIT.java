package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.dynamodbv2.streamsadapter.AmazonDynamoDBStreamsAdapterClient;
import com.amazonaws.services.dynamodbv2.streamsadapter.StreamsSchedulerFactory;
import com.amazonaws.services.dynamodbv2.streamsadapter.adapter.DynamoDBStreamsClientRecord;
import com.amazonaws.services.dynamodbv2.streamsadapter.model.DynamoDBStreamsProcessRecordsInput;
import com.amazonaws.services.dynamodbv2.streamsadapter.polling.DynamoDBStreamsPollingConfig;
import com.amazonaws.services.dynamodbv2.streamsadapter.processor.DynamoDBStreamsShardRecordProcessor;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.retrieval.RetrievalConfig;

/**
 * The real DynamoDB Streams Kinesis Adapter with the Kinesis Client Library (KCL 3) consuming a
 * Flywheel table's stream while several writers change it: every acknowledged change arrives exactly
 * once, in each item's order, across shard rollovers. The KCL keeps its leases (a table with a global
 * secondary index), its coordinator state and its worker metrics in Flywheel too, so this exercises
 * streams, indexes and the table operations the lease manager uses. Nothing reaches AWS: metrics are
 * off and the CloudWatch client the KCL insists on points at a loopback port nobody listens on.
 */
class KinesisAdapterIT {
    private static final int WRITERS = 4;
    private static final int ITEMS_PER_WRITER = 20;
    private static final int CHANGES_PER_WRITER = 250;
    /** How long the consumer may take to catch up once the writers stop; generous for a shared machine. */
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    /** One change as the writer made it and as the consumer must see it: the event and the item's "v" before and after. */
    record Change(String eventName, String oldValue, String newValue) {}

    /** What the consumer received: per item, each change in arrival order. */
    private final Map<String, List<Change>> received = new ConcurrentHashMap<>();
    private final AtomicInteger receivedCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> consumerErrors = new ConcurrentLinkedQueue<>();
    private final CountDownLatch consuming = new CountDownLatch(1);

    @Test
    void kclConsumerReceivesEveryChangeOfAConcurrentLoadExactlyOnceInItemOrder() throws Exception {
        // Shards older than a moment roll over whenever stream maintenance runs: the consumer has to follow
        // shard lineage (DescribeStream's ShardFilter, parent before child) to stay exactly-once and in order.
        try (InProcessServer server = new InProcessServer(Map.of(), Duration.ofMillis(1));
             DynamoDbClient ddb = Clients.sync(server.endpoint());
             DynamoDbStreamsClient streams = Clients.streams(server.endpoint());
             DynamoDbAsyncClient leases = Clients.async(server.endpoint())) {
            String table = TablesIT.uniqueName("kcl");
            ddb.createTable(b -> b.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            String streamArn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();

            Scheduler scheduler = scheduler(streamArn, table, streams, leases);
            Thread consumer = Thread.ofPlatform().name("kcl-scheduler").daemon().start(scheduler);
            try {
                // The KCL takes its time to start (it waits for other workers, then the lease leader assigns
                // shards): write only once it reads the stream, so that writing and consuming overlap.
                if (!consuming.await(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the KCL worker did not start processing a shard within " + CATCH_UP
                            + " (see the KCL's log in this test's output)");
                }
                Map<String, List<Change>> expected = writeConcurrently(server, ddb, table);
                int total = expected.values().stream().mapToInt(List::size).sum();
                awaitEveryChange(total, expected);

                assertThat(consumerErrors).as("errors in the record processor").isEmpty();
                assertThat(received.keySet()).isEqualTo(expected.keySet());
                for (var item : expected.entrySet()) {
                    assertThat(received.get(item.getKey()))
                            .as("changes of item %s, as received by the KCL consumer", item.getKey())
                            .containsExactlyElementsOf(item.getValue());
                }
            } finally {
                // Not a graceful shutdown: it waits for processors of ended shards long after they are done,
                // and nothing is left to checkpoint here.
                scheduler.shutdown();
                consumer.join(Duration.ofMinutes(1).toMillis());
            }
        }
    }

    /**
     * Runs the writers to completion and returns, per item, the changes they made in order. Each writer
     * owns its items, so its order is the item's order. Every write changes the item (values are unique),
     * so every acknowledged write is exactly one stream record. Meanwhile the stream's shards roll over.
     */
    private Map<String, List<Change>> writeConcurrently(InProcessServer server, DynamoDbClient ddb, String table)
            throws InterruptedException {
        Map<String, List<Change>> expected = new ConcurrentHashMap<>();
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            writers.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                try {
                    write(ddb, table, writer, expected, done);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        // Two rollovers while the load runs, at a third and two thirds of it.
        int total = WRITERS * CHANGES_PER_WRITER;
        for (int third = 1; third <= 2; third++) {
            while (done.get() < total * third / 3 && failures.isEmpty() && writers.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(5);
            }
            server.maintainStreams();
        }
        for (Thread t : writers) t.join();
        assertThat(failures).as("writer failures").isEmpty();
        return expected;
    }

    private static void write(DynamoDbClient ddb, String table, int writer, Map<String, List<Change>> expected,
                              AtomicInteger done) {
        Random random = new Random(writer);
        Map<String, String> current = new java.util.HashMap<>();     // the value each of its items holds, if it exists
        for (int n = 0; n < CHANGES_PER_WRITER; n++) {
            String pk = "w" + writer + "-item" + random.nextInt(ITEMS_PER_WRITER);
            String old = current.get(pk);
            String value = "w" + writer + "-change" + n;
            Change change;
            int op = random.nextInt(3);
            if (op == 0 && old != null) {
                ddb.deleteItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))));
                change = new Change("REMOVE", old, null);
                current.remove(pk);
            } else {
                if (op == 1) {
                    ddb.updateItem(b -> b.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk)))
                            .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
                } else {
                    ddb.putItem(b -> b.tableName(table)
                            .item(Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(value))));
                }
                change = new Change(old == null ? "INSERT" : "MODIFY", old, value);
                current.put(pk, value);
            }
            expected.computeIfAbsent(pk, k -> new ArrayList<>()).add(change);
            done.incrementAndGet();
        }
    }

    /** Waits, boundedly, until the consumer has received as many changes as were made. */
    private void awaitEveryChange(int total, Map<String, List<Change>> expected) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (receivedCount.get() < total && consumerErrors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (receivedCount.get() < total) {
            List<String> behind = new ArrayList<>();
            for (var item : expected.entrySet()) {
                int got = received.getOrDefault(item.getKey(), List.of()).size();
                if (got != item.getValue().size()) behind.add(item.getKey() + " " + got + "/" + item.getValue().size());
            }
            throw new AssertionError("the KCL consumer received " + receivedCount.get() + " of " + total
                    + " changes within " + CATCH_UP + " after the writers stopped; items behind (received/made): "
                    + behind + "; processor errors: " + consumerErrors);
        }
    }

    private Scheduler scheduler(String streamArn, String table, DynamoDbStreamsClient streams, DynamoDbAsyncClient leases)
            throws IOException {
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(streams, Region.US_EAST_1);
        ConfigsBuilder configs = new ConfigsBuilder(
                StreamsSchedulerFactory.createSingleStreamTracker(streamArn,
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                table + "-consumer", adapter, leases, unusedCloudWatch(), "worker-1", Processor::new);
        // ConfigsBuilder makes a new config on each call: keep the one that gets the adapter's polling.
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(
                new DynamoDBStreamsPollingConfig(streamArn, adapter).idleTimeBetweenReadsInMillis(200));
        return StreamsSchedulerFactory.createScheduler(
                configs.checkpointConfig(),
                // A child shard's consumer waits for its parent's to finish: look every half second, not ten.
                configs.coordinatorConfig().parentShardPollIntervalMillis(500),
                configs.leaseManagementConfig().shardSyncIntervalMillis(2_000),
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                retrieval,
                adapter);
    }

    /** The ConfigsBuilder needs a CloudWatch client; with the null metrics factory it is never called. */
    private static CloudWatchAsyncClient unusedCloudWatch() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        return CloudWatchAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(Clients.ACCESS_KEY, Clients.SECRET_KEY)))
                .build();
    }

    /** The adapter's record processor: notes each record and checkpoints after each batch. */
    private final class Processor implements DynamoDBStreamsShardRecordProcessor {
        @Override
        public void initialize(InitializationInput input) {
            consuming.countDown();
        }

        @Override
        public void processRecords(DynamoDBStreamsProcessRecordsInput input) {
            try {
                for (DynamoDBStreamsClientRecord clientRecord : input.records()) {
                    Record record = clientRecord.getRecord();
                    var images = record.dynamodb();
                    String pk = images.keys().get("pk").s();
                    String old = images.hasOldImage() ? images.oldImage().get("v").s() : null;
                    String now = images.hasNewImage() ? images.newImage().get("v").s() : null;
                    received.computeIfAbsent(pk, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                            .add(new Change(record.eventNameAsString(), old, now));
                    receivedCount.incrementAndGet();
                }
                checkpoint(input.checkpointer());
            } catch (RuntimeException e) {
                consumerErrors.add(e.toString());
                throw e;
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {}

        @Override
        public void shardEnded(ShardEndedInput input) {
            // The KCL moves on to the child shards only once the ended shard is checkpointed.
            checkpoint(input.checkpointer());
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            checkpoint(input.checkpointer());
        }

        private void checkpoint(RecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
            } catch (KinesisClientLibException e) {
                consumerErrors.add("checkpoint failed: " + e);
            }
        }
    }
}

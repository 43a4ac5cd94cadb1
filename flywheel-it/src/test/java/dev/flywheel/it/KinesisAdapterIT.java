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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.exceptions.KinesisClientLibException;
import software.amazon.kinesis.leases.LeaseManagementConfig;
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
 *
 * <p>Slow (a minute or more): the KCL waits 1-30 s at random for other workers before it creates leases (a
 * constant of its Scheduler), and a stopped worker's leases must expire before another takes them; its
 * other intervals are shortened here (see {@link #scheduler}), which took the test from ~200 s to ~80 s.
 */
@Tag("slow")
class KinesisAdapterIT {
    private static final int WRITERS = 4;
    private static final int ITEMS_PER_WRITER = 20;
    private static final int CHANGES_PER_WRITER = 150;
    /** How long the consumer may take to catch up once the writers stop; generous for a shared machine. */
    private static final Duration CATCH_UP = Duration.ofMinutes(3);

    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create(Clients.ACCESS_KEY, Clients.SECRET_KEY));

    /** Counts the KCL's calls to Flywheel by operation and outcome ("Query OK", "PutItem ConditionalCheckFailedException"). */
    static final class CallRecorder implements ExecutionInterceptor {
        final Map<String, AtomicInteger> counts = new ConcurrentSkipListMap<>();

        @Override
        public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            count(attributes, "OK");
        }

        @Override
        public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
            Throwable e = context.exception();
            count(attributes, e instanceof AwsServiceException service && service.awsErrorDetails() != null
                    ? service.awsErrorDetails().errorCode() : e.getClass().getSimpleName());
        }

        private void count(ExecutionAttributes attributes, String outcome) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            counts.computeIfAbsent(operation + " " + outcome, k -> new AtomicInteger()).incrementAndGet();
        }
    }

    private final CallRecorder kclCalls = new CallRecorder();

    /** One change as the writer made it and as the consumer must see it: the event and the item's "v" before and after. */
    record Change(String eventName, String oldValue, String newValue) {}

    /** What the consumer received: per item, each change in arrival order. */
    private final Map<String, List<Change>> received = new ConcurrentHashMap<>();
    private final AtomicInteger receivedCount = new AtomicInteger();
    private final AtomicInteger checkpointedCount = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> consumerErrors = new ConcurrentLinkedQueue<>();
    private final CountDownLatch consuming = new CountDownLatch(1);
    /** The clients each worker was built with beyond those the test closes itself. */
    private final List<AutoCloseable> workerClients = new ArrayList<>();

    @Test
    void kclConsumerReceivesEveryChangeOfAConcurrentLoadExactlyOnceInItemOrder() throws Exception {
        // Shards older than a moment roll over whenever stream maintenance runs: the consumer has to follow
        // shard lineage (DescribeStream's ShardFilter, parent before child) to stay exactly-once and in order.
        try (InProcessServer server = new InProcessServer(Map.of(), Duration.ofMillis(1));
             DynamoDbClient ddb = Clients.sync(server.endpoint());
             DynamoDbStreamsClient streams = DynamoDbStreamsClient.builder()
                     .endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                     .httpClient(UrlConnectionHttpClient.create())
                     .overrideConfiguration(c -> c.addExecutionInterceptor(kclCalls).retryStrategy(b -> b.maxAttempts(1))).build();
             DynamoDbAsyncClient leases = DynamoDbAsyncClient.builder()
                     .endpointOverride(server.endpoint()).region(Region.US_EAST_1).credentialsProvider(CREDENTIALS)
                     .httpClient(NettyNioAsyncHttpClient.create())
                     .overrideConfiguration(c -> c.addExecutionInterceptor(kclCalls).retryStrategy(b -> b.maxAttempts(1))).build()) {
            String table = TablesIT.uniqueName("kcl");
            ddb.createTable(b -> b.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST)
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
            String streamArn = ddb.describeTable(b -> b.tableName(table)).table().latestStreamArn();

            Map<String, List<Change>> expected = new ConcurrentHashMap<>();
            List<Writer> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) writers.add(new Writer(w, ddb, table, expected));

            // First worker: writes start once it reads the stream (the KCL takes its time to start: it waits
            // for other workers, then its lease leader assigns shards), so that writing and consuming overlap.
            Scheduler first = scheduler(streamArn, table, streams, leases, "worker-1");
            Thread firstThread = Thread.ofPlatform().name("kcl-worker-1").daemon().start(first);
            try {
                if (!consuming.await(CATCH_UP.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("the KCL worker did not start processing a shard within " + CATCH_UP
                            + " (see the KCL's log in this test's output)");
                }
                writeConcurrently(server, writers);
                awaitEveryChange(expected);
            } finally {
                // Every change received is checkpointed by now (processRecords checkpoints before returning),
                // so a plain shutdown loses nothing; a graceful one waits on processors of long-ended shards.
                first.shutdown();
                firstThread.join(Duration.ofMinutes(1).toMillis());
            }

            // A second worker of the same application takes over the first one's leases once they expire and
            // resumes from its checkpoints (AFTER_SEQUENCE_NUMBER iterators), while the writers go on.
            Scheduler second = scheduler(streamArn, table, streams, leases, "worker-2");
            Thread secondThread = Thread.ofPlatform().name("kcl-worker-2").daemon().start(second);
            try {
                writeConcurrently(server, writers);
                awaitEveryChange(expected);
            } finally {
                second.shutdown();
                secondThread.join(Duration.ofMinutes(1).toMillis());
                for (AutoCloseable client : workerClients) client.close();
            }

            System.out.println("Calls the KCL made to Flywheel, by operation and outcome: " + kclCalls.counts);
            assertThat(consumerErrors).as("errors in the record processor").isEmpty();
            // Conditional writes failing is how the lease manager and its lock client learn of contention, and
            // DescribeTable's ResourceNotFoundException how the KCL learns that it must create its tables;
            // anything else Flywheel answered with an error is something it does not do as DynamoDB does.
            assertThat(kclCalls.counts.keySet())
                    .as("operations that failed for the KCL, other than expected ones")
                    .filteredOn(call -> !call.endsWith(" OK") && !call.endsWith(" ConditionalCheckFailedException")
                            && !call.equals("DescribeTable ResourceNotFoundException"))
                    .isEmpty();
            assertLeaseOwnerIndexMatchesLeaseTable(server, ddb, table + "-consumer");
            assertThat(received.keySet()).isEqualTo(expected.keySet());
            for (var item : expected.entrySet()) {
                assertThat(received.get(item.getKey()))
                        .as("changes of item %s, as received by the KCL consumers", item.getKey())
                        .containsExactlyElementsOf(item.getValue());
            }
        }
    }

    /**
     * The KCL finds a worker's leases with a Query on the lease table's global secondary index
     * (LeaseOwnerToLeaseKeyIndex) while it keeps changing their owners: once index maintenance has caught
     * up, the index holds exactly the leases that have an owner, under that owner.
     */
    private static void assertLeaseOwnerIndexMatchesLeaseTable(InProcessServer server, DynamoDbClient ddb, String leaseTable) {
        server.awaitIndexes();
        TableDescription description = ddb.describeTable(b -> b.tableName(leaseTable)).table();
        assertThat(description.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactly("LeaseOwnerToLeaseKeyIndex");
        Map<String, List<String>> owners = new TreeMap<>();
        for (Map<String, AttributeValue> lease : ddb.scanPaginator(b -> b.tableName(leaseTable).consistentRead(true)).items()) {
            if (lease.containsKey("leaseOwner")) {
                owners.computeIfAbsent(lease.get("leaseOwner").s(), k -> new ArrayList<>()).add(lease.get("leaseKey").s());
            }
        }
        assertThat(owners).as("lease owners").isNotEmpty();
        for (var owner : owners.entrySet()) {
            List<String> indexed = new ArrayList<>();
            for (Map<String, AttributeValue> entry : ddb.queryPaginator(b -> b.tableName(leaseTable)
                    .indexName("LeaseOwnerToLeaseKeyIndex").keyConditionExpression("leaseOwner = :owner")
                    .expressionAttributeValues(Map.of(":owner", AttributeValue.fromS(owner.getKey())))).items()) {
                indexed.add(entry.get("leaseKey").s());
            }
            assertThat(indexed).as("leases of %s in LeaseOwnerToLeaseKeyIndex", owner.getKey())
                    .containsExactlyInAnyOrderElementsOf(owner.getValue());
        }
    }

    /**
     * Runs each writer for {@link #CHANGES_PER_WRITER} more changes, concurrently, rolling the stream's
     * shards over at a third and two thirds of the load.
     */
    private static void writeConcurrently(InProcessServer server, List<Writer> writers) throws InterruptedException {
        AtomicInteger done = new AtomicInteger();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (Writer writer : writers) {
            threads.add(Thread.ofPlatform().name("writer-" + writer.id).start(() -> {
                try {
                    writer.write(CHANGES_PER_WRITER, done);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        int total = writers.size() * CHANGES_PER_WRITER;
        for (int third = 1; third <= 2; third++) {
            while (done.get() < total * third / 3 && failures.isEmpty() && threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(5);
            }
            server.maintainStreams();
        }
        for (Thread t : threads) t.join();
        assertThat(failures).as("writer failures").isEmpty();
    }

    /**
     * Puts, updates and deletes items of its own, noting each change in {@code expected}: a writer owns its
     * items, so its order is the item's order. Every write changes the item (each value is new), so every
     * acknowledged write is exactly one stream record.
     */
    private static final class Writer {
        final int id;
        private final DynamoDbClient ddb;
        private final String table;
        private final Map<String, List<Change>> expected;
        private final Random random;
        private final Map<String, String> current = new HashMap<>();   // the value each of its items holds, if it exists
        private int changes;

        Writer(int id, DynamoDbClient ddb, String table, Map<String, List<Change>> expected) {
            this.id = id;
            this.ddb = ddb;
            this.table = table;
            this.expected = expected;
            this.random = new Random(id);
        }

        void write(int count, AtomicInteger done) {
            for (int i = 0; i < count; i++) {
                String pk = "w" + id + "-item" + random.nextInt(ITEMS_PER_WRITER);
                Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS(pk));
                String old = current.get(pk);
                String value = "w" + id + "-change" + changes++;
                Change change;
                int op = random.nextInt(3);
                if (op == 0 && old != null) {
                    ddb.deleteItem(b -> b.tableName(table).key(key));
                    change = new Change("REMOVE", old, null);
                    current.remove(pk);
                } else {
                    if (op == 1) {
                        ddb.updateItem(b -> b.tableName(table).key(key).updateExpression("SET v = :v")
                                .expressionAttributeValues(Map.of(":v", AttributeValue.fromS(value))));
                    } else {
                        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "v", AttributeValue.fromS(value))));
                    }
                    change = new Change(old == null ? "INSERT" : "MODIFY", old, value);
                    current.put(pk, value);
                }
                expected.computeIfAbsent(pk, k -> java.util.Collections.synchronizedList(new ArrayList<>())).add(change);
                done.incrementAndGet();
            }
        }
    }

    /** Waits, boundedly, until the consumers have received and checkpointed as many changes as were made. */
    private void awaitEveryChange(Map<String, List<Change>> expected) throws InterruptedException {
        int total = expected.values().stream().mapToInt(List::size).sum();
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (checkpointedCount.get() < total && consumerErrors.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (checkpointedCount.get() < total) {
            List<String> behind = new ArrayList<>();
            for (var item : expected.entrySet()) {
                int got = received.getOrDefault(item.getKey(), List.of()).size();
                if (got != item.getValue().size()) behind.add(item.getKey() + " " + got + "/" + item.getValue().size());
            }
            throw new AssertionError("the KCL consumer received " + receivedCount.get() + " and checkpointed "
                    + checkpointedCount.get() + " of " + total
                    + " changes within " + CATCH_UP + " after the writers stopped; items behind (received/made): "
                    + behind + "; processor errors: " + consumerErrors);
        }
    }

    private Scheduler scheduler(String streamArn, String table, DynamoDbStreamsClient streams, DynamoDbAsyncClient leases,
                                String workerId) throws IOException {
        AmazonDynamoDBStreamsAdapterClient adapter = new AmazonDynamoDBStreamsAdapterClient(streams, Region.US_EAST_1);
        ConfigsBuilder configs = new ConfigsBuilder(
                StreamsSchedulerFactory.createSingleStreamTracker(streamArn,
                        InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON)),
                table + "-consumer", adapter, leases, unusedCloudWatch(), workerId, Processor::new);
        // ConfigsBuilder makes a new config on each call: keep the one that gets the adapter's polling.
        RetrievalConfig retrieval = configs.retrievalConfig().retrievalSpecificConfig(
                new DynamoDBStreamsPollingConfig(streamArn, adapter).idleTimeBetweenReadsInMillis(200));
        // The KCL's lease intervals suit a fleet that runs for days, not a test: its leader assigns leases
        // every 20 s (twice the failover time) and a worker looks for the leases assigned to it every 10 s,
        // so each shard the stream rolls over to waited ~20-30 s for a consumer; a stopped worker's leases
        // expire, and Scheduler.shutdown() gives up waiting, only after the 10 s failover time. The same
        // protocol on a shorter clock: assignments every second (discovery every half), leases that expire
        // after 5 s (renewed every ~1.6 s), and worker metrics reported every second. The leader assigns
        // leases only to workers whose metrics are fresher than two reports: at the default 30 s a stopped
        // worker-1 would look alive for a minute, and the leader, balancing every few seconds, would hand
        // it leases that worker-2 holds (to expire there and come back).
        LeaseManagementConfig leaseManagement = configs.leaseManagementConfig().shardSyncIntervalMillis(2_000)
                .failoverTimeMillis(5_000).leaseAssignmentIntervalMillis(1_000L);
        leaseManagement.workerUtilizationAwareAssignmentConfig().workerMetricsReporterFreqInMillis(1_000);
        return StreamsSchedulerFactory.createScheduler(
                configs.checkpointConfig(),
                // A child shard's consumer waits for its parent's to finish: look every half second, not ten.
                configs.coordinatorConfig().parentShardPollIntervalMillis(500),
                leaseManagement,
                configs.lifecycleConfig(),
                configs.metricsConfig().metricsFactory(new NullMetricsFactory()),
                configs.processorConfig(),
                retrieval,
                adapter);
    }

    /** The ConfigsBuilder needs a CloudWatch client; with the null metrics factory it is never called. */
    private CloudWatchAsyncClient unusedCloudWatch() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        CloudWatchAsyncClient cloudWatch = CloudWatchAsyncClient.builder()
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS)
                .overrideConfiguration(c -> c.addExecutionInterceptor(kclCalls))
                .build();
        workerClients.add(cloudWatch);
        return cloudWatch;
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
                if (checkpoint(input.checkpointer())) checkpointedCount.addAndGet(input.records().size());
            } catch (RuntimeException e) {
                consumerErrors.add(e.toString());
                throw e;
            }
        }

        @Override
        public void leaseLost(LeaseLostInput input) {}

        @Override
        public void shardEnded(ShardEndedInput input) {
            // The KCL moves on to the child shards only once the ended shard is checkpointed. Should that fail
            // (a worker shutting down), the next owner finds the shard's end again: no change is lost or repeated.
            try {
                input.checkpointer().checkpoint();
            } catch (KinesisClientLibException e) {
                System.out.println("shard end checkpoint failed: " + e);
            }
        }

        @Override
        public void shutdownRequested(ShutdownRequestedInput input) {
            // Nothing to do: every batch was checkpointed as it was processed.
        }

        private boolean checkpoint(RecordProcessorCheckpointer checkpointer) {
            try {
                checkpointer.checkpoint();
                return true;
            } catch (KinesisClientLibException e) {
                consumerErrors.add("checkpoint failed: " + e);
                return false;
            }
        }
    }
}

package dev.flywheel.accelerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.client.RemoteDynamoDb;
import dev.flywheel.client.RemoteDynamoDbStreams;
import dev.flywheel.client.Target;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * The accelerator in front of a real Flywheel server, both over HTTP, driven with the AWS SDK v2. The
 * target has no streams here, so a write straight to the target shows whether an answer came from the
 * cache: it is served unchanged until the entry is dropped or expires.
 */
class AcceleratorTest {
    static FlywheelTarget target;
    static FakeTicker ticker;
    static SimpleMeterRegistry registry;
    static Accelerator accelerator;
    static FlywheelServer server;
    static DynamoDbClient direct;
    static DynamoDbClient accelerated;

    String table;

    @BeforeAll
    static void start() {
        target = new FlywheelTarget();
        ticker = new FakeTicker();
        registry = new SimpleMeterRegistry();
        accelerator = accelerator(target.endpoint(), AcceleratorConfig.defaults(), registry);
        server = new FlywheelServer(ServerConfig.defaults().withPort(0), accelerator.api());
        direct = client(target.endpoint(), FlywheelTarget.ACCESS_KEY, FlywheelTarget.SECRET_KEY);
        accelerated = client(URI.create("http://127.0.0.1:" + server.start().getPort()), "AKIDAPP", "app-secret");
    }

    static Accelerator accelerator(URI endpoint, AcceleratorConfig config, SimpleMeterRegistry metrics) {
        Target to = Target.of(endpoint, new RequestSigner(FlywheelTarget.ACCESS_KEY, FlywheelTarget.SECRET_KEY, "us-east-1", "dynamodb"))
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2));
        return new Accelerator(new RemoteDynamoDb(to), new RemoteDynamoDbStreams(to), config, metrics, ticker, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        accelerated.close();
        direct.close();
        server.close();
        accelerator.close();
        target.close();
    }

    static DynamoDbClient client(URI endpoint, String accessKey, String secretKey) {
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    @BeforeEach
    void createTable() {
        table = "t" + UUID.randomUUID().toString().substring(0, 8);
        direct.createTable(b -> b.tableName(table)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"), a -> a.attributeName("sk").attributeType("N"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"), k -> k.attributeName("sk").keyType("RANGE"))
                .billingMode("PAY_PER_REQUEST"));
    }

    static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", s(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    static Map<String, AttributeValue> item(String pk, int sk, String value) {
        return Map.of("pk", s(pk), "sk", AttributeValue.fromN(Integer.toString(sk)), "v", s(value));
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static double count(String name, String cache) {
        var counter = registry.find(name).tag("cache", cache).counter();
        return counter == null ? 0 : counter.count();
    }

    static double evictions(SimpleMeterRegistry metrics, String cache) {
        return metrics.find("accelerator.cache.evictions").tag("cache", cache).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        return accelerated.getItem(b -> b.tableName(table).key(key)).item();
    }

    @Test
    void enableStreamsTurnsOnAStreamToSeeWritesThatBypassTheAccelerator() throws Exception {
        direct.putItem(b -> b.tableName(table).item(item("a", 1, "one")));
        assertThat(get(key("a", 1))).isEqualTo(item("a", 1, "one")); // the default accelerator: no stream, TTL only
        try (Accelerator streaming = accelerator(target.endpoint(), AcceleratorConfig.defaults().withEnableStreams(true),
                        new SimpleMeterRegistry());
                FlywheelServer front = new FlywheelServer(ServerConfig.defaults().withPort(0), streaming.api());
                DynamoDbClient through = client(URI.create("http://127.0.0.1:" + front.start().getPort()), "AKIDAPP", "app-secret")) {
            assertThat(through.getItem(b -> b.tableName(table).key(key("a", 1))).item()).isEqualTo(item("a", 1, "one"));
            var stream = direct.describeTable(b -> b.tableName(table)).table().streamSpecification();
            assertThat(stream.streamEnabled()).isTrue();
            assertThat(stream.streamViewTypeAsString()).isEqualTo("KEYS_ONLY");

            direct.putItem(b -> b.tableName(table).item(item("a", 1, "two")));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Map<String, AttributeValue> seen;
            do {
                Thread.sleep(50);
                seen = through.getItem(b -> b.tableName(table).key(key("a", 1))).item();
            } while (!seen.equals(item("a", 1, "two")) && System.nanoTime() < deadline);
            assertThat(seen).isEqualTo(item("a", 1, "two"));
        }
        // The accelerator that follows no stream still serves what it cached: the difference the option makes.
        assertThat(get(key("a", 1))).isEqualTo(item("a", 1, "one"));
    }

    @Test
    void getItemMissesOnceThenHits() {
        direct.putItem(b -> b.tableName(table).item(item("a", 1, "one")));
        double hits = count("accelerator.cache.hits", "item");
        double misses = count("accelerator.cache.misses", "item");

        assertThat(get(key("a", 1))).containsEntry("v", s("one"));
        assertThat(get(key("a", 1))).containsEntry("v", s("one"));

        assertThat(count("accelerator.cache.misses", "item") - misses).isEqualTo(1);
        assertThat(count("accelerator.cache.hits", "item") - hits).isEqualTo(1);
        // Proof that the second answer came from the cache: a write behind its back is not seen.
        direct.putItem(b -> b.tableName(table).item(item("a", 1, "changed")));
        assertThat(get(key("a", 1))).containsEntry("v", s("one"));
    }

    @Test
    void missingItemsAreCachedAsMissing() {
        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("none", 1))).hasItem()).isFalse();
        double hits = count("accelerator.cache.hits", "item");
        direct.putItem(b -> b.tableName(table).item(item("none", 1, "now here")));

        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("none", 1))).hasItem()).isFalse();
        assertThat(count("accelerator.cache.hits", "item") - hits).isEqualTo(1);
    }

    @Test
    void consistentReadsPassThrough() {
        direct.putItem(b -> b.tableName(table).item(item("c", 1, "one")));
        get(key("c", 1));
        direct.putItem(b -> b.tableName(table).item(item("c", 1, "two")));
        double hits = count("accelerator.cache.hits", "item");

        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("c", 1)).consistentRead(true)).item())
                .containsEntry("v", s("two"));
        assertThat(count("accelerator.cache.hits", "item")).isEqualTo(hits);
    }

    @Test
    void projectionsAreCachedApart() {
        direct.putItem(b -> b.tableName(table).item(item("p", 1, "one")));
        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("p", 1)).projectionExpression("v")).item())
                .isEqualTo(Map.of("v", s("one")));
        assertThat(get(key("p", 1))).isEqualTo(item("p", 1, "one"));
        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("p", 1)).projectionExpression("v")).item())
                .isEqualTo(Map.of("v", s("one")));
    }

    @Test
    void writesGoThroughToTheTargetAndTheCache() {
        double misses = count("accelerator.cache.misses", "item");
        accelerated.putItem(b -> b.tableName(table).item(item("w", 1, "put")));
        assertThat(direct.getItem(b -> b.tableName(table).key(key("w", 1))).item()).containsEntry("v", s("put"));
        assertThat(get(key("w", 1))).isEqualTo(item("w", 1, "put"));
        assertThat(count("accelerator.cache.misses", "item")).isEqualTo(misses); // the put filled the cache

        accelerated.updateItem(b -> b.tableName(table).key(key("w", 1)).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("updated"))));
        assertThat(get(key("w", 1))).containsEntry("v", s("updated"));

        accelerated.updateItem(b -> b.tableName(table).key(key("w", 1)).updateExpression("SET v = :v")
                .expressionAttributeValues(Map.of(":v", s("all new"))).returnValues(ReturnValue.ALL_NEW));
        misses = count("accelerator.cache.misses", "item");
        assertThat(get(key("w", 1))).containsEntry("v", s("all new"));
        assertThat(count("accelerator.cache.misses", "item")).isEqualTo(misses);

        accelerated.deleteItem(b -> b.tableName(table).key(key("w", 1)));
        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("w", 1))).hasItem()).isFalse();
        assertThat(count("accelerator.cache.misses", "item")).isEqualTo(misses);
    }

    @Test
    void numbersTheTargetNormalizesAreNotCachedAsWritten() {
        accelerated.putItem(b -> b.tableName(table).item(Map.of("pk", s("n"), "sk", AttributeValue.fromN("1"),
                "price", AttributeValue.fromN("1.50"))));
        assertThat(get(key("n", 1))).containsEntry("price", AttributeValue.fromN("1.5"));
    }

    @Test
    void aKeyNumberSpelledAnotherWayNamesTheSameItem() {
        direct.putItem(b -> b.tableName(table).item(item("spell", 1, "old")));
        assertThat(get(key("spell", 1))).containsEntry("v", s("old"));
        accelerated.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", s("spell"), "sk", AttributeValue.fromN("1.00")))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v", s("new"))));
        assertThat(get(key("spell", 1))).containsEntry("v", s("new"));
    }

    @Test
    void batchGetItemCombinesHitsAndMisses() {
        direct.putItem(b -> b.tableName(table).item(item("b", 1, "one")));
        direct.putItem(b -> b.tableName(table).item(item("b", 2, "two")));
        get(key("b", 1));
        double hits = count("accelerator.cache.hits", "item");

        var answer = accelerated.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(key("b", 1), key("b", 2), key("b", 3)).build())));
        assertThat(answer.responses().get(table)).containsExactlyInAnyOrder(item("b", 1, "one"), item("b", 2, "two"));
        assertThat(count("accelerator.cache.hits", "item") - hits).isEqualTo(1);

        // Now all three are cached, the missing one as missing.
        direct.putItem(b -> b.tableName(table).item(item("b", 3, "three")));
        answer = accelerated.batchGetItem(b -> b.requestItems(Map.of(table,
                KeysAndAttributes.builder().keys(key("b", 1), key("b", 2), key("b", 3)).build())));
        assertThat(answer.responses().get(table)).containsExactlyInAnyOrder(item("b", 1, "one"), item("b", 2, "two"));
        assertThat(count("accelerator.cache.hits", "item") - hits).isEqualTo(4);
    }

    @Test
    void queriesAreCachedUntilAWriteToTheirTable() {
        direct.putItem(b -> b.tableName(table).item(item("q", 1, "one")));
        direct.putItem(b -> b.tableName(table).item(item("q", 2, "two")));
        var query = (java.util.function.Supplier<List<Map<String, AttributeValue>>>) () -> accelerated.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :pk").expressionAttributeValues(Map.of(":pk", s("q")))).items();
        double hits = count("accelerator.cache.hits", "query");

        assertThat(query.get()).hasSize(2);
        direct.putItem(b -> b.tableName(table).item(item("q", 3, "three")));
        assertThat(query.get()).hasSize(2); // served from the cache
        assertThat(count("accelerator.cache.hits", "query") - hits).isEqualTo(1);

        accelerated.putItem(b -> b.tableName(table).item(item("q", 4, "four")));
        assertThat(query.get()).hasSize(4);
        assertThat(accelerated.scan(b -> b.tableName(table)).items()).hasSize(4);
    }

    @Test
    void entriesExpireAfterTheirTtl() {
        direct.putItem(b -> b.tableName(table).item(item("ttl", 1, "old")));
        get(key("ttl", 1));
        direct.putItem(b -> b.tableName(table).item(item("ttl", 1, "new")));
        ticker.advance(Duration.ofMinutes(4));
        assertThat(get(key("ttl", 1))).containsEntry("v", s("old"));

        double expired = evictions(registry, "item");
        ticker.advance(Duration.ofMinutes(1));
        assertThat(get(key("ttl", 1))).containsEntry("v", s("new"));
        accelerator.cleanUp();
        assertThat(evictions(registry, "item")).isGreaterThan(expired);
    }

    @Test
    void theSizeBoundEvicts() {
        SimpleMeterRegistry metrics = new SimpleMeterRegistry();
        try (Accelerator small = accelerator(target.endpoint(), AcceleratorConfig.defaults().withMaxBytes(64 * 1024), metrics)) {
            String big = "x".repeat(1000);
            for (int i = 0; i < 200; i++) {
                int sk = i;
                direct.putItem(b -> b.tableName(table).item(item("big", sk, big)));
                small.api().getItem(dev.flywheel.model.shapes.GetItemInput.builder().tableName(table)
                        .key(Map.of("pk", dev.flywheel.model.AttributeValue.s("big"), "sk", dev.flywheel.model.AttributeValue.n(sk)))
                        .build());
            }
            small.cleanUp();
            assertThat(evictions(metrics, "item")).isGreaterThan(100);
        }
    }

    @Test
    void targetErrorsPassThroughUnchanged() {
        DynamoDbException viaTarget = catchError(() -> direct.getItem(b -> b.tableName("no-such-table").key(key("a", 1))));
        DynamoDbException viaAccelerator = catchError(() -> accelerated.getItem(b -> b.tableName("no-such-table").key(key("a", 1))));
        assertThat(viaAccelerator).isInstanceOf(ResourceNotFoundException.class);
        assertThat(viaAccelerator.awsErrorDetails().errorMessage()).isEqualTo(viaTarget.awsErrorDetails().errorMessage());

        accelerated.putItem(b -> b.tableName(table).item(item("cond", 1, "one")));
        assertThatThrownBy(() -> accelerated.putItem(b -> b.tableName(table).item(item("cond", 1, "two"))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class)
                .hasMessageContaining("The conditional request failed");
        assertThat(get(key("cond", 1))).containsEntry("v", s("one"));

        DynamoDbException badKey = catchError(() -> accelerated.getItem(b -> b.tableName(table).key(Map.of("pk", s("x")))));
        DynamoDbException badKeyDirect = catchError(() -> direct.getItem(b -> b.tableName(table).key(Map.of("pk", s("x")))));
        assertThat(badKey.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(badKey.awsErrorDetails().errorMessage()).isEqualTo(badKeyDirect.awsErrorDetails().errorMessage());
    }

    @Test
    void transactionsWriteThroughAndTransactGetItemsPassesThrough() {
        direct.putItem(b -> b.tableName(table).item(item("tx", 1, "old")));
        direct.putItem(b -> b.tableName(table).item(item("tx", 2, "old")));
        get(key("tx", 1));
        get(key("tx", 2));

        accelerated.transactWriteItems(b -> b.transactItems(
                t -> t.update(u -> u.tableName(table).key(key("tx", 1)).updateExpression("SET v = :v")
                        .expressionAttributeValues(Map.of(":v", s("new")))),
                t -> t.delete(d -> d.tableName(table).key(key("tx", 2)))));
        assertThat(get(key("tx", 1))).containsEntry("v", s("new"));
        assertThat(accelerated.getItem(b -> b.tableName(table).key(key("tx", 2))).hasItem()).isFalse();

        direct.putItem(b -> b.tableName(table).item(item("tx", 1, "newer")));
        assertThat(accelerated.transactGetItems(b -> b.transactItems(t -> t.get(g -> g.tableName(table).key(key("tx", 1)))))
                .responses().get(0).item()).containsEntry("v", s("newer"));

        var cancelled = catchError(() -> accelerated.transactWriteItems(b -> b.transactItems(
                t -> t.conditionCheck(c -> c.tableName(table).key(key("tx", 1)).conditionExpression("attribute_not_exists(pk)")))));
        assertThat(cancelled).isInstanceOf(software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException.class);
        assertThat(((software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException) cancelled).cancellationReasons())
                .singleElement().satisfies(r -> assertThat(r.code()).isEqualTo("ConditionalCheckFailed"));
    }

    @Test
    void streamsOperationsAreForwarded() {
        String streamed = table + "s";
        direct.createTable(b -> b.tableName(streamed)
                .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                .billingMode("PAY_PER_REQUEST")
                .streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY")));
        try (var streams = software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient.builder()
                .endpointOverride(accelerated.serviceClientConfiguration().endpointOverride().orElseThrow())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDAPP", "app-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            assertThat(streams.listStreams(b -> b.tableName(streamed)).streams())
                    .singleElement().satisfies(s -> assertThat(s.tableName()).isEqualTo(streamed));
        }
    }

    @Test
    void anUnreachableTargetIsAnInternalServerError() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (Accelerator orphan = accelerator(URI.create("http://127.0.0.1:" + closedPort), AcceleratorConfig.defaults(), new SimpleMeterRegistry());
                FlywheelServer front = new FlywheelServer(ServerConfig.defaults().withPort(0), orphan.api());
                DynamoDbClient client = client(URI.create("http://127.0.0.1:" + front.start().getPort()), "AKIDAPP", "app-secret")) {
            DynamoDbException error = catchError(() -> client.getItem(b -> b.tableName(table).key(key("a", 1))));
            assertThat(error.statusCode()).isEqualTo(500);
            assertThat(error.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
        }
    }

    @Test
    void aTargetThatNeverAnswersTimesOut() throws Exception {
        try (var silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                Accelerator stuck = accelerator(URI.create("http://127.0.0.1:" + silent.getLocalPort()), AcceleratorConfig.defaults(), new SimpleMeterRegistry())) {
            // Connections are accepted by the backlog and never answered.
            assertThatThrownBy(() -> stuck.api().listTables(dev.flywheel.model.shapes.ListTablesInput.builder().build()))
                    .isInstanceOf(dev.flywheel.model.DynamoDbException.InternalServerError.class);
        }
    }

    private static DynamoDbException catchError(Runnable call) {
        try {
            call.run();
        } catch (DynamoDbException e) {
            return e;
        }
        throw new AssertionError("expected an error");
    }
}

package dev.flywheel.accelerator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.client.Target;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The "never stale" check of issue 12: a writer writes straight to the target while a reader reads
 * through the accelerator; after each write the reader sees the new value once the stream brought it
 * (within the stream's lag), and never the old one after that. The target must have streams.
 */
final class StalenessScenario {
    private StalenessScenario() {}

    /** Runs the scenario against {@code target}, whose key the accelerator and the writer both use. */
    static void run(URI target, String accessKey, String secretKey) throws InterruptedException {
        RequestSigner signer = new RequestSigner(accessKey, secretKey, "us-east-1", "dynamodb");
        Target to = Target.of(target, signer);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (Accelerator accelerator = Accelerator.of(to, AcceleratorConfig.defaults(), registry);
                FlywheelServer server = new FlywheelServer(ServerConfig.defaults().withPort(0), accelerator.api());
                DynamoDbClient writer = AcceleratorTest.client(target, accessKey, secretKey);
                DynamoDbClient reader = AcceleratorTest.client(URI.create("http://127.0.0.1:" + server.start().getPort()), "AKIDAPP", "app")) {
            String table = "stale" + UUID.randomUUID().toString().substring(0, 8);
            writer.createTable(b -> b.tableName(table)
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST")
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType("KEYS_ONLY")));
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("hot"));
            writer.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("hot"), "v", AttributeValue.fromN("0"))));
            assertThat(reader.getItem(b -> b.tableName(table).key(key)).item()).containsEntry("v", AttributeValue.fromN("0"));

            long worstLagNanos = 0;
            for (int i = 1; i <= 20; i++) {
                AttributeValue value = AttributeValue.fromN(Integer.toString(i));
                writer.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS("hot"), "v", value)));
                long written = System.nanoTime();
                long deadline = written + Duration.ofSeconds(30).toNanos();
                while (!value.equals(reader.getItem(b -> b.tableName(table).key(key)).item().get("v"))) {
                    assertThat(System.nanoTime()).as("write %d not seen through the accelerator within 30 s", i).isLessThan(deadline);
                    Thread.sleep(5);
                }
                worstLagNanos = Math.max(worstLagNanos, System.nanoTime() - written);
                for (int again = 0; again < 5; again++) {
                    assertThat(reader.getItem(b -> b.tableName(table).key(key)).item()).containsEntry("v", value);
                }
            }
            System.out.printf("staleness: worst time to see a bypassing write through the accelerator: %d ms;"
                    + " last stream lag gauge: %.0f ms%n", worstLagNanos / 1_000_000,
                    registry.get("accelerator.stream.lag.millis").gauge().value());
            assertThat(registry.get("accelerator.cache.hits").tag("cache", "item").counter().count()).isPositive();
        }
    }
}

package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * {@code flywheel accelerate} as users start it, in front of a Flywheel server: the SDK works through
 * it, reads after a write are served from its cache, and its Prometheus endpoint shows so (issue 12).
 */
@Tag("slow")
class AcceleratorCliIT {

    @Test
    void theAcceleratorServesTheDynamoDbApiInFrontOfATarget() throws Exception {
        try (InProcessServer target = new InProcessServer();
                ServerProcess accelerator = ServerProcess.accelerate(target.endpoint(), "--metrics-port", "0", "--ttl", "1m");
                DynamoDbClient client = Clients.sync(accelerator.endpoint())) {
            client.createTable(b -> b.tableName("accelerated")
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST"));
            Map<String, AttributeValue> item = Map.of("pk", AttributeValue.fromS("a"), "v", AttributeValue.fromS("one"));
            client.putItem(b -> b.tableName("accelerated").item(item));
            assertThat(client.getItem(b -> b.tableName("accelerated").key(Map.of("pk", AttributeValue.fromS("a")))).item())
                    .isEqualTo(item);
            try (DynamoDbClient direct = Clients.sync(target.endpoint())) {
                assertThat(direct.getItem(b -> b.tableName("accelerated").key(Map.of("pk", AttributeValue.fromS("a")))).item())
                        .isEqualTo(item);
            }

            Matcher metrics = Pattern.compile("metrics on (http://[0-9.]+:[0-9]+/metrics)").matcher(accelerator.output());
            assertThat(metrics.find()).as(accelerator.output()).isTrue();
            String scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scraped).contains("accelerator_cache_hits_total{cache=\"item\"} 1.0");
            assertThat(scraped).contains("flywheel_requests_seconds_count{operation=\"GetItem\",outcome=\"ok\"} 1");
            assertThat(accelerator.stop()).isEqualTo(143);
        }
    }

    /** {@code serve --accelerator-port P --metrics-port M}: one endpoint shows the server's and the accelerator's meters. */
    @Test
    void serveShowsItsAndItsAcceleratorsMetrics(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.jar(dataDir, "--accelerator-port", "0", "--metrics-port", "0");
                DynamoDbClient direct = Clients.sync(server.endpoint())) {
            Matcher port = Pattern.compile("Accelerator listening on port ([0-9]+)").matcher(server.output());
            assertThat(port.find()).as(server.output()).isTrue();
            direct.createTable(b -> b.tableName("metered")
                    .attributeDefinitions(a -> a.attributeName("pk").attributeType("S"))
                    .keySchema(k -> k.attributeName("pk").keyType("HASH"))
                    .billingMode("PAY_PER_REQUEST"));
            Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("a"));
            direct.putItem(b -> b.tableName("metered").item(key));
            assertThatThrownBy(() -> direct.putItem(b -> b.tableName("metered").item(key).conditionExpression("attribute_not_exists(pk)")))
                    .isInstanceOf(ConditionalCheckFailedException.class);
            try (DynamoDbClient accelerated = Clients.sync(URI.create("http://127.0.0.1:" + port.group(1)))) {
                accelerated.getItem(b -> b.tableName("metered").key(key));
                accelerated.getItem(b -> b.tableName("metered").key(key));
            }

            Matcher metrics = Pattern.compile("metrics on (http://[0-9.]+:[0-9]+/metrics)").matcher(server.output());
            assertThat(metrics.find()).as(server.output()).isTrue();
            String scraped = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metrics.group(1))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(scraped)
                    .contains("flywheel_requests_seconds_count{operation=\"PutItem\",outcome=\"ok\"} 1")
                    .contains("flywheel_requests_seconds_count{operation=\"PutItem\",outcome=\"ConditionalCheckFailedException\"} 1")
                    .contains("accelerator_cache_hits_total{cache=\"item\"} 1.0")
                    .contains("accelerator_cache_misses_total{cache=\"item\"} 1.0")
                    .contains("jvm_memory_used_bytes");
            assertThat(server.stop()).isEqualTo(143);
        }
    }
}

package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.CancellationReason;
import dev.flywheel.protocol.json.ErrorJson;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The SDK v2 reads the cancellation reasons out of the error body Flywheel renders. Transactions are
 * not served yet, so a loopback stub answers every request with {@link ErrorJson}'s rendering of one
 * cancelled transaction; this pins the wire form the engine's transactions will answer with.
 */
class CancellationReasonsWireIT {

    @Test
    void theSdkParsesCodesMessagesAndItems() throws Exception {
        String message = "Transaction cancelled, please refer cancellation reasons for specific reasons"
                + " [None, ConditionalCheckFailed]";
        byte[] body = ErrorJson.render(new DynamoDbException.TransactionCanceledException(message, List.of(
                CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed")
                        .item(Map.of("pk", AttributeValue.s("a"))).build())));
        HttpServer stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        stub.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(400, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        stub.start();
        try (DynamoDbClient client = Clients.sync(URI.create("http://127.0.0.1:" + stub.getAddress().getPort()))) {
            TransactionCanceledException e = catchThrowableOfType(TransactionCanceledException.class,
                    () -> client.transactWriteItems(r -> r.transactItems(t -> t.conditionCheck(c -> c
                            .tableName("t").key(Map.of()).conditionExpression("attribute_exists(pk)")))));
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
            assertThat(e.cancellationReasons()).hasSize(2);
            assertThat(e.cancellationReasons().get(0).code()).isEqualTo("None");
            assertThat(e.cancellationReasons().get(1).code()).isEqualTo("ConditionalCheckFailed");
            assertThat(e.cancellationReasons().get(1).message()).isEqualTo("The conditional request failed");
            assertThat(e.cancellationReasons().get(1).item().get("pk").s()).isEqualTo("a");
        } finally {
            stub.stop(0);
        }
    }
}

package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;

/**
 * The server on a real socket, called by the AWS SDK for Java v2 (both HTTP clients, which check the
 * CRC32 of every response) and by hand where the SDK hides the wire.
 */
@Timeout(60)
class FlywheelServerTest {
    private static final String ACCESS_KEY = "AKIDFLYWHEELTEST";
    private static final String SECRET_KEY = "flywheel/test+secret";
    private static final String NOT_FOUND = "Requested resource not found: Table: missing not found";

    /** ListTables answers one table; DescribeTable a DynamoDB error; DeleteTable fails unexpectedly. */
    private static TestInvoker scriptedInvoker() {
        return new TestInvoker(target -> switch (target.operation()) {
            case "ListTables" -> "{\"TableNames\":[\"a\"]}";
            case "DescribeTable" -> throw new ResourceNotFoundException(NOT_FOUND);
            case "DeleteTable" -> throw new IllegalStateException("a bug in the engine");
            default -> throw new UnknownOperationException(null);
        });
    }

    private static FlywheelServer start(ServerConfig config, RequestInvoker invoker) {
        return new FlywheelServer(config, invoker, Clock.systemUTC());
    }

    @Nested
    class WithTheSdk {
        private static FlywheelServer server;
        private static URI endpoint;

        @BeforeAll
        static void startServer() {
            server = start(ServerConfig.defaults().withPort(0).withCredentials(Map.of(ACCESS_KEY, SECRET_KEY)),
                    scriptedInvoker());
            InetSocketAddress address = server.start();
            endpoint = URI.create("http://" + address.getHostString() + ":" + address.getPort());
        }

        @AfterAll
        static void stopServer() {
            server.close();
        }

        private static DynamoDbClient syncClient(String accessKey, String secretKey) {
            return DynamoDbClient.builder()
                    .endpointOverride(endpoint)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)))
                    .httpClient(UrlConnectionHttpClient.create())
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
        }

        private static DynamoDbAsyncClient asyncClient() {
            return DynamoDbAsyncClient.builder()
                    .endpointOverride(endpoint)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                    .httpClient(NettyNioAsyncHttpClient.create())
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                    .build();
        }

        @Test
        void theSyncClientParsesAResult() {
            try (DynamoDbClient client = syncClient(ACCESS_KEY, SECRET_KEY)) {
                assertThat(client.listTables().tableNames()).containsExactly("a");
                assertThat(client.listTables().tableNames()).containsExactly("a"); // again, on the kept-alive connection
            }
        }

        @Test
        void theSyncClientParsesADynamoDbError() {
            try (DynamoDbClient client = syncClient(ACCESS_KEY, SECRET_KEY)) {
                assertThatThrownBy(() -> client.describeTable(r -> r.tableName("missing")))
                        .isInstanceOfSatisfying(
                                software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class, e -> {
                                    assertThat(e.statusCode()).isEqualTo(400);
                                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ResourceNotFoundException");
                                    assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(NOT_FOUND);
                                    assertThat(e.requestId()).matches("[A-Z0-9]{52}");
                                });
            }
        }

        @Test
        void anUnexpectedFailureReachesTheClientAs500() {
            try (DynamoDbClient client = syncClient(ACCESS_KEY, SECRET_KEY)) {
                assertThatThrownBy(() -> client.deleteTable(r -> r.tableName("a")))
                        .isInstanceOfSatisfying(InternalServerErrorException.class, e -> {
                            assertThat(e.statusCode()).isEqualTo(500);
                            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InternalServerError");
                        });
            }
        }

        @Test
        void aWrongSecretIsAnInvalidSignature() {
            try (DynamoDbClient client = syncClient(ACCESS_KEY, "not-the-secret")) {
                assertThatThrownBy(client::listTables).isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidSignatureException");
                    assertThat(e.awsErrorDetails().errorMessage()).startsWith(
                            "The request signature we calculated does not match the signature you provided.");
                });
            }
        }

        @Test
        void anUnknownAccessKeyIsAnUnrecognizedClient() {
            try (DynamoDbClient client = syncClient("AKIDSOMEONEELSE", SECRET_KEY)) {
                assertThatThrownBy(client::listTables).isInstanceOfSatisfying(DynamoDbException.class, e -> {
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
                    assertThat(e.awsErrorDetails().errorMessage())
                            .isEqualTo("The security token included in the request is invalid.");
                });
            }
        }

        @Test
        void theAsyncClientParsesResultsAndErrors() {
            try (DynamoDbAsyncClient client = asyncClient()) {
                assertThat(client.listTables().join().tableNames()).containsExactly("a");
                assertThatThrownBy(() -> client.describeTable(r -> r.tableName("missing")).join())
                        .isInstanceOf(CompletionException.class)
                        .cause()
                        .isInstanceOfSatisfying(
                                software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException.class,
                                e -> assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(NOT_FOUND));
            }
        }

        @Test
        void getIsAnsweredAsDynamoDbsHealthCheck() throws Exception {
            try (HttpClient http = HttpClient.newHttpClient()) {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(endpoint.resolve("/")).GET().build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("healthy: dynamodb.us-east-1.amazonaws.com ");
            }
        }
    }

    @Nested
    class OnTheWire {
        private static FlywheelServer server;
        private static InetSocketAddress address;

        @BeforeAll
        static void startServer() {
            server = start(ServerConfig.defaults().withPort(0), TestInvoker.echoingOperation());
            address = server.start();
        }

        @AfterAll
        static void stopServer() {
            server.close();
        }

        @Test
        void pipelinedRequestsAreAnsweredInOrder() throws IOException {
            try (RawHttpConnection connection = new RawHttpConnection(address)) {
                connection.send(RawHttpConnection.dynamoDbRequest("PutItem", "{}")
                        + RawHttpConnection.dynamoDbRequest("GetItem", "{}")
                        + RawHttpConnection.dynamoDbRequest("Query", "{}"));

                assertThat(connection.readResponse().body()).isEqualTo("{\"Operation\":\"PutItem\"}");
                assertThat(connection.readResponse().body()).isEqualTo("{\"Operation\":\"GetItem\"}");
                assertThat(connection.readResponse().body()).isEqualTo("{\"Operation\":\"Query\"}");
            }
        }

        @Test
        void anOversizedBodyIsRefusedBeforeItIsSent() throws IOException {
            try (RawHttpConnection connection = new RawHttpConnection(address)) {
                // Announce one byte over 16 MiB, send none of it: the answer needs the headers alone.
                connection.send("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.0\r\n"
                        + "Content-Length: " + (ServerConfig.DEFAULT_MAX_REQUEST_BYTES + 1) + "\r\n\r\n");

                RawHttpConnection.Response response = connection.readResponse();
                assertThat(response.status()).isEqualTo(413);
                assertThat(response.body()).contains("com.amazon.coral.service#RequestEntityTooLargeException");
                assertThat(response.headers()).containsEntry("connection", "close");
                assertThat(connection.awaitClosedByServer()).isTrue();
            }
        }
    }

    @Nested
    class Closing {

        @Test
        void closeFinishesTheRequestInFlightAndClosesIdleConnections() throws Exception {
            CountDownLatch started = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            FlywheelServer server = start(ServerConfig.defaults().withPort(0), new TestInvoker(target -> {
                started.countDown();
                await(release);
                return "{\"Operation\":\"" + target.operation() + "\"}";
            }));
            InetSocketAddress address = server.start();

            try (RawHttpConnection busy = new RawHttpConnection(address);
                    RawHttpConnection idle = new RawHttpConnection(address)) {
                busy.send(RawHttpConnection.dynamoDbRequest("PutItem", "{}"));
                await(started);
                idle.send("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertThat(idle.readResponse().status()).isEqualTo(200);

                CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
                // The idle connection closing shows that draining has begun; only then may PutItem finish.
                assertThat(idle.awaitClosedByServer()).isTrue();
                assertThat(closing).isNotDone();
                release.countDown();

                RawHttpConnection.Response response = busy.readResponse();
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("{\"Operation\":\"PutItem\"}");
                assertThat(response.headers()).containsEntry("connection", "close");
                assertThat(busy.awaitClosedByServer()).isTrue();
                closing.get(30, TimeUnit.SECONDS);
            }
            assertThatThrownBy(() -> new Socket(address.getAddress(), address.getPort()).close())
                    .isInstanceOf(ConnectException.class);
        }

        @Test
        void closeIsSafeBeforeStartAndTwice() {
            FlywheelServer server = start(ServerConfig.defaults().withPort(0), TestInvoker.echoingOperation());
            server.close();
            server.start();
            assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
            server.close();
            server.close();
        }

        @Test
        void aTakenPortFailsStartWithTheBindError() {
            try (FlywheelServer first = start(ServerConfig.defaults().withPort(0), TestInvoker.echoingOperation())) {
                int port = first.start().getPort();
                FlywheelServer second = start(ServerConfig.defaults().withPort(port), TestInvoker.echoingOperation());

                assertThatThrownBy(second::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining(":" + port)
                        // java.net.BindException from NIO, Netty's NativeIoException from epoll: same words
                        .hasStackTraceContaining("Address already in use");
                second.close();
            }
        }

        private static void await(CountDownLatch latch) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Nested
    class Configuration {

        @Test
        void listeningBeyondLoopbackRequiresCredentials() throws Exception {
            InetAddress anyAddress = InetAddress.getByName("0.0.0.0");

            assertThatThrownBy(() -> ServerConfig.defaults().withBindAddress(anyAddress))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("requires credentials");
            assertThat(ServerConfig.defaults().withCredentials(Map.of("AKID", "secret")).withBindAddress(anyAddress)
                    .bindAddress()).isEqualTo(anyAddress);
        }

        @Test
        void secretsStayOutOfToString() {
            ServerConfig config = ServerConfig.defaults().withCredentials(Map.of("AKIDVISIBLE", "hidden-secret"));

            assertThat(config.toString()).contains("AKIDVISIBLE").doesNotContain("hidden-secret");
        }
    }
}

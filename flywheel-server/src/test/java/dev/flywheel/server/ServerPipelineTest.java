package dev.flywheel.server;

import static dev.flywheel.server.EmbeddedConnection.text;
import static dev.flywheel.server.EmbeddedConnection.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.DynamoDbException.ProvisionedThroughputExceededException;
import dev.flywheel.model.DynamoDbException.ServiceUnavailableException;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.protocol.auth.RequestAuthenticator;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The production pipeline on an in-memory channel: routing, headers, keep-alive, pipelining, 413,
 * errors and draining. After every test each buffer allocated on either side must have been released.
 */
class ServerPipelineTest {
    private static final String AUTHORIZATION = "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/dynamodb/aws4_request,"
            + " SignedHeaders=host;x-amz-date;x-amz-target, Signature=0123456789abcdef";
    private static final String UNKNOWN_OPERATION = "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}";

    private final List<FullHttpResponse> responses = new ArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMetrics metrics = new RequestMetrics(registry);
    private TestInvoker invoker = TestInvoker.echoingOperation();
    private EmbeddedConnection connection;

    @AfterEach
    void everyBufferIsReleased() {
        responses.forEach(FullHttpResponse::release);
        connection.close();
        assertThat(connection.allocator.allocatedCount()).isPositive();
        assertThat(connection.allocator.unreleased()).isEmpty();
    }

    private EmbeddedConnection connect() {
        return connect(Runnable::run, 1 << 20);
    }

    private EmbeddedConnection connect(Executor executor, int maxRequestBytes) {
        RequestAuthenticator anyWellFormed = RequestAuthenticator.create(Map.of(), "dynamodb", Clock.systemUTC());
        connection = new EmbeddedConnection(new DynamoDbEndpoint(invoker, anyWellFormed, "us-east-1", metrics), executor, maxRequestBytes);
        return connection;
    }

    private FullHttpResponse response() {
        FullHttpResponse response = connection.response();
        responses.add(response);
        return response;
    }

    private List<FullHttpResponse> allResponses() {
        List<FullHttpResponse> all = connection.responses();
        responses.addAll(all);
        return all;
    }

    static FullHttpRequest request(String target, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/", utf8(body));
        request.headers()
                .set(HttpHeaderNames.HOST, "localhost:8000")
                .set(HttpHeaderNames.CONTENT_TYPE, "application/x-amz-json-1.0")
                .set(HttpHeaderNames.CONTENT_LENGTH, request.content().readableBytes())
                .set("X-Amz-Date", "20240101T000000Z")
                .set(HttpHeaderNames.AUTHORIZATION, AUTHORIZATION);
        if (target != null) {
            request.headers().set("X-Amz-Target", target);
        }
        return request;
    }

    static FullHttpRequest listTables() {
        return request("DynamoDB_20120810.ListTables", "{}");
    }

    @Nested
    class Routing {

        @Test
        void aDynamoDbTargetGoesToTheInvokerWithItsBody() {
            connect().send(request("DynamoDB_20120810.ListTables", "{\"Limit\":3}"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(text(response)).isEqualTo("{\"Operation\":\"ListTables\"}");
            assertThat(invoker.targets).containsExactly(new Target(Target.Service.DYNAMODB, "ListTables"));
            assertThat(invoker.bodies).containsExactly("{\"Limit\":3}");
        }

        @Test
        void requestsAreCountedByOperationAndOutcome() {
            connect().send(listTables());
            connection.send(listTables());
            connection.send(request(null, "{}"));
            allResponses();

            assertThat(registry.get("flywheel.requests").tags("operation", "ListTables", "outcome", "ok").timer().count())
                    .isEqualTo(2);
            assertThat(registry.get("flywheel.requests").tags("operation", "unknown", "outcome", "UnknownOperationException")
                    .timer().count()).isEqualTo(1);
        }

        @Test
        void aStreamsTargetGoesToTheInvokerAsStreams() {
            connect().send(request("DynamoDBStreams_20120810.ListStreams", "{}"));

            assertThat(response().status().code()).isEqualTo(200);
            assertThat(invoker.targets).containsExactly(new Target(Target.Service.DYNAMODB_STREAMS, "ListStreams"));
        }

        @Test
        void aMissingTargetIsAnUnknownOperationWithoutMessage() {
            connect().send(request(null, "{}"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(text(response)).isEqualTo(UNKNOWN_OPERATION);
            assertThat(invoker.targets).isEmpty();
        }

        @ParameterizedTest
        @ValueSource(strings = {"ListTables", "DynamoDB_20111205.ListTables", "DynamoDB_20120810.", ".ListTables", "whatever"})
        void anUnknownTargetIsAnUnknownOperation(String target) {
            connect().send(request(target, "{}"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(text(response)).isEqualTo(UNKNOWN_OPERATION);
            assertThat(invoker.renderedErrors).singleElement().isInstanceOf(UnknownOperationException.class);
        }

        @Test
        void anUnknownTargetIsReportedBeforeAMissingSignature() {
            FullHttpRequest request = request("nonsense", "{}");
            request.headers().remove(HttpHeaderNames.AUTHORIZATION);
            connect().send(request);

            assertThat(text(response())).isEqualTo(UNKNOWN_OPERATION);
        }

        @Test
        void aMissingSignatureIsAnsweredBeforeTheOperationRuns() {
            FullHttpRequest request = listTables();
            request.headers().remove(HttpHeaderNames.AUTHORIZATION);
            connect().send(request);

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(text(response)).isEqualTo("{\"__type\":\"com.amazon.coral.service#MissingAuthenticationTokenException\","
                    + "\"message\":\"Request is missing Authentication Token\"}");
            assertThat(invoker.targets).isEmpty();
        }

        @Test
        void aBadSignatureIsRejectedWhenCredentialsAreConfigured() {
            Clock signingDay = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
            RequestAuthenticator verifying = RequestAuthenticator.create(Map.of("AKID", "secret"), "dynamodb", signingDay);
            connection = new EmbeddedConnection(
                    new DynamoDbEndpoint(invoker, verifying, "us-east-1", RequestMetrics.NONE), Runnable::run, 1 << 20);
            connection.send(listTables());

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(400);
            assertThat(text(response)).startsWith("{\"__type\":\"com.amazon.coral.service#InvalidSignatureException\","
                    + "\"message\":\"The request signature we calculated does not match");
            assertThat(invoker.targets).isEmpty();
        }

        @Test
        void getIsTheHealthCheck() {
            connect().send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(text(response)).isEqualTo("healthy: dynamodb.us-east-1.amazonaws.com ");
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("text/plain");
        }

        @Test
        void otherMethodsAreNotFound() {
            connect().send(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.PUT, "/"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(404);
            assertThat(text(response)).isEqualTo("<UnknownOperationException/>\n");
        }

        @Test
        void aBodyThatIsNotJsonIsNotFound() {
            FullHttpRequest request = listTables();
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
            connect().send(request);

            assertThat(response().status().code()).isEqualTo(404);
            assertThat(invoker.targets).isEmpty();
        }

        @Test
        void applicationJsonIsAnsweredInKind() {
            FullHttpRequest request = listTables();
            request.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json; charset=utf-8");
            connect().send(request);

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(200);
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/json");
        }
    }

    @Nested
    class Headers {

        @Test
        void everyResponseCarriesTypeLengthRequestIdAndTheCrc32OfItsBody() {
            connect().send(listTables());

            FullHttpResponse response = response();
            byte[] body = io.netty.buffer.ByteBufUtil.getBytes(response.content());
            CRC32 crc = new CRC32();
            crc.update(body);
            assertThat(response.headers().get("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
            assertThat(response.headers().get(HttpHeaderNames.CONTENT_TYPE)).isEqualTo("application/x-amz-json-1.0");
            assertThat(response.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(body.length);
            assertThat(response.headers().get("x-amzn-RequestId")).matches("[A-Z0-9]{52}");
            java.util.Date date = io.netty.handler.codec.DateFormatter.parseHttpDate(response.headers().get(HttpHeaderNames.DATE));
            assertThat(date).isCloseTo(new java.util.Date(), 60_000);
        }

        @Test
        void errorsCarryTheCrc32Too() {
            connect().send(request(null, "{}"));

            CRC32 crc = new CRC32();
            crc.update(UNKNOWN_OPERATION.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(response().headers().get("x-amz-crc32")).isEqualTo(Long.toString(crc.getValue()));
        }

        @Test
        void eachResponseHasItsOwnRequestId() {
            connect().send(listTables(), listTables());

            List<FullHttpResponse> both = allResponses();
            assertThat(both).hasSize(2);
            assertThat(both.get(0).headers().get("x-amzn-RequestId"))
                    .isNotEqualTo(both.get(1).headers().get("x-amzn-RequestId"));
        }
    }

    @Nested
    class KeepAlive {

        @Test
        void anHttp11ConnectionStaysOpenAcrossRequests() {
            connect().send(listTables());
            assertThat(response().headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
            connection.send(listTables());
            assertThat(response().status().code()).isEqualTo(200);

            assertThat(connection.isOpen()).isTrue();
        }

        @Test
        void connectionCloseIsHonoured() {
            FullHttpRequest request = listTables();
            request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            connect().send(request);

            assertThat(response().headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void requestsPipelinedAfterConnectionCloseAreNeverRun() {
            FullHttpRequest closing = request("DynamoDB_20120810.PutItem", "{}");
            closing.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            connect().send(closing, request("DynamoDB_20120810.DeleteItem", "{}"));

            assertThat(allResponses()).hasSize(1);
            assertThat(invoker.targets).containsExactly(new Target(Target.Service.DYNAMODB, "PutItem"));
            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void http10ClosesUnlessAskedToKeepAlive() {
            FullHttpRequest closing = listTables().setProtocolVersion(HttpVersion.HTTP_1_0);
            connect().send(closing);
            assertThat(HttpUtil.isKeepAlive(response())).isFalse();
            assertThat(connection.isOpen()).isFalse();
            connection.close();

            FullHttpRequest keepAlive = listTables().setProtocolVersion(HttpVersion.HTTP_1_0);
            HttpUtil.setKeepAlive(keepAlive, true);
            connect().send(keepAlive);
            FullHttpResponse response = response();
            assertThat(response.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_0);
            assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("keep-alive");
            assertThat(connection.isOpen()).isTrue();
        }
    }

    @Nested
    class Pipelining {

        @Test
        void pipelinedRequestsRunOneAfterAnotherAndAreAnsweredInOrder() {
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20).send(
                    request("DynamoDB_20120810.PutItem", "{}"),
                    request("DynamoDB_20120810.GetItem", "{}"),
                    request("DynamoDB_20120810.Query", "{}"));

            // Only the first runs; each later one is submitted when the one before it has finished.
            for (int i = 0; i < 3; i++) {
                assertThat(executor.queued()).isEqualTo(1);
                connection.answerNext(executor);
            }
            assertThat(executor.queued()).isZero();

            assertThat(allResponses()).extracting(EmbeddedConnection::text).containsExactly(
                    "{\"Operation\":\"PutItem\"}", "{\"Operation\":\"GetItem\"}", "{\"Operation\":\"Query\"}");
        }

        @Test
        void aConnectionStopsReadingWhileTooManyRequestsWait() {
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20);
            FullHttpRequest[] requests = new FullHttpRequest[RequestHandler.MAX_QUEUED_REQUESTS];
            for (int i = 0; i < requests.length; i++) {
                requests[i] = listTables();
            }
            connection.send(requests);
            assertThat(connection.server.config().isAutoRead()).isFalse();

            connection.answerNext(executor);
            assertThat(connection.server.config().isAutoRead()).isTrue();

            while (executor.queued() > 0) {
                connection.answerNext(executor);
            }
            assertThat(allResponses()).hasSize(RequestHandler.MAX_QUEUED_REQUESTS);
        }
    }

    /** GetItem is first tried on the event loop ({@link NonBlocking}); what would wait runs on the executor. */
    @Nested
    class AnsweredOnTheEventLoop {
        private final List<Boolean> attempting = new ArrayList<>();

        /** An invoker that records whether it ran under NonBlocking, and refuses to when {@code cached} is false. */
        private void invokerWithItemCached(boolean cached) {
            invoker = new TestInvoker(target -> {
                attempting.add(NonBlocking.attempting());
                if (NonBlocking.attempting() && !cached) throw NonBlocking.WouldBlock.INSTANCE;
                return "{\"Operation\":\"" + target.operation() + "\"}";
            });
        }

        @Test
        void aGetItemThatNeedsNoWaitIsAnsweredWithoutTheExecutor() {
            invokerWithItemCached(true);
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20).send(request("DynamoDB_20120810.GetItem", "{}"));

            assertThat(executor.queued()).isZero();
            assertThat(text(response())).isEqualTo("{\"Operation\":\"GetItem\"}");
            assertThat(attempting).containsExactly(true);
            assertThat(registry.get("flywheel.requests").tag("operation", "GetItem").timer().count()).isEqualTo(1);
        }

        @Test
        void aGetItemThatWouldWaitRunsAgainOnTheExecutorAndIsCountedOnce() {
            invokerWithItemCached(false);
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20).send(request("DynamoDB_20120810.GetItem", "{}"));

            assertThat(executor.queued()).isEqualTo(1);
            connection.answerNext(executor);
            assertThat(text(response())).isEqualTo("{\"Operation\":\"GetItem\"}");
            assertThat(attempting).containsExactly(true, false);
            assertThat(registry.get("flywheel.requests").tag("operation", "GetItem").timer().count()).isEqualTo(1);
        }

        @Test
        void otherOperationsAndRequestsBehindOneInFlightGoToTheExecutor() {
            invokerWithItemCached(true);
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20).send(
                    request("DynamoDB_20120810.PutItem", "{}"),
                    request("DynamoDB_20120810.GetItem", "{}"));

            // The GetItem waits for the PutItem before it (order), so it is not answered ahead of it.
            assertThat(executor.queued()).isEqualTo(1);
            connection.answerNext(executor);
            connection.answerNext(executor);
            assertThat(allResponses()).extracting(EmbeddedConnection::text).containsExactly(
                    "{\"Operation\":\"PutItem\"}", "{\"Operation\":\"GetItem\"}");
            assertThat(attempting).containsExactly(false, false);
        }
    }

    @Nested
    class OversizedBodies {
        private static final int LIMIT = 100;
        private static final String TOO_LARGE = "{\"__type\":\"com.amazon.coral.service#RequestEntityTooLargeException\","
                + "\"message\":\"Request must be no larger than 100 bytes\"}";

        @Test
        void aBodyOfExactlyTheLimitIsAccepted() {
            connect(Runnable::run, LIMIT).send(request("DynamoDB_20120810.PutItem", "x".repeat(LIMIT)));

            assertThat(response().status().code()).isEqualTo(200);
        }

        @Test
        void aLargerBodyIs413AndTheConnectionCloses() {
            connect(Runnable::run, LIMIT).send(request("DynamoDB_20120810.PutItem", "x".repeat(LIMIT + 1)));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(413);
            assertThat(text(response)).isEqualTo(TOO_LARGE);
            assertThat(response.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(connection.isOpen()).isFalse();
            assertThat(invoker.targets).isEmpty();
        }

        @Test
        void theAnswerComesFromTheHeadersAloneWithoutWaitingForTheBody() {
            connect(Runnable::run, LIMIT).sendRaw("POST / HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nContent-Length: 104857600\r\n\r\n{\"Item\":");

            assertThat(response().status().code()).isEqualTo(413);
            assertThat(connection.server.config().isAutoRead()).isFalse();
            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void aChunkedBodyIsCutOffAtTheLimit() {
            connect(Runnable::run, LIMIT).sendRaw("POST / HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: application/x-amz-json-1.0\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "50\r\n" + "x".repeat(0x50) + "\r\n" + "50\r\n" + "x".repeat(0x50) + "\r\n");

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(413);
            assertThat(text(response)).isEqualTo(TOO_LARGE);
            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void earlierPipelinedRequestsAreAnsweredFirst() {
            connect(Runnable::run, LIMIT).send(listTables(), request("DynamoDB_20120810.PutItem", "x".repeat(LIMIT + 1)));

            assertThat(allResponses()).extracting(r -> r.status().code()).containsExactly(200, 413);
        }
    }

    @Nested
    class Errors {

        @Test
        void aDynamoDbErrorIsAnsweredWithItsStatus() {
            invoker = new TestInvoker(target -> {
                throw switch (target.operation()) {
                    case "PutItem" -> new ProvisionedThroughputExceededException("slow down");
                    default -> new ServiceUnavailableException("try later");
                };
            });
            connect().send(request("DynamoDB_20120810.PutItem", "{}"), request("DynamoDB_20120810.GetItem", "{}"));

            List<FullHttpResponse> answered = allResponses();
            assertThat(answered).extracting(r -> r.status().code()).containsExactly(400, 503);
            assertThat(text(answered.get(0))).isEqualTo("{\"__type\":"
                    + "\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\",\"message\":\"slow down\"}");
        }

        @Test
        void anUnexpectedExceptionIs500AndTheConnectionServesOn() {
            invoker = new TestInvoker(target -> {
                if (target.operation().equals("DeleteTable")) {
                    throw new IllegalStateException("a bug in the engine");
                }
                return "{}";
            });
            connect().send(request("DynamoDB_20120810.DeleteTable", "{}"));

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(500);
            assertThat(text(response)).isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\","
                    + "\"message\":\"Internal server error\"}");

            connection.send(listTables());
            assertThat(response().status().code()).isEqualTo(200);
        }

        @Test
        void anErrorThatCannotBeRenderedIsStillAnswered500() {
            invoker = new TestInvoker(target -> {
                throw new UnknownOperationException(null);
            }) {
                @Override
                public byte[] renderError(DynamoDbException error) {
                    throw new IllegalStateException("a bug in the codec");
                }
            };
            connect().send(listTables());

            FullHttpResponse response = response();
            assertThat(response.status().code()).isEqualTo(500);
            assertThat(text(response)).contains("InternalServerError");
            assertThat(connection.isOpen()).isTrue();
        }

        @Test
        void malformedHttpIs400AndTheConnectionCloses() {
            connect().sendRaw("NOT-HTTP\r\n\r\n");

            assertThat(response().status().code()).isEqualTo(400);
            assertThat(connection.isOpen()).isFalse();
        }
    }

    @Nested
    class Draining {

        @Test
        void anIdleConnectionClosesAtOnce() {
            connect().send(listTables());
            assertThat(response().status().code()).isEqualTo(200);

            connection.server.pipeline().fireUserEventTriggered(RequestHandler.Drain.INSTANCE);

            assertThat(connection.isOpen()).isFalse();
        }

        @Test
        void aBusyConnectionFinishesItsRequestsThenCloses() {
            QueueingExecutor executor = new QueueingExecutor();
            connect(executor, 1 << 20).send(listTables(), listTables());

            connection.server.pipeline().fireUserEventTriggered(RequestHandler.Drain.INSTANCE);
            assertThat(connection.isOpen()).isTrue();

            connection.answerNext(executor);
            connection.answerNext(executor);
            List<FullHttpResponse> answered = allResponses();
            assertThat(answered).extracting(r -> r.status().code()).containsExactly(200, 200);
            assertThat(answered.get(0).headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
            assertThat(answered.get(1).headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
            assertThat(connection.isOpen()).isFalse();
        }
    }
}

package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException.UnknownOperationException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.ListTablesInput;
import dev.flywheel.model.shapes.ListTablesOutput;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Production's wiring: targets to the JSON protocol over a {@link DynamoDbApi}. */
class JsonProtocolInvokerTest {

    /** A hand-written API with one table, counting its calls. */
    private static final class OneTableApi implements DynamoDbApi {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        public ListTablesOutput listTables(ListTablesInput request) {
            calls.incrementAndGet();
            return new ListTablesOutput(List.of("a"), null);
        }
    }

    private final OneTableApi api = new OneTableApi();
    private final JsonProtocolInvoker invoker = new JsonProtocolInvoker(api, null);

    @Test
    void streamsOperationsDoNotExistYet() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> invoker.invoke(new Target(Target.Service.DYNAMODB_STREAMS, "ListStreams"), "AKID", body, 0, 2))
                .isInstanceOf(UnknownOperationException.class);
        assertThat(api.calls).hasValue(0);
    }

    @Test
    void errorsAreRenderedByTheProtocol() {
        String rendered = new String(invoker.renderError(new ValidationException("bad")), StandardCharsets.UTF_8);

        assertThat(rendered).contains("\"__type\":\"com.amazon.coral.validate#ValidationException\"");
    }

    @Test
    void aDynamoDbTargetReachesTheApiThroughTheCodec() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);

        byte[] response = invoker.invoke(new Target(Target.Service.DYNAMODB, "ListTables"), "AKID", body, 0, body.length);

        assertThat(new String(response, StandardCharsets.UTF_8)).isEqualTo("{\"TableNames\":[\"a\"]}");
        assertThat(api.calls).hasValue(1);
    }
}

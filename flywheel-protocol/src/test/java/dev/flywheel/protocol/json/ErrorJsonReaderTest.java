package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.ConditionalCheckFailedException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.SerializationException;
import dev.flywheel.model.DynamoDbException.TransactionCanceledException;
import dev.flywheel.model.shapes.CancellationReason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading an error body gives back the error that was rendered: type, message and extras. */
class ErrorJsonReaderTest {

    private static DynamoDbException roundTrip(DynamoDbException error) {
        byte[] body = ErrorJson.render(error);
        return ErrorJsonReader.read(body, 0, body.length);
    }

    @Test
    void typeAndMessageComeBack() {
        DynamoDbException read = roundTrip(new ResourceNotFoundException("Requested resource not found"));
        assertThat(read).isInstanceOf(ResourceNotFoundException.class).hasMessage("Requested resource not found");
        // "Message" with a capital M, as DynamoDB spells it for this one.
        assertThat(roundTrip(new SerializationException("Start of structure or map found where not expected")))
                .isInstanceOf(SerializationException.class).hasMessage("Start of structure or map found where not expected");
    }

    @Test
    void extrasComeBack() {
        Map<String, AttributeValue> item = Map.of("pk", AttributeValue.s("a"));
        var failed = (ConditionalCheckFailedException) roundTrip(new ConditionalCheckFailedException("The conditional request failed", item));
        assertThat(failed.item()).isEqualTo(item);

        var reasons = List.of(CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ConditionalCheckFailed").message("The conditional request failed").build());
        var cancelled = (TransactionCanceledException) roundTrip(new TransactionCanceledException("Transaction cancelled", reasons));
        assertThat(cancelled.cancellationReasons()).isEqualTo(reasons);
    }

    @Test
    void whatIsNotAnErrorBodyReadsAsNull() {
        for (String body : List.of("", "<UnknownOperationException/>", "{}", "{\"__type\":\"x#NoSuchError\"}")) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            assertThat(ErrorJsonReader.read(bytes, 0, bytes.length)).as(body).isNull();
        }
    }
}

package dev.flywheel.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.CancellationReason;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorJsonTest {

    private static String render(DynamoDbException error) {
        return new String(ErrorJson.render(error), UTF_8);
    }

    @Test
    void dynamoDbErrorsCarryALowerCaseMessage() {
        assertThat(render(new DynamoDbException.ResourceNotFoundException("Requested resource not found")))
                .isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
                        + "\"message\":\"Requested resource not found\"}");
        assertThat(render(new DynamoDbException.ValidationException("1 validation error detected")))
                .isEqualTo("{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                        + "\"message\":\"1 validation error detected\"}");
    }

    @Test
    void someErrorsCarryACapitalisedMessageAsDynamoDbSendsThem() {
        assertThat(render(new DynamoDbException.SerializationException("NUMBER_VALUE cannot be converted to String")))
                .isEqualTo("{\"__type\":\"com.amazon.coral.service#SerializationException\","
                        + "\"Message\":\"NUMBER_VALUE cannot be converted to String\"}");
        assertThat(render(new DynamoDbException.AccessDeniedException("no"))).contains("\"Message\":\"no\"");
        // The model's exception shapes spell these "Message".
        assertThat(render(new DynamoDbException.TransactionCanceledException("Transaction cancelled")))
                .contains("\"Message\":\"Transaction cancelled\"");
        assertThat(render(new DynamoDbException.TransactionInProgressException("x"))).contains("\"Message\":\"x\"");
        assertThat(render(new DynamoDbException.IdempotentParameterMismatchException("x"))).contains("\"Message\":\"x\"");
    }

    @Test
    void anErrorWithoutAMessageHasNoMessageMember() {
        assertThat(render(new DynamoDbException.UnknownOperationException(null)))
                .isEqualTo("{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
        assertThat(render(new DynamoDbException.SerializationException(null)))
                .isEqualTo("{\"__type\":\"com.amazon.coral.service#SerializationException\"}");
    }

    @Test
    void messagesAreJsonEscaped() {
        // Characters beyond the BMP come out as escaped surrogate pairs (Jackson's default): valid
        // JSON that every client decodes, and a lone surrogate stays writable.
        String message = "Value 'a\"b\\c' at 'x'\n\ttab \u0001 é 😀 </script>";
        assertThat(render(new DynamoDbException.ValidationException(message)))
                .isEqualTo("{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                        + "\"message\":\"Value 'a\\\"b\\\\c' at 'x'\\n\\ttab \\u0001 é \\uD83D\\uDE00 </script>\"}");
    }

    @Test
    void aFailedConditionCarriesTheItemWhenAskedFor() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("pk", AttributeValue.s("a"));
        item.put("n", AttributeValue.n(1));
        assertThat(render(new DynamoDbException.ConditionalCheckFailedException("The conditional request failed", item)))
                .isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                        + "\"message\":\"The conditional request failed\","
                        + "\"Item\":{\"pk\":{\"S\":\"a\"},\"n\":{\"N\":\"1\"}}}");
        assertThat(render(new DynamoDbException.ConditionalCheckFailedException("The conditional request failed")))
                .isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                        + "\"message\":\"The conditional request failed\"}");
    }

    @Test
    void aCancelledTransactionCarriesOneReasonPerAction() {
        List<CancellationReason> reasons = List.of(
                CancellationReason.builder().code("None").build(),
                CancellationReason.builder().code("ConditionalCheckFailed")
                        .message("The conditional request failed")
                        .item(Map.of("pk", AttributeValue.s("a"))).build());
        String message = "Transaction cancelled, please refer cancellation reasons for specific reasons"
                + " [None, ConditionalCheckFailed]";
        assertThat(render(new DynamoDbException.TransactionCanceledException(message, reasons)))
                .isEqualTo("{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                        + "\"Message\":\"" + message + "\","
                        + "\"CancellationReasons\":[{\"Code\":\"None\"},"
                        + "{\"Item\":{\"pk\":{\"S\":\"a\"}},\"Code\":\"ConditionalCheckFailed\","
                        + "\"Message\":\"The conditional request failed\"}]}");
        assertThat(render(new DynamoDbException.TransactionCanceledException("x")))
                .doesNotContain("CancellationReasons");
    }
}

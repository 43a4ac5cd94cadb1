package dev.flywheel.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.SerializationException;
import dev.flywheel.model.shapes.ListBackupsInput;
import dev.flywheel.model.shapes.QueryInput;
import java.time.Instant;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Input that is not the operation's JSON: DynamoDB answers a SerializationException, with the
 * messages its request framework gives today (recorded against the service by dynalite).
 */
class SerializationErrorsTest {
    private final RecordingApi api = new RecordingApi();

    private AbstractThrowableAssert<?, ? extends Throwable> assertSerialization(String operation, String json) {
        return assertSerialization(operation, json.getBytes(UTF_8));
    }

    private AbstractThrowableAssert<?, ? extends Throwable> assertSerialization(String operation, byte[] body) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(() -> api.invoke(operation, body))
                .isInstanceOf(SerializationException.class);
        thrown.satisfies(e -> assertThat(((SerializationException) e).type())
                .isEqualTo("com.amazon.coral.service#SerializationException"));
        assertThat(api.<Object>lastRequest()).as("the API was not called").isNull();
        return thrown;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not JSON | {\"TableName\":",
            "empty | ''",
            "the literal null | null",
            "trailing garbage | {} x",
            "two documents | {}{}",
            "a bare word | hello",
    })
    void aBodyThatIsNotOneJsonDocumentHasNoMessage(String why, String body) {
        assertSerialization("ListTables", body).hasMessage(null);
    }

    @Test
    void invalidUtf8HasNoMessage() {
        byte[] body = {'{', '"', 'T', 'a', 'b', 'l', 'e', 'N', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertSerialization("DescribeTable", body).hasMessage(null);
    }

    @Test
    void nestingBeyondTheParserLimitHasNoMessage() {
        String deep = "{\"L\":[".repeat(2000) + "]}".repeat(2000);
        assertSerialization("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"a\":" + deep + "}}").hasMessage(null);
    }

    @Test
    void aBodyOfTheWrongJsonType() {
        assertSerialization("PutItem", "[]")
                .hasMessage("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.PutItemInput");
        assertSerialization("PutItem", "\"x\"").hasMessage("Unexpected value type in payload");
    }

    @ParameterizedTest(name = "TableName: {0}")
    @CsvSource(delimiter = '|', value = {
            "23        | NUMBER_VALUE cannot be converted to String",
            "-2147483649 | NUMBER_VALUE cannot be converted to String",
            "34.56     | DECIMAL_VALUE cannot be converted to String",
            "true      | TRUE_VALUE cannot be converted to String",
            "false     | FALSE_VALUE cannot be converted to String",
            "[]        | Unrecognized collection type class java.lang.String",
            "{}        | Start of structure or map found where not expected",
    })
    void aString(String value, String message) {
        assertSerialization("DescribeTable", "{\"TableName\":" + value + "}").hasMessage(message);
    }

    @ParameterizedTest(name = "Limit: {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"23\"'    | STRING_VALUE cannot be converted to Integer",
            "true        | TRUE_VALUE cannot be converted to Integer",
            "false       | FALSE_VALUE cannot be converted to Integer",
            "[]          | Unrecognized collection type class java.lang.Integer",
            "{}          | Start of structure or map found where not expected",
            "2147483648  | NUMBER_VALUE 2147483648 is out of range for Integer",
            "-2147483649 | NUMBER_VALUE -2147483649 is out of range for Integer",
            "1e30        | NUMBER_VALUE 1000000000000000000000000000000 is out of range for Integer",
    })
    void anInteger(String value, String message) {
        assertSerialization("Query", "{\"TableName\":\"abc\",\"Limit\":" + value + "}").hasMessage(message);
    }

    @Test
    void aFractionForAnIntegerIsCutOff() {
        api.invoke("Query", "{\"TableName\":\"abc\",\"Limit\":7.9}");
        assertThat(api.<QueryInput>lastRequest().limit()).isEqualTo(7);
        api.invoke("Query", "{\"TableName\":\"abc\",\"Limit\":2147483647}");
        assertThat(api.<QueryInput>lastRequest().limit()).isEqualTo(Integer.MAX_VALUE);
    }

    @ParameterizedTest(name = "ProvisionedThroughput.ReadCapacityUnits: {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"5\"'             | STRING_VALUE cannot be converted to Long",
            "true                | TRUE_VALUE cannot be converted to Long",
            "9223372036854775808 | NUMBER_VALUE 9223372036854775808 is out of range for Long",
    })
    void aLong(String value, String message) {
        assertSerialization("UpdateTable",
                "{\"TableName\":\"abc\",\"ProvisionedThroughput\":{\"ReadCapacityUnits\":" + value + ",\"WriteCapacityUnits\":1}}")
                .hasMessage(message);
    }

    @ParameterizedTest(name = "ConsistentRead: {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"true\"' | Unexpected token received from parser",
            "1          | NUMBER_VALUE cannot be converted to Boolean",
            "34.56      | DECIMAL_VALUE cannot be converted to Boolean",
            "[]         | Unrecognized collection type class java.lang.Boolean",
            "{}         | Start of structure or map found where not expected",
    })
    void aBoolean(String value, String message) {
        assertSerialization("GetItem", "{\"TableName\":\"abc\",\"Key\":{},\"ConsistentRead\":" + value + "}")
                .hasMessage(message);
    }

    @ParameterizedTest(name = "KeySchema: {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"x\"'    | Unexpected field type",
            "3          | Unexpected field type",
            "{}         | Start of structure or map found where not expected",
            "'[\"x\"]'  | Unexpected value type in payload",
            "[[]]       | Unrecognized collection type class com.amazonaws.dynamodb.v20120810.KeySchemaElement",
            "[{\"KeyType\":[]}] | Unrecognized collection type class java.lang.String",
    })
    void aListOfStructures(String value, String message) {
        assertSerialization("CreateTable", "{\"TableName\":\"abc\",\"KeySchema\":" + value + "}").hasMessage(message);
    }

    @ParameterizedTest(name = "ProvisionedThroughput: {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"x\"' | Unexpected field type",
            "false   | Unexpected field type",
            "[]      | Unrecognized collection type class com.amazonaws.dynamodb.v20120810.ProvisionedThroughput",
    })
    void aStructureMember(String value, String message) {
        assertSerialization("CreateTable", "{\"TableName\":\"abc\",\"ProvisionedThroughput\":" + value + "}")
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "'{\"Item\":\"x\"}'        | Unexpected field type",
            "'{\"Item\":[]}'           | Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
            "'{\"Item\":{\"a\":\"x\"}}' | Unexpected value type in payload",
            "'{\"Item\":{\"a\":[]}}'   | Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
            "'{\"Item\":{\"a\":{\"S\":1}}}' | NUMBER_VALUE cannot be converted to String",
            "'{\"Item\":{\"a\":{\"N\":1}}}' | NUMBER_VALUE cannot be converted to String",
            "'{\"Item\":{\"a\":{\"SS\":\"a\"}}}' | Unexpected field type",
            "'{\"Item\":{\"a\":{\"SS\":[1]}}}' | NUMBER_VALUE cannot be converted to String",
            "'{\"Item\":{\"a\":{\"BOOL\":\"true\"}}}' | Unexpected token received from parser",
            "'{\"Item\":{\"a\":{\"NULL\":\"no\"}}}' | Unexpected token received from parser",
            "'{\"Item\":{\"a\":{\"M\":[]}}}' | Unrecognized collection type java.util.Map<java.lang.String, com.amazonaws.dynamodb.v20120810.AttributeValue>",
            "'{\"Item\":{\"a\":{\"M\":{\"b\":1}}}}' | Unexpected value type in payload",
            "'{\"Item\":{\"a\":{\"L\":[{\"L\":[[]]}]}}}' | Unrecognized collection type class com.amazonaws.dynamodb.v20120810.AttributeValue",
            "'{\"Item\":{\"a\":{\"B\":true}}}' | only base-64-encoded strings are convertible to bytes",
            "'{\"Item\":{\"a\":{\"B\":23}}}' | only base-64-encoded strings are convertible to bytes",
            "'{\"Item\":{\"a\":{\"B\":[]}}}' | Unrecognized collection type class java.nio.ByteBuffer",
            "'{\"Item\":{\"a\":{\"B\":{}}}}' | Start of structure or map found where not expected",
            "'{\"Item\":{\"a\":{\"B\":\"23456\"}}}' | Base64 encoded length is expected a multiple of 4 bytes but found: 5",
            "'{\"Item\":{\"a\":{\"BS\":[\"+/+=\"]}}}' | Invalid last non-pad Base64 character dectected",
            "'{\"ExpressionAttributeNames\":[]}' | Unrecognized collection type java.util.Map<java.lang.String, java.lang.String>",
    })
    void itemsAndAttributeValues(String json, String message) {
        assertSerialization("PutItem", json).hasMessage(message);
    }

    @Test
    void aMapOfLists() {
        assertSerialization("BatchWriteItem", "{\"RequestItems\":[]}").hasMessage(
                "Unrecognized collection type java.util.Map<java.lang.String, java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>");
        assertSerialization("BatchWriteItem", "{\"RequestItems\":{\"abc\":[{\"PutRequest\":[]}]}}")
                .hasMessage("Unrecognized collection type class com.amazonaws.dynamodb.v20120810.PutRequest");
        assertSerialization("BatchWriteItem", "{\"RequestItems\":{\"abc\":[{\"DeleteRequest\":{\"Key\":3}}]}}")
                .hasMessage("Unexpected field type");
    }

    @Test
    void timestampsAreSecondsSinceTheEpoch() {
        api.invoke("ListBackups", "{\"TimeRangeLowerBound\":1700000000.25,\"TimeRangeUpperBound\":1700000001}");
        ListBackupsInput request = api.lastRequest();
        assertThat(request.timeRangeLowerBound()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L, 250_000_000));
        assertThat(request.timeRangeUpperBound()).isEqualTo(Instant.ofEpochSecond(1_700_000_001L));

        assertSerialization("ListBackups", "{\"TimeRangeLowerBound\":\"2024-01-01T00:00:00Z\"}")
                .hasMessage("STRING_VALUE cannot be converted to Date");
        assertSerialization("ListBackups", "{\"TimeRangeLowerBound\":1e300}")
                .hasMessage("NUMBER_VALUE 1E+300 is out of range for Date");
    }

    @Test
    void serializationErrorsComeBeforeConstraintViolations() {
        // TableName is too short, but the body does not even deserialize.
        assertSerialization("CreateTable", "{\"TableName\":\"a\",\"BillingMode\":7}")
                .hasMessage("NUMBER_VALUE cannot be converted to String");
    }
}

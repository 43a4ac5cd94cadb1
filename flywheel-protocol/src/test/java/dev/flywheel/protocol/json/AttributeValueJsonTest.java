package dev.flywheel.protocol.json;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.PutItemInput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttributeValueJsonTest {
    private final RecordingApi api = new RecordingApi();

    /** Puts {"a": <value>} and returns what the API received for "a". */
    private AttributeValue put(String value) {
        api.invoke("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"a\":" + value + "}}");
        return api.<PutItemInput>lastRequest().item().get("a");
    }

    private void assertRejected(String value, String message) {
        assertThatThrownBy(() -> put(value)).isInstanceOf(ValidationException.class).hasMessage(message);
        assertThat(api.<Object>lastRequest()).isNull();
    }

    @Test
    void readsEachType() {
        assertThat(put("{\"S\":\"\"}")).isEqualTo(AttributeValue.s(""));
        assertThat(put("{\"N\":\"not a number\"}")).as("numbers are the engine's to validate").isEqualTo(AttributeValue.n("not a number"));
        assertThat(put("{\"B\":\"\"}")).isEqualTo(AttributeValue.b(new byte[0]));
        assertThat(put("{\"SS\":[]}")).as("empty sets are the engine's to reject").isEqualTo(new AttributeValue.SS(List.of()));
        assertThat(put("{\"NS\":[\"1\",\"1\"]}")).isEqualTo(new AttributeValue.NS(List.of("1", "1")));
        assertThat(put("{\"BS\":[\"AA==\"]}")).isEqualTo(new AttributeValue.BS(List.of(new byte[] {0})));
        assertThat(put("{\"M\":{}}")).isEqualTo(new AttributeValue.M(Map.of()));
        assertThat(put("{\"L\":[]}")).isEqualTo(new AttributeValue.L(List.of()));
        assertThat(put("{\"NULL\":true}")).isEqualTo(AttributeValue.NULL);
        assertThat(put("{\"BOOL\":false}")).isEqualTo(AttributeValue.FALSE);
    }

    @Test
    void stringsKeepEveryCharacter() {
        assertThat(put("{\"S\":\"\\ud800 😀 \\u0000\"}")).isEqualTo(AttributeValue.s("\ud800 😀 \u0000"));
        AttributeValue lone = AttributeValue.s("\ud800");
        byte[] json = JsonOutput.toBytes(lone, AttributeValueJson::write);
        assertThat(new String(json, UTF_8)).isEqualTo("{\"S\":\"\\uD800\"}");
        assertThat(new JsonInput(json, 0, json.length).readDocument(AttributeValueJson::readValue)).isEqualTo(lone);
    }

    @Test
    void ignoresUnknownMembersAndNullTypes() {
        assertThat(put("{\"S\":\"x\",\"N\":null,\"Future\":{\"a\":[1]}}")).isEqualTo(AttributeValue.s("x"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{\"S\":null}", "{\"a\":\"\"}", "{\"M\":{\"a\":{}}}", "{\"L\":[{}]}",
            "{\"L\":[{\"a\":{}}]}", "{\"L\":[null]}", "{\"M\":{\"a\":null}}", "null"})
    void anEmptyValueIsRejected(String value) {
        // DynamoDB's message, recorded by dynalite for the first five.
        assertRejected(value, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }

    @Test
    void severalTypesAreRejected() {
        assertRejected("{\"S\":\"a\",\"N\":\"1\"}",
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
        assertRejected("{\"L\":[{\"BOOL\":true,\"NULL\":true}]}",
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes");
    }

    @Test
    void nullMustBeTrue() {
        assertRejected("{\"NULL\":false}",
                "One or more parameter values were invalid: Null attribute value types must have the value of true");
    }

    @Test
    void theFirstProblemIsTheOneReported() {
        assertThatThrownBy(() -> api.invoke("PutItem",
                "{\"TableName\":\"abc\",\"Item\":{\"a\":{\"NULL\":false},\"b\":{}}}"))
                .hasMessageStartingWith("One or more parameter values were invalid: Null attribute value types");
    }

    @Test
    void writesEachType() {
        AttributeValue value = new AttributeValue.M(orderedMap(
                "s", AttributeValue.s("x\u0000y"),
                "n", AttributeValue.n("1E+3"),
                "b", AttributeValue.b(new byte[] {1, 2, 3, 4}),
                "ss", new AttributeValue.SS(List.of("a")),
                "ns", new AttributeValue.NS(List.of("1.5")),
                "bs", new AttributeValue.BS(List.of(new byte[] {(byte) 0xfb, (byte) 0xff})),
                "l", new AttributeValue.L(List.of(AttributeValue.NULL, AttributeValue.TRUE))));
        assertThat(new String(JsonOutput.toBytes(value, AttributeValueJson::write), UTF_8)).isEqualTo("{\"M\":{"
                + "\"s\":{\"S\":\"x\\u0000y\"},\"n\":{\"N\":\"1E+3\"},\"b\":{\"B\":\"AQIDBA==\"},"
                + "\"ss\":{\"SS\":[\"a\"]},\"ns\":{\"NS\":[\"1.5\"]},\"bs\":{\"BS\":[\"+/8=\"]},"
                + "\"l\":{\"L\":[{\"NULL\":true},{\"BOOL\":true}]}}}");
    }

    private static Map<String, AttributeValue> orderedMap(Object... namesAndValues) {
        Map<String, AttributeValue> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return map;
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import org.assertj.core.api.ThrowableAssert;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Small builders shared by the tests. */
final class Fixtures {
    private Fixtures() {}

    static AttributeValue s(String v) { return AttributeValue.s(v); }

    static AttributeValue n(String v) { return AttributeValue.n(v); }

    static AttributeValue ss(String... v) { return new AttributeValue.SS(List.of(v)); }

    static AttributeValue ns(String... v) { return new AttributeValue.NS(List.of(v)); }

    static AttributeValue b(int... bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) out[i] = (byte) bytes[i];
        return AttributeValue.b(out);
    }

    static AttributeValue l(AttributeValue... v) { return new AttributeValue.L(List.of(v)); }

    static AttributeValue m(Object... keyValues) { return new AttributeValue.M(map(keyValues)); }

    static Map<String, AttributeValue> item(Object... keyValues) { return map(keyValues); }

    static Map<String, AttributeValue> map(Object... keyValues) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], (AttributeValue) keyValues[i + 1]);
        return m;
    }

    static Map<String, String> names(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) m.put(keyValues[i], keyValues[i + 1]);
        return m;
    }

    static void assertValidation(ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(ValidationException.class).hasMessage(message);
    }

    /** Parses and resolves a condition with the given values (names optional via {@code #n -> n}). */
    static ConditionExpression condition(String text, Map<String, AttributeValue> values) {
        return Placeholders.of(null, values.isEmpty() ? null : values).resolve(ExpressionParser.parseCondition(text));
    }

    static boolean holds(String text, Map<String, AttributeValue> item, Map<String, AttributeValue> values) {
        return ConditionEvaluator.evaluate(condition(text, values), item);
    }

    static UpdateResult update(String text, Map<String, AttributeValue> item, Map<String, AttributeValue> values) {
        Placeholders p = Placeholders.of(null, values.isEmpty() ? null : values);
        return UpdateEvaluator.apply(p.resolve(ExpressionParser.parseUpdate(text)), item);
    }
}

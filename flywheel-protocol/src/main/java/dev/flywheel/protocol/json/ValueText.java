package dev.flywheel.protocol.json;

import dev.flywheel.model.AttributeValue;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Renders a request value the way DynamoDB's validation messages show it, which is the Java
 * toString of its own request classes: strings bare, lists as {@code [a, b]}, maps as
 * {@code {k=v}}, structures as {@code KeySchemaElement(attributeName=pk, keyType=HASH)} and
 * attribute values as {@code AttributeValue(s=x, n=null, ...)} with a member per type. Blobs show as
 * DynamoDB's {@code java.nio.HeapByteBuffer[pos=0 lim=3 cap=3]}.
 *
 * <p>Used only to word a violation, so it reads records reflectively instead of generating code.
 */
final class ValueText {
    private ValueText() {}

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        append(out, value);
        return out.toString();
    }

    private static void append(StringBuilder out, Object value) {
        switch (value) {
            case null -> out.append("null");
            case byte[] bytes -> out.append("java.nio.HeapByteBuffer[pos=0 lim=").append(bytes.length)
                    .append(" cap=").append(bytes.length).append(']');
            case List<?> list -> {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    append(out, list.get(i));
                }
                out.append(']');
            }
            case Map<?, ?> map -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    out.append(entry.getKey()).append('=');
                    append(out, entry.getValue());
                }
                out.append('}');
            }
            case AttributeValue attributeValue -> appendAttributeValue(out, attributeValue);
            case Record record -> appendRecord(out, record);
            default -> out.append(value);
        }
    }

    /** One member per type, in the model's order, the set one with its value. */
    private static void appendAttributeValue(StringBuilder out, AttributeValue value) {
        Object s = value instanceof AttributeValue.S v ? v.value() : null;
        Object n = value instanceof AttributeValue.N v ? v.value() : null;
        Object b = value instanceof AttributeValue.B v ? v.value() : null;
        Object ss = value instanceof AttributeValue.SS v ? v.values() : null;
        Object ns = value instanceof AttributeValue.NS v ? v.values() : null;
        Object bs = value instanceof AttributeValue.BS v ? v.values() : null;
        Object m = value instanceof AttributeValue.M v ? v.values() : null;
        Object l = value instanceof AttributeValue.L v ? v.values() : null;
        Object isNull = value instanceof AttributeValue.Null ? Boolean.TRUE : null;
        Object bool = value instanceof AttributeValue.Bool v ? v.value() : null;
        out.append("AttributeValue(");
        appendMembers(out, new String[] {"s", "n", "b", "sS", "nS", "bS", "m", "l", "nULL", "bOOL"},
                new Object[] {s, n, b, ss, ns, bs, m, l, isNull, bool});
        out.append(')');
    }

    private static void appendRecord(StringBuilder out, Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        String[] names = new String[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            names[i] = components[i].getName();
            try {
                values[i] = components[i].getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + names[i] + " of " + record.getClass(), e);
            }
        }
        out.append(record.getClass().getSimpleName()).append('(');
        appendMembers(out, names, values);
        out.append(')');
    }

    private static void appendMembers(StringBuilder out, String[] names, Object[] values) {
        StringJoiner joiner = new StringJoiner(", ");
        for (int i = 0; i < names.length; i++) {
            joiner.add(names[i] + "=" + of(values[i]));
        }
        out.append(joiner);
    }
}

package dev.flywheel.model;

import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A DynamoDB attribute value: one of the ten types of the wire protocol.
 *
 * <p>Immutable. Numbers keep the text they were given ({@link N#value()}); the engine validates and
 * normalizes them (38 significant digits, DynamoDB's range) before storing. Sets keep the order they
 * were given; the engine rejects duplicates and empty sets. Binary values wrap a {@code byte[]} that
 * nobody may mutate after construction (copying every binary on the hot path costs more than the
 * discipline).
 */
public sealed interface AttributeValue {

    /** The type descriptor used on the wire and in error messages: "S", "N", "B", "SS", ... */
    String type();

    record S(String value) implements AttributeValue {
        public S { Objects.requireNonNull(value, "value"); }
        @Override public String type() { return "S"; }
    }

    record N(String value) implements AttributeValue {
        public N { Objects.requireNonNull(value, "value"); }
        @Override public String type() { return "N"; }
    }

    record B(byte[] value) implements AttributeValue {
        public B { Objects.requireNonNull(value, "value"); }
        @Override public String type() { return "B"; }
        @Override public boolean equals(Object o) { return o instanceof B b && Arrays.equals(value, b.value); }
        @Override public int hashCode() { return Arrays.hashCode(value); }
        @Override public String toString() { return "B[" + Base64.getEncoder().encodeToString(value) + "]"; }
    }

    record SS(List<String> values) implements AttributeValue {
        public SS { values = List.copyOf(values); }
        @Override public String type() { return "SS"; }
    }

    record NS(List<String> values) implements AttributeValue {
        public NS { values = List.copyOf(values); }
        @Override public String type() { return "NS"; }
    }

    record BS(List<byte[]> values) implements AttributeValue {
        public BS { values = List.copyOf(values); }
        @Override public String type() { return "BS"; }
        @Override public boolean equals(Object o) {
            if (!(o instanceof BS other) || other.values.size() != values.size()) return false;
            for (int i = 0; i < values.size(); i++) {
                if (!Arrays.equals(values.get(i), other.values.get(i))) return false;
            }
            return true;
        }
        @Override public int hashCode() {
            int h = 1;
            for (byte[] b : values) h = 31 * h + Arrays.hashCode(b);
            return h;
        }
        @Override public String toString() {
            return "BS" + values.stream().map(b -> Base64.getEncoder().encodeToString(b)).toList();
        }
    }

    /** A map; iteration order is the order the attributes were given. */
    record M(Map<String, AttributeValue> values) implements AttributeValue {
        public M { values = Objects.requireNonNull(values, "values"); }
        @Override public String type() { return "M"; }
    }

    record L(List<AttributeValue> values) implements AttributeValue {
        public L { values = List.copyOf(values); }
        @Override public String type() { return "L"; }
    }

    record Null() implements AttributeValue {
        @Override public String type() { return "NULL"; }
    }

    record Bool(boolean value) implements AttributeValue {
        @Override public String type() { return "BOOL"; }
    }

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    static S s(String value) { return new S(value); }
    static N n(String value) { return new N(value); }
    static N n(long value) { return new N(Long.toString(value)); }
    static B b(byte[] value) { return new B(value); }
    static Bool bool(boolean value) { return value ? TRUE : FALSE; }
}

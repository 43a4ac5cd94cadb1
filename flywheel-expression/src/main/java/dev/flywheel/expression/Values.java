package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Equality and ordering of attribute values as DynamoDB's conditions see them: values of
 * different types are never equal; numbers compare as exact decimals ("1" = "1.0"); strings order
 * by their UTF-8 bytes, binaries by unsigned bytes; sets are equal when they hold the same
 * elements in any order; lists and maps compare element by element.
 */
final class Values {
    private Values() {}

    static boolean equal(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.S x -> b instanceof AttributeValue.S y && x.value().equals(y.value());
            case AttributeValue.N x -> b instanceof AttributeValue.N y && Numbers.parse(x).compareTo(Numbers.parse(y)) == 0;
            case AttributeValue.B x -> b instanceof AttributeValue.B y && Arrays.equals(x.value(), y.value());
            case AttributeValue.Bool x -> b instanceof AttributeValue.Bool y && x.value() == y.value();
            case AttributeValue.Null x -> b instanceof AttributeValue.Null;
            case AttributeValue.SS x -> b instanceof AttributeValue.SS y && new HashSet<>(x.values()).equals(new HashSet<>(y.values()));
            case AttributeValue.NS x -> b instanceof AttributeValue.NS y && numberSet(x.values()).equals(numberSet(y.values()));
            case AttributeValue.BS x -> b instanceof AttributeValue.BS y && binarySet(x.values()).equals(binarySet(y.values()));
            case AttributeValue.L x -> b instanceof AttributeValue.L y && equalLists(x.values(), y.values());
            case AttributeValue.M x -> b instanceof AttributeValue.M y && equalMaps(x.values(), y.values());
        };
    }

    /** True for the three types that have an order: S, N and B. */
    static boolean isOrdered(AttributeValue v) {
        return v instanceof AttributeValue.S || v instanceof AttributeValue.N || v instanceof AttributeValue.B;
    }

    /** Compares two values of the same ordered type; callers check {@link #comparable} first. */
    static int compare(AttributeValue a, AttributeValue b) {
        return switch (a) {
            case AttributeValue.S x -> compareUtf8(x.value(), ((AttributeValue.S) b).value());
            case AttributeValue.N x -> Numbers.parse(x).compareTo(Numbers.parse((AttributeValue.N) b));
            case AttributeValue.B x -> Arrays.compareUnsigned(x.value(), ((AttributeValue.B) b).value());
            default -> throw new IllegalArgumentException("not an ordered type: " + a.type());
        };
    }

    static boolean comparable(AttributeValue a, AttributeValue b) {
        return a != null && b != null && isOrdered(a) && a.type().equals(b.type());
    }

    /**
     * Code point order is UTF-8 byte order; Java's String.compareTo (UTF-16 units) differs for
     * characters above U+FFFF versus U+E000..U+FFFF.
     */
    static int compareUtf8(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** The set's elements as numbers with one spelling each, so "1" and "1.0" are one element. */
    static Set<BigDecimal> numberSet(List<String> values) {
        Set<BigDecimal> set = new HashSet<>();
        for (String v : values) set.add(canonical(new BigDecimal(v)));
        return set;
    }

    static BigDecimal canonical(BigDecimal n) {
        return n.signum() == 0 ? BigDecimal.ZERO : n.stripTrailingZeros();
    }

    static Set<ByteBuffer> binarySet(List<byte[]> values) {
        Set<ByteBuffer> set = new HashSet<>();
        for (byte[] v : values) set.add(ByteBuffer.wrap(v));
        return set;
    }

    private static boolean equalLists(List<AttributeValue> a, List<AttributeValue> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) {
            if (!equal(a.get(i), b.get(i))) return false;
        }
        return true;
    }

    private static boolean equalMaps(Map<String, AttributeValue> a, Map<String, AttributeValue> b) {
        if (a.size() != b.size()) return false;
        for (Map.Entry<String, AttributeValue> e : a.entrySet()) {
            AttributeValue other = b.get(e.getKey());
            if (other == null || !equal(e.getValue(), other)) return false;
        }
        return true;
    }

    /** DynamoDB's rendering of a scalar in messages, e.g. {@code AttributeValue: {N:1}}. */
    static String describe(AttributeValue v) {
        String body = switch (v) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.value();
            case AttributeValue.B b -> java.util.Base64.getEncoder().encodeToString(b.value());
            default -> v.toString();
        };
        return "AttributeValue: {" + v.type() + ":" + body + "}";
    }
}

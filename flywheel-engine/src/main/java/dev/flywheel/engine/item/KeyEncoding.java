package dev.flywheel.engine.item;

import dev.flywheel.model.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * Encodes key attribute values to bytes whose unsigned lexicographic order is DynamoDB's order for
 * that type, so that storage's row order is a Query's sort order:
 * <ul>
 *   <li>S: the UTF-8 bytes (DynamoDB orders strings by their UTF-8 bytes, unsigned);
 *   <li>B: the bytes themselves (unsigned order, as DynamoDB);
 *   <li>N: a sign byte (1 negative, 2 zero, 3 positive), the exponent of the leading digit as two
 *       bytes, then one byte per digit. Positive: exponent + 0x8000 and digit + 1, so a longer digit
 *       string sorts after its prefix (0.12 &lt; 0.123). Negative: everything complemented and a
 *       terminator 0xFF, so -0.123 &lt; -0.12.
 * </ul>
 * A key attribute has one type per table, so the encodings of different types never meet. The
 * encoding is persisted: it must never change.
 */
public final class KeyEncoding {
    private static final int NEGATIVE = 1, ZERO = 2, POSITIVE = 3;

    private KeyEncoding() {}

    /** The bytes of a validated, normalized key value (S, N or B). */
    public static byte[] encode(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> s.value().getBytes(StandardCharsets.UTF_8);
            case AttributeValue.B b -> b.value();
            case AttributeValue.N n -> encodeNumber(DynamoNumber.parse(n.value()));
            default -> throw new IllegalArgumentException("not a key type: " + value.type());
        };
    }

    /** Decodes {@link #encode} given the key's type ("S", "N" or "B"). */
    public static AttributeValue decode(String type, byte[] bytes) {
        return switch (type) {
            case "S" -> new AttributeValue.S(new String(bytes, StandardCharsets.UTF_8));
            case "B" -> new AttributeValue.B(bytes);
            case "N" -> new AttributeValue.N(DynamoNumber.format(decodeNumber(bytes)));
            default -> throw new IllegalArgumentException("not a key type: " + type);
        };
    }

    static byte[] encodeNumber(BigDecimal value) {
        if (value.signum() == 0) return new byte[] {ZERO};
        String digits = DynamoNumber.digits(value);
        int exponent = value.precision() - value.scale() - 1;
        boolean negative = value.signum() < 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream(digits.length() + 4);
        out.write(negative ? NEGATIVE : POSITIVE);
        int e = exponent + 0x8000;
        if (negative) e = ~e & 0xFFFF;
        out.write(e >>> 8);
        out.write(e & 0xFF);
        for (int i = 0; i < digits.length(); i++) {
            int d = digits.charAt(i) - '0' + 1;
            out.write(negative ? 0xFE - d : d);
        }
        if (negative) out.write(0xFF);
        return out.toByteArray();
    }

    static BigDecimal decodeNumber(byte[] bytes) {
        if (bytes[0] == ZERO) return BigDecimal.ZERO;
        boolean negative = bytes[0] == NEGATIVE;
        int e = ((bytes[1] & 0xFF) << 8) | (bytes[2] & 0xFF);
        if (negative) e = ~e & 0xFFFF;
        int exponent = e - 0x8000;
        int end = negative ? bytes.length - 1 : bytes.length;
        StringBuilder digits = new StringBuilder(end - 3);
        for (int i = 3; i < end; i++) {
            int b = bytes[i] & 0xFF;
            int d = (negative ? 0xFE - b : b) - 1;
            digits.append((char) ('0' + d));
        }
        // value = 0.digits x 10^(exponent+1) = digits x 10^(exponent + 1 - len)
        BigDecimal v = new BigDecimal(new java.math.BigInteger(digits.toString()), digits.length() - exponent - 1);
        return negative ? v.negate() : v;
    }
}

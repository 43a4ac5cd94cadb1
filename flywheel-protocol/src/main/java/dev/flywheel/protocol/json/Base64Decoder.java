package dev.flywheel.protocol.json;

/**
 * Decodes a blob the way DynamoDB does: the standard base64 alphabet, always padded, and strict
 * about the bits the last character leaves unused, so that every blob has exactly one encoding.
 * {@link java.util.Base64} is more lenient (it accepts "+/+="), hence this decoder.
 *
 * <p>DynamoDB's messages, as recorded against the service by dynalite: "Base64 encoded length is
 * expected a multiple of 4 bytes but found: 5", and "Invalid last non-pad Base64 character
 * dectected" (sic), which it checks before the other characters. A stray character elsewhere gets
 * "Invalid Base64 character: '!'", DynamoDB's older wording for it.
 */
final class Base64Decoder {
    private static final byte[] EMPTY = {};
    /** Each character's 6-bit value, or -1. */
    private static final int[] VALUES = new int[128];

    static {
        java.util.Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private Base64Decoder() {}

    /** Decodes {@code text[offset, offset+length)}, or throws DynamoDB's SerializationException. */
    static byte[] decode(char[] text, int offset, int length) {
        if (length % 4 != 0) {
            throw JsonInput.serialization(
                    "Base64 encoded length is expected a multiple of 4 bytes but found: " + length);
        }
        if (length == 0) {
            return EMPTY;
        }
        int end = offset + length;
        int padding = text[end - 1] != '=' ? 0 : text[end - 2] != '=' ? 1 : 2;
        int dataEnd = end - padding;
        // With one '=' the last data character carries 4 bits, with two it carries 2.
        int last = value(text[dataEnd - 1]);
        int unusedBits = padding == 0 ? 0 : padding == 1 ? 0x3 : 0xF;
        if (last >= 0 && (last & unusedBits) != 0) {
            throw JsonInput.serialization("Invalid last non-pad Base64 character dectected");
        }
        byte[] out = new byte[length / 4 * 3 - padding];
        int bits = 0;
        int bitCount = 0;
        int n = 0;
        for (int i = offset; i < dataEnd; i++) {
            int v = value(text[i]);
            if (v < 0) {
                throw JsonInput.serialization("Invalid Base64 character: '" + text[i] + "'");
            }
            bits = (bits << 6) | v;
            bitCount += 6;
            if (bitCount >= 8) {
                bitCount -= 8;
                out[n++] = (byte) (bits >> bitCount);
            }
        }
        return out;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }
}

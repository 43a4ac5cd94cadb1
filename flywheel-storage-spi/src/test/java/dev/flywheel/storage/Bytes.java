package dev.flywheel.storage;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

/**
 * Test keys and values written as strings whose chars are bytes (ISO-8859-1), so that {@code "a\u00FF"}
 * is the two bytes {@code 61 FF}; and bytes shown back as readable text.
 */
public final class Bytes {
    private Bytes() {}

    public static byte[] bytes(String chars) {
        return chars.getBytes(ISO_8859_1);
    }

    /** Printable ASCII as is, any other byte (and the backslash) as {@code \xNN}. */
    public static String show(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') s.append((char) c);
            else s.append(String.format("\\x%02X", c));
        }
        return s.toString();
    }

    public static String show(String chars) {
        return show(bytes(chars));
    }

    /** Rows as {@code partitionKey/sortKey=value}. */
    public static String show(Row row) {
        return show(row.partitionKey()) + "/" + show(row.sortKey()) + "=" + show(row.value());
    }
}

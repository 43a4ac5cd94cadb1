package dev.flywheel.engine.index;

import dev.flywheel.storage.KeyRange;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Several byte strings joined into one, so that the unsigned byte order of the joined keys is the
 * lexicographic order of the tuples (component by component, each compared unsigned, a shorter
 * component first when it is a prefix of the other). An index entry's sort key is such a tuple: the
 * index's sort key value (if any), then the table's partition and sort keys, so that entries with
 * equal index keys stay distinct and ordered.
 *
 * <p>Each component is written with every 0x00 byte escaped as 0x00 0xFF, then the terminator 0x00
 * 0x01 (the escaping of FoundationDB's tuple layer). Escaped bytes never hold 0x00 0x01, so a
 * component ends exactly at its terminator (self-delimiting), and a terminator sorts below any byte a
 * longer component continues with (0x00 0xFF or 0x01..0xFF), so a prefix sorts first. Persisted in
 * index rows: never change it.
 */
public final class CompositeKey {
    private static final int ESCAPE = 0x00, ESCAPED_ZERO = 0xFF, TERMINATOR = 0x01;

    private CompositeKey() {}

    public static byte[] encode(List<byte[]> components) {
        int size = 0;
        for (byte[] c : components) size += c.length + 2;
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 8);
        for (byte[] c : components) writeComponent(out, c);
        return out.toByteArray();
    }

    /** The components of {@link #encode}'s result, in order. */
    public static List<byte[]> decode(byte[] key) {
        List<byte[]> components = new ArrayList<>(3);
        ByteArrayOutputStream component = new ByteArrayOutputStream();
        for (int i = 0; i < key.length; i++) {
            int b = key[i] & 0xFF;
            if (b != ESCAPE) {
                component.write(b);
                continue;
            }
            if (i + 1 >= key.length) throw new IllegalArgumentException("truncated composite key");
            int next = key[++i] & 0xFF;
            if (next == ESCAPED_ZERO) {
                component.write(0);
            } else if (next == TERMINATOR) {
                components.add(component.toByteArray());
                component.reset();
            } else {
                throw new IllegalArgumentException("invalid escape in composite key: " + next);
            }
        }
        if (component.size() > 0) throw new IllegalArgumentException("unterminated composite key");
        return components;
    }

    /**
     * The range of composite keys whose first component lies in {@code firstComponent} (a range of raw
     * values). Bounds map one by one: a composite key starting with value v is at least
     * {@code component(v)} and below its successor, so an inclusive lower bound v is {@code component(v)},
     * an exclusive one the successor; an inclusive upper bound v is below the successor, an exclusive one
     * below {@code component(v)}. A prefix range [p, successor(p)) thus becomes the keys whose first
     * component starts with p.
     */
    public static KeyRange firstComponentIn(KeyRange firstComponent) {
        return componentIn(List.of(), firstComponent);
    }

    /**
     * The range of composite keys that start with the components {@code leading} and whose next
     * component lies in {@code next} (a range of raw values): a Query on a multi-attribute sort key fixes
     * its first attributes by equality and may bound the one after them. Bounds map as in
     * {@link #firstComponentIn}, after the leading components; a missing bound becomes the edge of the
     * keys starting with them (all keys when there are none).
     */
    public static KeyRange componentIn(List<byte[]> leading, KeyRange next) {
        byte[] head = encode(leading);
        byte[] lower = head.length == 0 ? null : head, upper = head.length == 0 ? null : KeyRange.successor(head);
        if (next.lower() != null) {
            byte[] c = concat(head, component(next.lower()));
            lower = next.lowerInclusive() ? c : KeyRange.successor(c);
        }
        if (next.upper() != null) {
            byte[] c = concat(head, component(next.upper()));
            upper = next.upperInclusive() ? KeyRange.successor(c) : c;
        }
        // Components always end with the terminator 0x01, so the successors above always exist.
        return new KeyRange(lower, true, upper, false);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** One component as it is written: escaped and terminated. */
    static byte[] component(byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 2);
        writeComponent(out, value);
        return out.toByteArray();
    }

    private static void writeComponent(ByteArrayOutputStream out, byte[] value) {
        for (byte b : value) {
            if (b == 0) {
                out.write(ESCAPE);
                out.write(ESCAPED_ZERO);
            } else {
                out.write(b);
            }
        }
        out.write(ESCAPE);
        out.write(TERMINATOR);
    }
}

package dev.flywheel.engine.item;

import dev.flywheel.model.AttributeValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The stored form of an item: a format byte, the item's DynamoDB size (format 2), then the attributes
 * as (name, typed value), with lengths as unsigned varints. Type tags and formats are persisted: never
 * renumber them, only add; format 1 (no size) is still read.
 *
 * <p>Every value is self-delimiting, so a reader can skip the attributes it does not need: a Query's
 * filter or projection decodes only the attributes it names ({@link #decode(byte[], Set)}), and the size
 * DynamoDB charges capacity for is read from the header ({@link #size(byte[])}) without decoding.
 */
public final class ItemCodec {
    private static final int FORMAT_V1 = 1;
    private static final int FORMAT_V2 = 2;
    private static final int S = 1, N = 2, B = 3, SS = 4, NS = 5, BS = 6, M = 7, L = 8, NULL = 9,
            FALSE = 10, TRUE = 11;

    private ItemCodec() {}

    public static byte[] encode(Map<String, AttributeValue> item) {
        Out out = new Out(256);
        out.write(FORMAT_V2);
        out.varlong(ItemSize.of(item));
        writeMap(out, item);
        return out.toByteArray();
    }

    public static Map<String, AttributeValue> decode(byte[] bytes) {
        return readMap(attributes(bytes), null);
    }

    /** Only the top-level attributes named in {@code names} (those the item has); the rest are skipped. */
    public static Map<String, AttributeValue> decode(byte[] bytes, Set<String> names) {
        return readMap(attributes(bytes), names);
    }

    /** The item's size as DynamoDB counts it ({@link ItemSize}), without decoding its values. */
    public static long size(byte[] bytes) {
        if (bytes[0] == FORMAT_V2) return new In(bytes, 1).varlong();
        return ItemSize.of(decode(bytes));
    }

    /** A reader positioned on the attribute count, past the format header. */
    private static In attributes(byte[] bytes) {
        In in = new In(bytes, 0);
        int format = in.read();
        if (format == FORMAT_V2) in.varlong();
        else if (format != FORMAT_V1) throw new IllegalStateException("unknown item format " + format);
        return in;
    }

    private static void writeMap(Out out, Map<String, AttributeValue> map) {
        out.varint(map.size());
        for (Map.Entry<String, AttributeValue> e : map.entrySet()) {
            out.string(e.getKey());
            writeValue(out, e.getValue());
        }
    }

    private static void writeValue(Out out, AttributeValue value) {
        switch (value) {
            case AttributeValue.S s -> { out.write(S); out.string(s.value()); }
            case AttributeValue.N n -> { out.write(N); out.string(n.value()); }
            case AttributeValue.B b -> { out.write(B); out.bytes(b.value()); }
            case AttributeValue.SS ss -> { out.write(SS); out.varint(ss.values().size()); ss.values().forEach(out::string); }
            case AttributeValue.NS ns -> { out.write(NS); out.varint(ns.values().size()); ns.values().forEach(out::string); }
            case AttributeValue.BS bs -> { out.write(BS); out.varint(bs.values().size()); bs.values().forEach(out::bytes); }
            case AttributeValue.M m -> { out.write(M); writeMap(out, m.values()); }
            case AttributeValue.L l -> {
                out.write(L);
                out.varint(l.values().size());
                for (AttributeValue v : l.values()) writeValue(out, v);
            }
            case AttributeValue.Null ignored -> out.write(NULL);
            case AttributeValue.Bool b -> out.write(b.value() ? TRUE : FALSE);
        }
    }

    /** The map's entries, or (names non-null) only those named: the others are skipped unread. */
    private static Map<String, AttributeValue> readMap(In in, Set<String> names) {
        int n = in.varint();
        Map<String, AttributeValue> map = LinkedHashMap.newLinkedHashMap(names == null ? n : Math.min(n, names.size()));
        for (int i = 0; i < n; i++) {
            String name = in.string();
            if (names == null || names.contains(name)) map.put(name, readValue(in));
            else skipValue(in);
        }
        return map;
    }

    private static void skipValue(In in) {
        int tag = in.read();
        switch (tag) {
            case S, N, B -> in.skipBytes();
            case SS, NS, BS -> { int n = in.varint(); for (int i = 0; i < n; i++) in.skipBytes(); }
            case M -> { int n = in.varint(); for (int i = 0; i < n; i++) { in.skipBytes(); skipValue(in); } }
            case L -> { int n = in.varint(); for (int i = 0; i < n; i++) skipValue(in); }
            case NULL, TRUE, FALSE -> { }
            default -> throw new IllegalStateException("unknown attribute tag " + tag);
        }
    }

    private static AttributeValue readValue(In in) {
        int tag = in.read();
        return switch (tag) {
            case S -> new AttributeValue.S(in.string());
            case N -> new AttributeValue.N(in.string());
            case B -> new AttributeValue.B(in.bytes());
            case SS -> { int n = in.varint(); List<String> v = new ArrayList<>(n); for (int i = 0; i < n; i++) v.add(in.string()); yield new AttributeValue.SS(v); }
            case NS -> { int n = in.varint(); List<String> v = new ArrayList<>(n); for (int i = 0; i < n; i++) v.add(in.string()); yield new AttributeValue.NS(v); }
            case BS -> { int n = in.varint(); List<byte[]> v = new ArrayList<>(n); for (int i = 0; i < n; i++) v.add(in.bytes()); yield new AttributeValue.BS(v); }
            case M -> new AttributeValue.M(readMap(in, null));
            case L -> { int n = in.varint(); List<AttributeValue> v = new ArrayList<>(n); for (int i = 0; i < n; i++) v.add(readValue(in)); yield new AttributeValue.L(v); }
            case NULL -> AttributeValue.NULL;
            case TRUE -> AttributeValue.TRUE;
            case FALSE -> AttributeValue.FALSE;
            default -> throw new IllegalStateException("unknown attribute tag " + tag);
        };
    }

    private static final class Out extends ByteArrayOutputStream {
        Out(int size) { super(size); }

        void varint(int v) {
            while ((v & ~0x7F) != 0) { write((v & 0x7F) | 0x80); v >>>= 7; }
            write(v);
        }

        void varlong(long v) {
            while ((v & ~0x7FL) != 0) { write((int) (v & 0x7F) | 0x80); v >>>= 7; }
            write((int) v);
        }

        void bytes(byte[] b) { varint(b.length); write(b, 0, b.length); }

        void string(String s) { bytes(s.getBytes(StandardCharsets.UTF_8)); }
    }

    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] buf, int pos) {
            this.buf = buf;
            this.pos = pos;
        }

        int read() { return buf[pos++] & 0xFF; }

        int varint() {
            int v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = read();
                v |= (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                int b = read();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) return v;
            }
        }

        void skipBytes() {
            int n = varint();
            pos += n;
        }

        byte[] bytes() {
            int n = varint();
            byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
            pos += n;
            return b;
        }

        String string() {
            int n = varint();
            String s = new String(buf, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}

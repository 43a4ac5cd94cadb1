package dev.flywheel.engine.item;

import dev.flywheel.model.AttributeValue;
import java.util.Map;

/**
 * An item's size as DynamoDB computes it for the 400 KB limit and for capacity (Developer Guide,
 * "Item sizes and formats"): the UTF-8 length of each attribute name plus the size of its value.
 * Strings count their UTF-8 bytes, binaries their bytes, numbers about one byte per two significant
 * digits plus one, booleans and nulls one byte; sets the sum of their elements; lists and maps three
 * bytes of overhead plus their elements plus one byte per element.
 */
public final class ItemSize {
    public static final int MAX_ITEM_BYTES = 400 * 1024;

    private ItemSize() {}

    public static long of(Map<String, AttributeValue> item) {
        long size = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            size += utf8Length(e.getKey()) + of(e.getValue());
        }
        return size;
    }

    public static long of(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> utf8Length(s.value());
            case AttributeValue.N n -> numberSize(n.value());
            case AttributeValue.B b -> b.value().length;
            case AttributeValue.SS ss -> ss.values().stream().mapToLong(ItemSize::utf8Length).sum();
            case AttributeValue.NS ns -> ns.values().stream().mapToLong(ItemSize::numberSize).sum();
            case AttributeValue.BS bs -> bs.values().stream().mapToLong(b -> b.length).sum();
            case AttributeValue.M m -> {
                long size = 3;
                for (Map.Entry<String, AttributeValue> e : m.values().entrySet()) {
                    size += utf8Length(e.getKey()) + of(e.getValue()) + 1;
                }
                yield size;
            }
            case AttributeValue.L l -> {
                long size = 3;
                for (AttributeValue v : l.values()) size += of(v) + 1;
                yield size;
            }
            case AttributeValue.Null ignored -> 1;
            case AttributeValue.Bool ignored -> 1;
        };
    }

    private static long numberSize(String number) {
        return DynamoNumber.size(number);
    }

    /** UTF-8 length without encoding the string. */
    public static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) n += 1;
            else if (c < 0x800) n += 2;
            else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else n += 3;
        }
        return n;
    }
}

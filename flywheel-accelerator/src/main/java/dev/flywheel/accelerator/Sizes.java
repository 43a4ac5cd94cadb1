package dev.flywheel.accelerator;

import dev.flywheel.model.AttributeValue;
import java.util.List;
import java.util.Map;

/**
 * Estimated heap bytes of cached values, for the caches' byte bound (Caffeine's weigher). Estimates,
 * not measurements: a fixed overhead per object plus the payload, which keeps the bound honest within
 * a small factor without walking the heap.
 */
final class Sizes {
    /** A small object's header and fields, or a map entry. */
    private static final int OBJECT = 32;

    private Sizes() {}

    static long item(Map<String, AttributeValue> item) {
        if (item == null) {
            return OBJECT;
        }
        long size = OBJECT;
        for (Map.Entry<String, AttributeValue> attribute : item.entrySet()) {
            size += OBJECT + attribute.getKey().length() + value(attribute.getValue());
        }
        return size;
    }

    static long items(List<Map<String, AttributeValue>> items) {
        long size = OBJECT;
        if (items != null) {
            for (Map<String, AttributeValue> item : items) {
                size += item(item);
            }
        }
        return size;
    }

    static long value(AttributeValue value) {
        return OBJECT + switch (value) {
            case AttributeValue.S s -> s.value().length();
            case AttributeValue.N n -> n.value().length();
            case AttributeValue.B b -> b.value().length;
            case AttributeValue.SS ss -> ss.values().stream().mapToLong(v -> OBJECT + v.length()).sum();
            case AttributeValue.NS ns -> ns.values().stream().mapToLong(v -> OBJECT + v.length()).sum();
            case AttributeValue.BS bs -> bs.values().stream().mapToLong(v -> OBJECT + v.length).sum();
            case AttributeValue.M m -> item(m.values());
            case AttributeValue.L l -> l.values().stream().mapToLong(Sizes::value).sum();
            case AttributeValue.Null x -> 0;
            case AttributeValue.Bool x -> 0;
        };
    }

    /** Caffeine weighs entries in ints. */
    static int weight(long bytes) {
        return (int) Math.min(Integer.MAX_VALUE, bytes);
    }
}

package dev.flywheel.engine.item;

import dev.flywheel.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;

/** The legacy {@code AttributesToGet} projection: the named top-level attributes an item has. */
public final class AttributesToGet {
    private AttributesToGet() {}

    /** The item itself when {@code names} is null, else the named attributes it has, in that order. */
    public static Map<String, AttributeValue> apply(Map<String, AttributeValue> item, Iterable<String> names) {
        if (names == null) return item;
        Map<String, AttributeValue> out = new LinkedHashMap<>();
        for (String name : names) {
            AttributeValue v = item.get(name);
            if (v != null) out.put(name, v);
        }
        return out;
    }
}

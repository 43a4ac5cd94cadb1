package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.util.List;
import java.util.Map;

/** Reads the value at a resolved document path. */
final class Paths {
    private Paths() {}

    /** The value at the path, or null when the path leads nowhere (missing key, index past the end, wrong type). */
    static AttributeValue get(Map<String, AttributeValue> item, DocumentPath path) {
        List<PathElement> elements = path.elements();
        AttributeValue current = item.get(name(elements.getFirst()));
        for (int i = 1; i < elements.size() && current != null; i++) {
            current = switch (elements.get(i)) {
                case PathElement.Name n -> current instanceof AttributeValue.M m ? m.values().get(n.name()) : null;
                case PathElement.Index x -> current instanceof AttributeValue.L l && x.index() < l.values().size()
                        ? l.values().get(x.index()) : null;
                case PathElement.NameRef r -> throw unresolved(r);
            };
        }
        return current;
    }

    static String name(PathElement element) {
        return switch (element) {
            case PathElement.Name n -> n.name();
            case PathElement.NameRef r -> throw unresolved(r);
            case PathElement.Index x -> throw new IllegalArgumentException("a path starts with a name");
        };
    }

    static IllegalStateException unresolved(Object placeholder) {
        return new IllegalStateException("expression not resolved: " + placeholder + "; resolve it with Placeholders first");
    }
}

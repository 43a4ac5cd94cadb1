package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Selects document paths from an item the way DynamoDB returns a ProjectionExpression: nested
 * values stay inside their maps and lists, elements picked from a list come back as a shorter list
 * in index order ({@code a[2], a[0]} of {@code [x, y, z]} is {@code [x, z]}), and paths that lead
 * nowhere are left out, together with any map or list left empty by that. Thread-safe.
 */
public final class Projection {
    private Projection() {}

    public static Map<String, AttributeValue> apply(ProjectionExpression projection, Map<String, AttributeValue> item) {
        return apply(projection.paths(), item);
    }

    /** The selected parts of the item; the paths must be resolved. */
    public static Map<String, AttributeValue> apply(List<DocumentPath> paths, Map<String, AttributeValue> item) {
        Node root = new Node();
        for (DocumentPath path : paths) {
            Node node = root;
            for (PathElement e : path.elements()) node = node.child(e);
            node.whole = true;
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>();
        root.names.forEach((name, node) -> {
            AttributeValue selected = select(item.get(name), node);
            if (selected != null) result.put(name, selected);
        });
        return result;
    }

    /** A tree of the requested paths; {@code whole} marks a path's end, whose value is taken entire. */
    private static final class Node {
        final Map<String, Node> names = new LinkedHashMap<>();
        final TreeMap<Integer, Node> indexes = new TreeMap<>();
        boolean whole;

        Node child(PathElement e) {
            return switch (e) {
                case PathElement.Name n -> names.computeIfAbsent(n.name(), k -> new Node());
                case PathElement.Index x -> indexes.computeIfAbsent(x.index(), k -> new Node());
                case PathElement.NameRef r -> throw Paths.unresolved(r.placeholder());
            };
        }
    }

    private static AttributeValue select(AttributeValue value, Node node) {
        if (value == null || node.whole) return value;
        if (value instanceof AttributeValue.M m && !node.names.isEmpty()) {
            Map<String, AttributeValue> out = new LinkedHashMap<>();
            node.names.forEach((name, child) -> {
                AttributeValue selected = select(m.values().get(name), child);
                if (selected != null) out.put(name, selected);
            });
            return out.isEmpty() ? null : new AttributeValue.M(out);
        }
        if (value instanceof AttributeValue.L l && !node.indexes.isEmpty()) {
            List<AttributeValue> out = new ArrayList<>();
            node.indexes.forEach((index, child) -> {
                AttributeValue selected = index < l.values().size() ? select(l.values().get(index), child) : null;
                if (selected != null) out.add(selected);
            });
            return out.isEmpty() ? null : new AttributeValue.L(out);
        }
        return null;
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Applies a resolved UpdateExpression to an item (an empty map when the item does not exist yet),
 * returning a new item; the input is not modified. Stateless and thread-safe.
 *
 * <p>DynamoDB applies all actions as one change computed from the item as it was: every SET value,
 * ADD and DELETE is evaluated against the old item first, then the changes are merged in a tree
 * of paths and written. List indexes therefore refer to the old list: {@code REMOVE a[1], a[2]}
 * removes the second and third elements, and values SET past the end are appended in index order
 * (DynamoDB's own result for {@code SET c[4] = .., c[2] = ..} on a two-element list).
 *
 * <p>Runtime errors, with DynamoDB's messages: a SET operand that refers to a missing attribute;
 * arithmetic, list_append, ADD or DELETE on the wrong types ("An operand in the update expression
 * has an incorrect data type"); a path whose parent is missing or not a map/list ("The document
 * path provided in the update expression is invalid for update"); number overflow.
 */
public final class UpdateEvaluator {
    private UpdateEvaluator() {}

    public static UpdateResult apply(UpdateExpression update, Map<String, AttributeValue> item) {
        Change root = new Change();
        List<DocumentPath> paths = new ArrayList<>();
        for (UpdateAction action : update.actions()) {
            Change leaf = root;
            for (PathElement e : action.path().elements()) leaf = leaf.child(e);
            if (leaf.kind != null || leaf.hasChildren()) {
                throw new IllegalArgumentException("overlapping update paths; resolve the expression with Placeholders first");
            }
            leaf.kind = Change.Kind.KEEP;
            switch (action) {
                case UpdateAction.Set s -> leaf.put(setValue(s.value(), item));
                case UpdateAction.Remove r -> leaf.kind = Change.Kind.REMOVE;
                case UpdateAction.Add a -> leaf.put(add(Paths.get(item, a.path()), literal(a.value())));
                case UpdateAction.Delete d -> {
                    AttributeValue existing = Paths.get(item, d.path());
                    // DELETE from a missing attribute changes nothing (but its parent must still exist).
                    if (existing != null) {
                        AttributeValue rest = delete(existing, literal(d.value()));
                        if (rest == null) leaf.kind = Change.Kind.REMOVE;
                        else leaf.put(rest);
                    }
                }
            }
            paths.add(action.path());
        }
        Map<String, AttributeValue> result = new LinkedHashMap<>(item);
        root.names.forEach((name, change) -> applyToMapEntry(result, name, change));
        return new UpdateResult(result, paths);
    }

    /** What happens at one node of the path tree: a leaf change, or changes further down. */
    private static final class Change {
        enum Kind { PUT, REMOVE, KEEP }

        Kind kind;
        AttributeValue value;
        final Map<String, Change> names = new LinkedHashMap<>();
        final TreeMap<Integer, Change> indexes = new TreeMap<>();

        Change child(PathElement e) {
            if (kind != null) throw new IllegalArgumentException("overlapping update paths; resolve the expression with Placeholders first");
            return switch (e) {
                case PathElement.Name n -> names.computeIfAbsent(n.name(), k -> new Change());
                case PathElement.Index x -> indexes.computeIfAbsent(x.index(), k -> new Change());
                case PathElement.NameRef r -> throw Paths.unresolved(r.placeholder());
            };
        }

        boolean hasChildren() { return !names.isEmpty() || !indexes.isEmpty(); }

        void put(AttributeValue v) {
            kind = Kind.PUT;
            value = v;
        }
    }

    private static void applyToMapEntry(Map<String, AttributeValue> map, String name, Change change) {
        if (change.kind == null) {
            AttributeValue existing = map.get(name);
            if (existing == null) throw Errors.update(Errors.INVALID_PATH_FOR_UPDATE);
            map.put(name, applyBelow(existing, change));
            return;
        }
        switch (change.kind) {
            case PUT -> map.put(name, change.value);
            case REMOVE -> map.remove(name);
            case KEEP -> { }
        }
    }

    /** Applies the changes below a node to the value at that node, which must be a map or list. */
    private static AttributeValue applyBelow(AttributeValue existing, Change change) {
        if (!change.names.isEmpty() && change.indexes.isEmpty() && existing instanceof AttributeValue.M m) {
            Map<String, AttributeValue> out = new LinkedHashMap<>(m.values());
            change.names.forEach((name, child) -> applyToMapEntry(out, name, child));
            return new AttributeValue.M(out);
        }
        if (!change.indexes.isEmpty() && change.names.isEmpty() && existing instanceof AttributeValue.L l) {
            List<AttributeValue> old = l.values();
            List<AttributeValue> out = new ArrayList<>(old.size());
            for (int i = 0; i < old.size(); i++) {
                Change child = change.indexes.get(i);
                if (child == null) out.add(old.get(i));
                else if (child.kind == null) out.add(applyBelow(old.get(i), child));
                else if (child.kind == Change.Kind.PUT) out.add(child.value);
                else if (child.kind == Change.Kind.KEEP) out.add(old.get(i));
                // REMOVE: dropped
            }
            // Indexes past the end: a SET appends (in index order), a REMOVE does nothing.
            for (Change child : change.indexes.tailMap(old.size()).values()) {
                if (child.kind == null) throw Errors.update(Errors.INVALID_PATH_FOR_UPDATE);
                if (child.kind == Change.Kind.PUT) out.add(child.value);
            }
            return new AttributeValue.L(out);
        }
        throw Errors.update(Errors.INVALID_PATH_FOR_UPDATE);
    }

    // ---------------------------------------------------------------- values of actions

    private static AttributeValue setValue(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case DocumentPath p -> {
                AttributeValue v = Paths.get(item, p);
                if (v == null) throw Errors.update(Errors.MISSING_ATTRIBUTE);
                yield v;
            }
            case Operand.Literal l -> l.value();
            case Operand.Function f when f.name().equals("if_not_exists") -> {
                AttributeValue existing = Paths.get(item, (DocumentPath) f.arguments().get(0));
                yield existing != null ? existing : setValue(f.arguments().get(1), item);
            }
            case Operand.Function f when f.name().equals("list_append") -> {
                AttributeValue a = setValue(f.arguments().get(0), item);
                AttributeValue b = setValue(f.arguments().get(1), item);
                if (!(a instanceof AttributeValue.L la) || !(b instanceof AttributeValue.L lb)) {
                    throw Errors.update(Errors.INCORRECT_DATA_TYPE);
                }
                List<AttributeValue> joined = new ArrayList<>(la.values());
                joined.addAll(lb.values());
                yield new AttributeValue.L(joined);
            }
            case Operand.Function f -> throw new IllegalArgumentException("not an update function: " + f.name());
            case Operand.Arithmetic a -> {
                AttributeValue left = setValue(a.left(), item);
                AttributeValue right = setValue(a.right(), item);
                if (!(left instanceof AttributeValue.N x) || !(right instanceof AttributeValue.N y)) {
                    throw Errors.update(Errors.INCORRECT_DATA_TYPE);
                }
                yield a.plus() ? Numbers.add(x, y) : Numbers.subtract(x, y);
            }
            case Operand.ValueRef v -> throw Paths.unresolved(v.placeholder());
        };
    }

    private static AttributeValue literal(Operand operand) {
        if (operand instanceof Operand.Literal l) return l.value();
        if (operand instanceof Operand.ValueRef v) throw Paths.unresolved(v.placeholder());
        throw new IllegalArgumentException("ADD and DELETE take a value: " + operand);
    }

    /** ADD: a number to a number, elements to a set of the same type; a missing attribute becomes the value. */
    private static AttributeValue add(AttributeValue existing, AttributeValue value) {
        if (existing == null) return value;
        return switch (value) {
            case AttributeValue.N n when existing instanceof AttributeValue.N e -> Numbers.add(e, n);
            case AttributeValue.SS s when existing instanceof AttributeValue.SS e -> new AttributeValue.SS(union(e.values(), s.values(), x -> x));
            case AttributeValue.NS s when existing instanceof AttributeValue.NS e ->
                    new AttributeValue.NS(union(e.values(), s.values(), x -> Values.canonical(new BigDecimal(x))));
            case AttributeValue.BS s when existing instanceof AttributeValue.BS e -> new AttributeValue.BS(union(e.values(), s.values(), ByteBuffer::wrap));
            default -> throw Errors.update(Errors.INCORRECT_DATA_TYPE);
        };
    }

    /** DELETE: the set without the given elements, or null when nothing is left. */
    private static AttributeValue delete(AttributeValue existing, AttributeValue value) {
        AttributeValue rest = switch (value) {
            case AttributeValue.SS s when existing instanceof AttributeValue.SS e -> new AttributeValue.SS(minus(e.values(), s.values(), x -> x));
            case AttributeValue.NS s when existing instanceof AttributeValue.NS e ->
                    new AttributeValue.NS(minus(e.values(), s.values(), x -> Values.canonical(new BigDecimal(x))));
            case AttributeValue.BS s when existing instanceof AttributeValue.BS e -> new AttributeValue.BS(minus(e.values(), s.values(), ByteBuffer::wrap));
            default -> throw Errors.update(Errors.INCORRECT_DATA_TYPE);
        };
        boolean empty = switch (rest) {
            case AttributeValue.SS s -> s.values().isEmpty();
            case AttributeValue.NS s -> s.values().isEmpty();
            case AttributeValue.BS s -> s.values().isEmpty();
            default -> false;
        };
        return empty ? null : rest;
    }

    private static <T, K> List<T> union(List<T> existing, List<T> added, java.util.function.Function<T, K> key) {
        List<T> out = new ArrayList<>(existing);
        Set<K> seen = new java.util.HashSet<>();
        for (T t : existing) seen.add(key.apply(t));
        for (T t : added) {
            if (seen.add(key.apply(t))) out.add(t);
        }
        return out;
    }

    private static <T, K> List<T> minus(List<T> existing, List<T> removed, java.util.function.Function<T, K> key) {
        Set<K> gone = new java.util.HashSet<>();
        for (T t : removed) gone.add(key.apply(t));
        List<T> out = new ArrayList<>();
        for (T t : existing) {
            if (!gone.contains(key.apply(t))) out.add(t);
        }
        return out;
    }
}

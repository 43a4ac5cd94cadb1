package dev.flywheel.engine.item;

import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeValueUpdate;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * UpdateItem's legacy {@code AttributeUpdates} (API Reference, AttributeValueUpdate): PUT replaces
 * an attribute, DELETE removes it (or, with a set value, removes those elements; an emptied set is
 * removed), ADD adds to a number (a missing attribute counts as 0) or unions into a set (a missing
 * attribute becomes the set) or appends to a list. The default action is PUT.
 */
final class LegacyAttributeUpdates {
    private static final String INVALID = AttributeValues.INVALID;

    private LegacyAttributeUpdates() {}

    /** Validates the updates before any I/O, returning them with their values normalized. */
    static Map<String, AttributeValueUpdate> validate(TableDefinition table, Map<String, AttributeValueUpdate> updates) {
        Map<String, AttributeValueUpdate> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValueUpdate> e : updates.entrySet()) {
            String name = e.getKey();
            AttributeValueUpdate u = e.getValue();
            if (table.isKeyAttribute(name)) {
                throw new ValidationException(INVALID + "Cannot update attribute " + name + ". This attribute is part of the key");
            }
            String action = u.action() == null ? "PUT" : u.action();
            AttributeValue value = u.value() == null ? null : AttributeValues.normalize(u.value());
            if (value == null && !action.equals("DELETE")) {
                throw new ValidationException(INVALID + "Only DELETE action is allowed when no attribute value is specified");
            }
            // ADD works on numbers, sets and (appending) lists.
            if (action.equals("ADD") && !(value instanceof AttributeValue.N || value instanceof AttributeValue.L || isSet(value))) {
                throw new ValidationException(INVALID + "ADD action is not supported for the type " + value.type());
            }
            if (action.equals("DELETE") && value != null && !isSet(value)) {
                throw new ValidationException(INVALID + "DELETE action with value is not supported for the type " + value.type());
            }
            out.put(name, new AttributeValueUpdate(value, action));
        }
        return out;
    }

    /** Applies validated updates to {@code item} (mutated in place). */
    static void apply(Map<String, AttributeValueUpdate> updates, Map<String, AttributeValue> item) {
        for (Map.Entry<String, AttributeValueUpdate> e : updates.entrySet()) {
            String name = e.getKey();
            AttributeValue value = e.getValue().value();
            AttributeValue current = item.get(name);
            switch (e.getValue().action()) {
                case "PUT" -> item.put(name, value);
                case "DELETE" -> {
                    if (value == null || current == null) {
                        if (value == null) item.remove(name);
                    } else {
                        AttributeValue remaining = removeElements(current, value);
                        if (remaining == null) item.remove(name); else item.put(name, remaining);
                    }
                }
                case "ADD" -> item.put(name, current == null ? value : add(current, value));
                default -> throw new IllegalStateException("action validated by the service model: " + e.getValue().action());
            }
        }
    }

    private static boolean isSet(AttributeValue v) {
        return v instanceof AttributeValue.SS || v instanceof AttributeValue.NS || v instanceof AttributeValue.BS;
    }

    private static AttributeValue add(AttributeValue current, AttributeValue value) {
        if (!current.type().equals(value.type())) {
            throw new ValidationException(INVALID + "Type mismatch for attribute to update");
        }
        return switch (value) {
            case AttributeValue.N n -> {
                BigDecimal sum = new BigDecimal(((AttributeValue.N) current).value()).add(new BigDecimal(n.value()));
                yield new AttributeValue.N(DynamoNumber.normalize(sum.toPlainString()));
            }
            case AttributeValue.L l -> {
                List<AttributeValue> appended = new ArrayList<>(((AttributeValue.L) current).values());
                appended.addAll(l.values());
                yield new AttributeValue.L(appended);
            }
            case AttributeValue.SS ss -> new AttributeValue.SS(union(((AttributeValue.SS) current).values(), ss.values(), s -> s));
            case AttributeValue.NS ns -> new AttributeValue.NS(union(((AttributeValue.NS) current).values(), ns.values(), BigDecimal::new));
            case AttributeValue.BS bs -> new AttributeValue.BS(union(((AttributeValue.BS) current).values(), bs.values(), ByteBuffer::wrap));
            default -> throw new IllegalStateException("validated: " + value.type());
        };
    }

    /** The set {@code current} without the elements of {@code removed}; null when nothing remains. */
    private static AttributeValue removeElements(AttributeValue current, AttributeValue removed) {
        if (!current.type().equals(removed.type())) {
            throw new ValidationException(INVALID + "Type mismatch for attribute to update");
        }
        List<?> remaining = switch (removed) {
            case AttributeValue.SS ss -> minus(((AttributeValue.SS) current).values(), ss.values(), s -> s);
            case AttributeValue.NS ns -> minus(((AttributeValue.NS) current).values(), ns.values(), BigDecimal::new);
            case AttributeValue.BS bs -> minus(((AttributeValue.BS) current).values(), bs.values(), ByteBuffer::wrap);
            default -> throw new IllegalStateException("validated: " + removed.type());
        };
        if (remaining.isEmpty()) return null;
        @SuppressWarnings("unchecked")
        AttributeValue result = switch (removed) {
            case AttributeValue.SS ignored -> new AttributeValue.SS((List<String>) remaining);
            case AttributeValue.NS ignored -> new AttributeValue.NS((List<String>) remaining);
            default -> new AttributeValue.BS((List<byte[]>) remaining);
        };
        return result;
    }

    private static <T> List<T> union(List<T> a, List<T> b, java.util.function.Function<T, Object> identity) {
        List<T> out = new ArrayList<>(a);
        Set<Object> seen = new HashSet<>();
        for (T t : a) seen.add(normalizeIdentity(identity.apply(t)));
        for (T t : b) if (seen.add(normalizeIdentity(identity.apply(t)))) out.add(t);
        return out;
    }

    private static <T> List<T> minus(List<T> a, List<T> b, java.util.function.Function<T, Object> identity) {
        Set<Object> removed = new HashSet<>();
        for (T t : b) removed.add(normalizeIdentity(identity.apply(t)));
        List<T> out = new ArrayList<>();
        for (T t : a) if (!removed.contains(normalizeIdentity(identity.apply(t)))) out.add(t);
        return out;
    }

    /** Numbers compare by value in sets: 1 and 1.0 are the same element. */
    private static Object normalizeIdentity(Object o) {
        return o instanceof BigDecimal d ? d.stripTrailingZeros() : o;
    }
}

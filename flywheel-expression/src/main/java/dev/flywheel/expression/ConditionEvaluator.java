package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a resolved condition against an item (an empty map for an item that does not exist).
 *
 * <p>DynamoDB's semantics: a comparison with a missing attribute, or between values of different
 * types, is false rather than an error, except {@code <>}, which is true whenever {@code =} is
 * false. {@code <}, {@code <=}, {@code >}, {@code >=} and BETWEEN order only S, N and B. Functions
 * applied to a value of a type they do not handle are false as well. Stateless and thread-safe.
 */
public final class ConditionEvaluator {
    private ConditionEvaluator() {}

    public static boolean evaluate(ConditionExpression expression, Map<String, AttributeValue> item) {
        return evaluate(expression.condition(), item);
    }

    public static boolean evaluate(Condition condition, Map<String, AttributeValue> item) {
        return switch (condition) {
            case Condition.And c -> evaluate(c.left(), item) && evaluate(c.right(), item);
            case Condition.Or c -> evaluate(c.left(), item) || evaluate(c.right(), item);
            case Condition.Not c -> !evaluate(c.condition(), item);
            case Condition.Comparison c -> compare(c.comparator(), value(c.left(), item), value(c.right(), item));
            case Condition.Between c -> {
                AttributeValue v = value(c.value(), item);
                AttributeValue lower = value(c.lower(), item);
                AttributeValue upper = value(c.upper(), item);
                yield Values.comparable(v, lower) && Values.comparable(v, upper)
                        && Values.compare(lower, v) <= 0 && Values.compare(v, upper) <= 0;
            }
            case Condition.In c -> {
                AttributeValue v = value(c.value(), item);
                if (v == null) yield false;
                for (Operand candidate : c.candidates()) {
                    AttributeValue w = value(candidate, item);
                    if (w != null && Values.equal(v, w)) yield true;
                }
                yield false;
            }
            case Condition.Function f -> function(f.name(), f.arguments(), item);
        };
    }

    private static boolean compare(Condition.Comparator comparator, AttributeValue a, AttributeValue b) {
        return switch (comparator) {
            case EQ -> a != null && b != null && Values.equal(a, b);
            case NE -> a == null || b == null || !Values.equal(a, b);
            case LT -> Values.comparable(a, b) && Values.compare(a, b) < 0;
            case LE -> Values.comparable(a, b) && Values.compare(a, b) <= 0;
            case GT -> Values.comparable(a, b) && Values.compare(a, b) > 0;
            case GE -> Values.comparable(a, b) && Values.compare(a, b) >= 0;
        };
    }

    private static boolean function(String name, List<Operand> args, Map<String, AttributeValue> item) {
        AttributeValue first = value(args.getFirst(), item);
        return switch (name) {
            case "attribute_exists" -> first != null;
            case "attribute_not_exists" -> first == null;
            case "attribute_type" -> first != null && value(args.get(1), item) instanceof AttributeValue.S t
                    && first.type().equals(t.value());
            case "begins_with" -> beginsWith(first, value(args.get(1), item));
            case "contains" -> contains(first, value(args.get(1), item));
            default -> throw new IllegalArgumentException("not a condition function: " + name);
        };
    }

    private static boolean beginsWith(AttributeValue value, AttributeValue prefix) {
        if (value instanceof AttributeValue.S s && prefix instanceof AttributeValue.S p) return s.value().startsWith(p.value());
        if (value instanceof AttributeValue.B b && prefix instanceof AttributeValue.B p) {
            return b.value().length >= p.value().length
                    && Arrays.equals(b.value(), 0, p.value().length, p.value(), 0, p.value().length);
        }
        return false;
    }

    /** Substring of a string, element of a set, or element of a list. */
    private static boolean contains(AttributeValue container, AttributeValue operand) {
        if (container == null || operand == null) return false;
        return switch (container) {
            case AttributeValue.S s -> operand instanceof AttributeValue.S o && s.value().contains(o.value());
            case AttributeValue.SS ss -> operand instanceof AttributeValue.S o && ss.values().contains(o.value());
            case AttributeValue.NS ns -> operand instanceof AttributeValue.N o
                    && Values.numberSet(ns.values()).contains(Values.canonical(new BigDecimal(o.value())));
            case AttributeValue.BS bs -> operand instanceof AttributeValue.B o
                    && Values.binarySet(bs.values()).contains(ByteBuffer.wrap(o.value()));
            case AttributeValue.L l -> l.values().stream().anyMatch(e -> Values.equal(e, operand));
            default -> false;
        };
    }

    /** An operand's value, or null when it has none (missing attribute, size of a type without one). */
    static AttributeValue value(Operand operand, Map<String, AttributeValue> item) {
        return switch (operand) {
            case DocumentPath p -> Paths.get(item, p);
            case Operand.Literal l -> l.value();
            case Operand.Function f when f.name().equals("size") -> size(value(f.arguments().getFirst(), item));
            case Operand.Function f -> throw new IllegalArgumentException("not an operand function: " + f.name());
            case Operand.ValueRef v -> throw Paths.unresolved(v.placeholder());
            case Operand.Arithmetic a -> throw new IllegalArgumentException("arithmetic is only allowed in SET");
        };
    }

    /**
     * A string's length in UTF-16 code units (what DynamoDB counts: "é𝄞" has size 3), a binary's
     * bytes, a set's, list's or map's elements; no size for other types.
     */
    private static AttributeValue size(AttributeValue v) {
        if (v == null) return null;
        Integer size = switch (v) {
            case AttributeValue.S s -> s.value().length();
            case AttributeValue.B b -> b.value().length;
            case AttributeValue.SS s -> s.values().size();
            case AttributeValue.NS s -> s.values().size();
            case AttributeValue.BS s -> s.values().size();
            case AttributeValue.L l -> l.values().size();
            case AttributeValue.M m -> m.values().size();
            default -> null;
        };
        return size == null ? null : AttributeValue.n(size);
    }
}

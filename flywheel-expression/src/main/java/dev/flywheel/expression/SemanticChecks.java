package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks DynamoDB makes once names and values are known, on a resolved tree, in its order:
 * overlapping then conflicting paths (update, projection); an operand compared with itself;
 * operand types that a literal value makes certain to be wrong; BETWEEN bounds.
 */
final class SemanticChecks {
    private static final Set<String> ATTRIBUTE_TYPES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");
    /** How ADD and DELETE name a wrong operand's type ("operator: ADD, operand type: STRING"). */
    private static final Map<String, String> TYPE_WORDS = Map.of(
            "S", "STRING", "N", "NUMBER", "B", "BINARY", "NULL", "NULL", "BOOL", "BOOLEAN", "L", "LIST", "M", "MAP");

    private SemanticChecks() {}

    static void checkCondition(ExpressionKind kind, Condition root) {
        List<Object> nodes = new ArrayList<>();
        StaticChecks.collect(root, nodes::add);
        for (Object node : nodes) {
            String message = switch (node) {
                case Condition.Comparison c -> sameOperand(c.comparator().symbol(), c.left(), c.right());
                case Condition.Function f when f.arguments().size() == 2 -> sameOperand(f.name(), f.arguments().get(0), f.arguments().get(1));
                default -> null;
            };
            if (message != null) throw Errors.invalid(kind, message);
        }
        for (Object node : nodes) {
            String message = switch (node) {
                case Condition.Function f -> conditionFunctionTypes(f.name(), f.arguments());
                case Operand.Function f -> conditionFunctionTypes(f.name(), f.arguments());
                case Condition.Between b -> betweenBounds(b.lower(), b.upper());
                default -> null;
            };
            if (message != null) throw Errors.invalid(kind, message);
        }
    }

    static void checkUpdate(UpdateExpression update) {
        ExpressionKind kind = ExpressionKind.UPDATE;
        checkPaths(kind, update.actions().stream().map(UpdateAction::path).toList());
        for (UpdateAction action : update.actions()) {
            String message = switch (action) {
                case UpdateAction.Add a -> addOrDeleteType("ADD", a.value());
                case UpdateAction.Delete d -> addOrDeleteType("DELETE", d.value());
                default -> null;
            };
            if (message != null) throw Errors.invalid(kind, message);
        }
        List<Object> nodes = new ArrayList<>();
        for (UpdateAction action : update.actions()) StaticChecks.collect(action, nodes::add);
        for (Object node : nodes) {
            String message = switch (node) {
                case Operand.Function f when f.name().equals("list_append") -> literalTypes(f.name(), f.arguments(), Set.of("L"));
                case Operand.Arithmetic a -> literalTypes(a.operator(), List.of(a.left(), a.right()), Set.of("N"));
                default -> null;
            };
            if (message != null) throw Errors.invalid(kind, message);
        }
    }

    /**
     * No path may overlap another (equal, or one inside the other) or conflict with it (one
     * indexes a list where the other names a map key). All overlaps are reported before any
     * conflict; path one is the earlier written.
     */
    static void checkPaths(ExpressionKind kind, List<DocumentPath> paths) {
        String conflict = null;
        for (int j = 1; j < paths.size(); j++) {
            for (int i = 0; i < j; i++) {
                DocumentPath one = paths.get(i);
                DocumentPath two = paths.get(j);
                Relation relation = relation(one, two);
                if (relation == Relation.NONE) continue;  // the common case: build no message
                String pair = "path one: " + one.describe() + ", path two: " + two.describe();
                if (relation == Relation.OVERLAP) {
                    throw Errors.invalid(kind, "Two document paths overlap with each other; must remove or rewrite one of these paths; " + pair);
                }
                if (conflict == null) {
                    conflict = "Two document paths conflict with each other; must remove or rewrite one of these paths; " + pair;
                }
            }
        }
        if (conflict != null) throw Errors.invalid(kind, conflict);
    }

    private enum Relation { NONE, OVERLAP, CONFLICT }

    private static Relation relation(DocumentPath a, DocumentPath b) {
        int common = Math.min(a.elements().size(), b.elements().size());
        for (int i = 0; i < common; i++) {
            PathElement x = a.elements().get(i);
            PathElement y = b.elements().get(i);
            if (x.getClass() != y.getClass()) return Relation.CONFLICT;
            if (!x.equals(y)) return Relation.NONE;
        }
        return Relation.OVERLAP;
    }

    private static String sameOperand(String operator, Operand first, Operand second) {
        return first instanceof DocumentPath p && p.equals(second)
                ? "The first operand must be distinct from the remaining operands for this operator or function; operator: "
                        + operator + ", first operand: " + p.describe()
                : null;
    }

    private static String conditionFunctionTypes(String name, List<Operand> arguments) {
        switch (name) {
            case "begins_with":
                return literalTypes(name, arguments, Set.of("S", "B"));
            case "size":
                String type = knownType(arguments.getFirst());
                return type != null && Set.of("N", "BOOL", "NULL").contains(type) ? incorrectType(name, type) : null;
            case "attribute_type":
                Operand typeName = arguments.get(1);
                if (!(typeName instanceof Operand.Literal l && l.value() instanceof AttributeValue.S s)) {
                    String actual = knownType(typeName);
                    // A path's type is unknown here; DynamoDB then lists every type (as dynalite observed).
                    return incorrectType(name, actual != null ? actual : "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}");
                }
                return ATTRIBUTE_TYPES.contains(s.value()) ? null
                        : "Invalid attribute type name found; type: " + s.value() + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}";
            default:
                return null;
        }
    }

    /** The first operand whose type is known and not allowed. */
    private static String literalTypes(String name, List<Operand> arguments, Set<String> allowed) {
        for (Operand o : arguments) {
            String type = knownType(o);
            if (type != null && !allowed.contains(type)) return incorrectType(name, type);
        }
        return null;
    }

    /** The type an operand certainly has: a literal's, or N for size(); null when it depends on the item. */
    private static String knownType(Operand o) {
        return switch (o) {
            case Operand.Literal l -> l.value().type();
            case Operand.Function f when f.name().equals("size") -> "N";
            default -> null;
        };
    }

    private static String incorrectType(String name, String type) {
        return "Incorrect operand type for operator or function; operator or function: " + name + ", operand type: " + type;
    }

    private static String addOrDeleteType(String operator, Operand value) {
        if (!(value instanceof Operand.Literal l)) return null;
        String type = l.value().type();
        boolean allowed = type.equals("SS") || type.equals("NS") || type.equals("BS") || (operator.equals("ADD") && type.equals("N"));
        return allowed ? null
                : "Incorrect operand type for operator or function; operator: " + operator + ", operand type: " + TYPE_WORDS.get(type);
    }

    private static String betweenBounds(Operand lower, Operand upper) {
        if (!(lower instanceof Operand.Literal lo) || !(upper instanceof Operand.Literal hi)) return null;
        String bounds = "lower bound operand: " + Values.describe(lo.value()) + ", upper bound operand: " + Values.describe(hi.value());
        if (!lo.value().type().equals(hi.value().type())) {
            return "The BETWEEN operator requires same data type for lower and upper bounds; " + bounds;
        }
        if (Values.comparable(lo.value(), hi.value()) && Values.compare(lo.value(), hi.value()) > 0) {
            return "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; " + bounds;
        }
        return null;
    }
}

package dev.flywheel.expression;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The checks DynamoDB makes on an expression's text after it parses, before it looks at
 * ExpressionAttributeNames and ExpressionAttributeValues. Each check walks the whole tree in the
 * order the expression is written and the first violation of the highest-ranked check wins,
 * which is how DynamoDB picks one error out of several (ranking as observed by dynalite's tests
 * against DynamoDB): redundant parentheses, unknown function, function used in the wrong place,
 * reserved word, repeated update section, wrong number of operands, function argument that must
 * be a document path, too many operators, too deep a document path.
 */
final class StaticChecks {

    static final int MAX_OPERATORS = 300;
    static final int MAX_IN_OPERANDS = 100;
    static final int MAX_PATH_DEPTH = 32;

    /** Functions and how many operands each takes; the names are case-sensitive (Developer Guide). */
    static final Map<String, Integer> CONDITION_FUNCTIONS = Map.of(
            "attribute_exists", 1, "attribute_not_exists", 1, "attribute_type", 2,
            "begins_with", 2, "contains", 2, "size", 1);
    static final Map<String, Integer> UPDATE_FUNCTIONS = Map.of("if_not_exists", 2, "list_append", 2);
    private static final Set<String> NEEDS_PATH = Set.of("attribute_exists", "attribute_not_exists", "if_not_exists");

    private StaticChecks() {}

    static void checkCondition(ExpressionKind kind, Parser.Result<Condition> parsed) {
        Condition root = parsed.tree();
        if (parsed.redundantParentheses()) throw Errors.invalid(kind, "The expression has redundant parentheses;");
        List<Object> nodes = new ArrayList<>();
        collect(root, nodes::add);
        firstFailure(kind, nodes, node -> switch (node) {
            case Condition.Function f when !CONDITION_FUNCTIONS.containsKey(f.name()) -> invalidFunction(f.name());
            case Operand.Function f when !CONDITION_FUNCTIONS.containsKey(f.name()) -> invalidFunction(f.name());
            default -> null;
        });
        firstFailure(kind, nodes, node -> switch (node) {
            case Condition.Function f when f.name().equals("size") -> misused(f.name());
            case Operand.Function f when !f.name().equals("size") -> misused(f.name());
            default -> null;
        });
        firstFailure(kind, nodes, StaticChecks::reservedWord);
        firstFailure(kind, nodes, node -> switch (node) {
            case Condition.Function f -> arity(f.name(), f.arguments(), CONDITION_FUNCTIONS);
            case Operand.Function f -> arity(f.name(), f.arguments(), CONDITION_FUNCTIONS);
            case Condition.In in when in.candidates().size() > MAX_IN_OPERANDS ->
                    numberOfOperands("IN", in.candidates().size());
            default -> null;
        });
        firstFailure(kind, nodes, node -> switch (node) {
            case Condition.Function f -> documentPathRequired(f.name(), f.arguments());
            default -> null;
        });
        checkLimits(kind, nodes);
    }

    static void checkUpdate(Parser.Result<UpdateExpression> parsed) {
        ExpressionKind kind = ExpressionKind.UPDATE;
        List<Object> nodes = new ArrayList<>();
        for (UpdateAction action : parsed.tree().actions()) collect(action, nodes::add);
        firstFailure(kind, nodes, node -> node instanceof Operand.Function f && !UPDATE_FUNCTIONS.containsKey(f.name())
                ? invalidFunction(f.name()) : null);
        firstFailure(kind, nodes, StaticChecks::reservedWord);
        if (parsed.repeatedSection() != null) {
            throw Errors.invalid(kind, "The \"" + parsed.repeatedSection() + "\" section can only be used once in an update expression;");
        }
        firstFailure(kind, nodes, node -> node instanceof Operand.Function f ? arity(f.name(), f.arguments(), UPDATE_FUNCTIONS) : null);
        firstFailure(kind, nodes, node -> node instanceof Operand.Function f ? documentPathRequired(f.name(), f.arguments()) : null);
        checkLimits(kind, nodes);
    }

    static void checkProjection(Parser.Result<ProjectionExpression> parsed) {
        List<Object> nodes = new ArrayList<>(parsed.tree().paths());
        firstFailure(ExpressionKind.PROJECTION, nodes, StaticChecks::reservedWord);
        checkLimits(ExpressionKind.PROJECTION, nodes);
    }

    // ---------------------------------------------------------------- the individual checks

    private static String invalidFunction(String name) {
        return "Invalid function name; function: " + name;
    }

    private static String misused(String name) {
        return "The function is not allowed to be used this way in an expression; function: " + name;
    }

    private static String reservedWord(Object node) {
        if (node instanceof DocumentPath path) {
            for (PathElement e : path.elements()) {
                if (e instanceof PathElement.Name n && ReservedWords.contains(n.name())) {
                    return "Attribute name is a reserved keyword; reserved keyword: " + n.name();
                }
            }
        }
        return null;
    }

    private static String arity(String name, List<Operand> arguments, Map<String, Integer> functions) {
        Integer expected = functions.get(name);
        return expected != null && expected != arguments.size() ? numberOfOperands(name, arguments.size()) : null;
    }

    private static String numberOfOperands(String name, int count) {
        return "Incorrect number of operands for operator or function; operator or function: " + name
                + ", number of operands: " + count;
    }

    private static String documentPathRequired(String name, List<Operand> arguments) {
        return NEEDS_PATH.contains(name) && !(arguments.getFirst() instanceof DocumentPath)
                ? "Operator or function requires a document path; operator or function: " + name : null;
    }

    private static void checkLimits(ExpressionKind kind, List<Object> nodes) {
        long operators = nodes.stream().filter(StaticChecks::isOperator).count();
        if (operators > MAX_OPERATORS) {
            throw Errors.invalid(kind, "The expression contains too many operators; operator count: " + operators);
        }
        // Not confirmed against DynamoDB: the 32-level limit is documented for items, the wording is ours.
        firstFailure(kind, nodes, node -> node instanceof DocumentPath p && p.elements().size() > MAX_PATH_DEPTH
                ? "The document path has too many nesting levels; nesting levels: " + p.elements().size() : null);
    }

    /** Operators count toward the limit of 300; function calls do not (a&lt;f(f(...)) is not refused for it). */
    private static boolean isOperator(Object node) {
        return node instanceof Condition.Comparison || node instanceof Condition.Between || node instanceof Condition.In
                || node instanceof Condition.And || node instanceof Condition.Or || node instanceof Condition.Not
                || node instanceof Operand.Arithmetic;
    }

    private static void firstFailure(ExpressionKind kind, List<Object> nodes, java.util.function.Function<Object, String> check) {
        for (Object node : nodes) {
            String message = check.apply(node);
            if (message != null) throw Errors.invalid(kind, message);
        }
    }

    // ---------------------------------------------------------------- walking the tree in written order

    static void collect(Condition c, Consumer<Object> out) {
        out.accept(c);
        switch (c) {
            case Condition.Comparison x -> { collect(x.left(), out); collect(x.right(), out); }
            case Condition.Between x -> { collect(x.value(), out); collect(x.lower(), out); collect(x.upper(), out); }
            case Condition.In x -> { collect(x.value(), out); x.candidates().forEach(o -> collect(o, out)); }
            case Condition.And x -> { collect(x.left(), out); collect(x.right(), out); }
            case Condition.Or x -> { collect(x.left(), out); collect(x.right(), out); }
            case Condition.Not x -> collect(x.condition(), out);
            case Condition.Function x -> x.arguments().forEach(o -> collect(o, out));
        }
    }

    static void collect(UpdateAction action, Consumer<Object> out) {
        out.accept(action);
        collect(action.path(), out);
        switch (action) {
            case UpdateAction.Set s -> collect(s.value(), out);
            case UpdateAction.Add a -> collect(a.value(), out);
            case UpdateAction.Delete d -> collect(d.value(), out);
            case UpdateAction.Remove r -> { }
        }
    }

    static void collect(Operand o, Consumer<Object> out) {
        out.accept(o);
        switch (o) {
            case Operand.Function f -> f.arguments().forEach(a -> collect(a, out));
            case Operand.Arithmetic a -> { collect(a.left(), out); collect(a.right(), out); }
            case DocumentPath p -> { }
            case Operand.ValueRef v -> { }
            case Operand.Literal l -> { }
        }
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, and the step that turns a
 * parsed expression into a resolved one: every {@code #name} replaced by the name it stands for,
 * every {@code :value} by its value. Resolution then makes the checks that need real names and
 * values: overlapping update or projection paths, an operand compared with itself, operand types
 * known from values ({@code begins_with(a, :number)}), BETWEEN bounds.
 *
 * <p>Use one instance per request and resolve all of the request's expressions with it: it
 * remembers which placeholders were used, and {@link #checkAllUsed()} then reports the unused
 * ones as DynamoDB does, across all expressions of the request. Not thread-safe.
 */
public final class Placeholders {
    private static final Pattern NAME_KEY = Pattern.compile("#[A-Za-z0-9_]+");
    private static final Pattern VALUE_KEY = Pattern.compile(":[A-Za-z0-9_]+");

    private final Map<String, String> names;
    private final Map<String, AttributeValue> values;
    private final Set<String> usedNames = new LinkedHashSet<>();
    private final Set<String> usedValues = new LinkedHashSet<>();

    private Placeholders(Map<String, String> names, Map<String, AttributeValue> values) {
        this.names = names;
        this.values = values;
    }

    /**
     * Validates and wraps a request's maps; either may be null (absent from the request). Kept in
     * the caller's iteration order, which is the order of the unused-keys message.
     *
     * @throws ValidationException "ExpressionAttributeNames must not be empty", "ExpressionAttributeNames
     *     contains invalid key: Syntax error; key: \"a\"", and the same for values
     */
    public static Placeholders of(Map<String, String> names, Map<String, AttributeValue> values) {
        validateKeys("ExpressionAttributeNames", names, NAME_KEY);
        validateKeys("ExpressionAttributeValues", values, VALUE_KEY);
        return new Placeholders(names == null ? Map.of() : new LinkedHashMap<>(names),
                values == null ? Map.of() : new LinkedHashMap<>(values));
    }

    /** No names and no values, for requests that have neither. */
    public static Placeholders none() {
        return new Placeholders(Map.of(), Map.of());
    }

    private static void validateKeys(String parameter, Map<String, ?> map, Pattern shape) {
        if (map == null) return;
        if (map.isEmpty()) throw new ValidationException(parameter + " must not be empty");
        for (String key : map.keySet()) {
            if (!shape.matcher(key).matches()) {
                throw new ValidationException(parameter + " contains invalid key: Syntax error; key: \"" + key + "\"");
            }
        }
    }

    public ConditionExpression resolve(ConditionExpression expression) {
        ExpressionKind kind = expression.kind();
        Condition resolved = resolve(kind, expression.condition());
        SemanticChecks.checkCondition(kind, resolved);
        return new ConditionExpression(kind, resolved);
    }

    public UpdateExpression resolve(UpdateExpression expression) {
        List<UpdateAction> actions = new ArrayList<>();
        for (UpdateAction a : expression.actions()) {
            ExpressionKind kind = ExpressionKind.UPDATE;
            DocumentPath path = resolve(kind, a.path());
            actions.add(switch (a) {
                case UpdateAction.Set s -> new UpdateAction.Set(path, resolve(kind, s.value()));
                case UpdateAction.Remove r -> new UpdateAction.Remove(path);
                case UpdateAction.Add add -> new UpdateAction.Add(path, resolve(kind, add.value()));
                case UpdateAction.Delete d -> new UpdateAction.Delete(path, resolve(kind, d.value()));
            });
        }
        UpdateExpression resolved = new UpdateExpression(actions);
        SemanticChecks.checkUpdate(resolved);
        return resolved;
    }

    public ProjectionExpression resolve(ProjectionExpression expression) {
        List<DocumentPath> paths = new ArrayList<>();
        for (DocumentPath p : expression.paths()) paths.add(resolve(ExpressionKind.PROJECTION, p));
        SemanticChecks.checkPaths(ExpressionKind.PROJECTION, paths);
        return new ProjectionExpression(paths);
    }

    /** The {@code #names} used so far, in first-use order. */
    public Set<String> usedNames() { return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(usedNames)); }

    /** The {@code :values} used so far, in first-use order. */
    public Set<String> usedValues() { return java.util.Collections.unmodifiableSet(new LinkedHashSet<>(usedValues)); }

    /**
     * Call after resolving all of a request's expressions.
     *
     * @throws ValidationException "Value provided in ExpressionAttributeNames unused in expressions:
     *     keys: {#a, #b}" (names are checked before values)
     */
    public void checkAllUsed() {
        checkUsed("ExpressionAttributeNames", names.keySet(), usedNames);
        checkUsed("ExpressionAttributeValues", values.keySet(), usedValues);
    }

    private static void checkUsed(String parameter, Set<String> defined, Set<String> used) {
        List<String> unused = defined.stream().filter(k -> !used.contains(k)).toList();
        if (!unused.isEmpty()) {
            throw new ValidationException("Value provided in " + parameter + " unused in expressions: keys: {"
                    + String.join(", ", unused) + "}");
        }
    }

    // ---------------------------------------------------------------- substitution

    private Condition resolve(ExpressionKind kind, Condition c) {
        return switch (c) {
            case Condition.Comparison x -> new Condition.Comparison(x.comparator(), resolve(kind, x.left()), resolve(kind, x.right()));
            case Condition.Between x -> new Condition.Between(resolve(kind, x.value()), resolve(kind, x.lower()), resolve(kind, x.upper()));
            case Condition.In x -> {
                Operand value = resolve(kind, x.value());
                List<Operand> candidates = new ArrayList<>();
                for (Operand o : x.candidates()) candidates.add(resolve(kind, o));
                yield new Condition.In(value, candidates);
            }
            case Condition.And x -> {
                Condition left = resolve(kind, x.left());
                yield new Condition.And(left, resolve(kind, x.right()));
            }
            case Condition.Or x -> {
                Condition left = resolve(kind, x.left());
                yield new Condition.Or(left, resolve(kind, x.right()));
            }
            case Condition.Not x -> new Condition.Not(resolve(kind, x.condition()));
            case Condition.Function x -> new Condition.Function(x.name(), resolve(kind, x.arguments()));
        };
    }

    private List<Operand> resolve(ExpressionKind kind, List<Operand> operands) {
        List<Operand> out = new ArrayList<>(operands.size());
        for (Operand o : operands) out.add(resolve(kind, o));
        return out;
    }

    private Operand resolve(ExpressionKind kind, Operand o) {
        return switch (o) {
            case DocumentPath p -> resolve(kind, p);
            case Operand.ValueRef v -> {
                AttributeValue value = values.get(v.placeholder());
                if (value == null) {
                    throw Errors.invalid(kind, "An expression attribute value used in expression is not defined; attribute value: " + v.placeholder());
                }
                usedValues.add(v.placeholder());
                yield new Operand.Literal(value);
            }
            case Operand.Literal l -> l;
            case Operand.Function f -> new Operand.Function(f.name(), resolve(kind, f.arguments()));
            case Operand.Arithmetic a -> {
                Operand left = resolve(kind, a.left());
                yield new Operand.Arithmetic(left, a.plus(), resolve(kind, a.right()));
            }
        };
    }

    private DocumentPath resolve(ExpressionKind kind, DocumentPath path) {
        if (path.isResolved()) return path;
        List<PathElement> out = new ArrayList<>(path.elements().size());
        for (PathElement e : path.elements()) {
            if (e instanceof PathElement.NameRef r) {
                String name = names.get(r.placeholder());
                if (name == null) {
                    throw Errors.invalid(kind, "An expression attribute name used in the document path is not defined; attribute name: " + r.placeholder());
                }
                usedNames.add(r.placeholder());
                out.add(new PathElement.Name(name));
            } else {
                out.add(e);
            }
        }
        return new DocumentPath(out);
    }
}

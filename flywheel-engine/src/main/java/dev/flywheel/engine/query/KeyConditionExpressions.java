package dev.flywheel.engine.query;

import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.expression.Operand;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved KeyConditionExpression translated to the legacy KeyConditions it means (one condition
 * per key attribute), so that {@link KeyConditions} turns both forms into storage ranges the same way.
 * Only AND joins conditions; OR, NOT, IN, {@code <>} and functions other than begins_with are refused
 * as DynamoDB refuses them.
 */
final class KeyConditionExpressions {
    private KeyConditionExpressions() {}

    /** From a resolved KeyConditionExpression: {@code pk = :v} or {@code pk = :v AND <sort key condition>}. */
    static KeyConditions of(KeySchema table, Condition condition) {
        List<Condition> parts = new ArrayList<>();
        flattenAnd(condition, parts);
        Map<String, dev.flywheel.model.shapes.Condition> byKey = new LinkedHashMap<>();
        for (Condition part : parts) {
            Map.Entry<String, dev.flywheel.model.shapes.Condition> c = legacyForm(part);
            if (byKey.put(c.getKey(), c.getValue()) != null) {
                throw new ValidationException("KeyConditionExpressions must only contain one condition per key");
            }
        }
        return KeyConditions.fromLegacy(table, byKey);
    }

    private static void flattenAnd(Condition c, List<Condition> out) {
        if (c instanceof Condition.And and) {
            flattenAnd(and.left(), out);
            flattenAnd(and.right(), out);
        } else {
            out.add(c);
        }
    }

    /** One conjunct of a key condition, as the legacy (attribute, Condition) it means. */
    private static Map.Entry<String, dev.flywheel.model.shapes.Condition> legacyForm(Condition c) {
        return switch (c) {
            case Condition.Comparison x -> {
                String op = switch (x.comparator()) {
                    case EQ -> "EQ";
                    case LT -> "LT";
                    case LE -> "LE";
                    case GT -> "GT";
                    case GE -> "GE";
                    case NE -> throw invalidOperator("<>");
                };
                if (x.left() instanceof DocumentPath path) {
                    yield Map.entry(keyName(path), new dev.flywheel.model.shapes.Condition(List.of(literal(x.right())), op));
                }
                if (x.right() instanceof DocumentPath path) {
                    // `:v < sk` means `sk > :v`.
                    String flipped = switch (op) { case "LT" -> "GT"; case "LE" -> "GE"; case "GT" -> "LT"; case "GE" -> "LE"; default -> op; };
                    yield Map.entry(keyName(path), new dev.flywheel.model.shapes.Condition(List.of(literal(x.left())), flipped));
                }
                throw new ValidationException("Invalid KeyConditionExpression: Expected a document path in the condition");
            }
            case Condition.Between x -> Map.entry(keyName(path(x.value())),
                    new dev.flywheel.model.shapes.Condition(List.of(literal(x.lower()), literal(x.upper())), "BETWEEN"));
            case Condition.Function f when f.name().equals("begins_with") ->
                    Map.entry(keyName(path(f.arguments().get(0))),
                            new dev.flywheel.model.shapes.Condition(List.of(literal(f.arguments().get(1))), "BEGINS_WITH"));
            case Condition.Function f -> throw invalidOperator(f.name());
            case Condition.Or ignored -> throw invalidOperator("OR");
            case Condition.Not ignored -> throw invalidOperator("NOT");
            case Condition.In ignored -> throw invalidOperator("IN");
            case Condition.And ignored -> throw new IllegalStateException("flattened");
        };
    }

    private static ValidationException invalidOperator(String operator) {
        return new ValidationException("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static DocumentPath path(Operand operand) {
        if (operand instanceof DocumentPath p) return p;
        throw new ValidationException("Invalid KeyConditionExpression: Expected a document path in the condition");
    }

    private static String keyName(DocumentPath path) {
        if (path.elements().size() > 1) {
            throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.' are"
                    + " not allowed: Key: " + path.topLevelName());
        }
        return path.topLevelName();
    }

    private static AttributeValue literal(Operand operand) {
        if (operand instanceof Operand.Literal l) return l.value();
        throw new ValidationException("Invalid KeyConditionExpression: Expected a value in the condition");
    }
}

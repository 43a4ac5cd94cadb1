package dev.flywheel.engine.expressions;

import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.Condition.Comparator;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.expression.Operand;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.ExpectedAttributeValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The legacy conditional parameters (Expected, QueryFilter, ScanFilter, with ConditionalOperator)
 * translated into the expression language's tree, so that one evaluator decides both. The API
 * Reference's ComparisonOperator table gives each operator's meaning; e.g. NOT_NULL is
 * attribute_exists and NOT_CONTAINS holds only for an attribute that exists.
 */
public final class LegacyConditions {
    private static final String INVALID = "One or more parameter values were invalid: ";

    private LegacyConditions() {}

    /** Expected: per attribute, Exists/Value or ComparisonOperator/AttributeValueList. */
    public static Condition fromExpected(Map<String, ExpectedAttributeValue> expected, String conditionalOperator) {
        List<Condition> parts = new ArrayList<>();
        for (Map.Entry<String, ExpectedAttributeValue> e : expected.entrySet()) {
            String name = e.getKey();
            ExpectedAttributeValue x = e.getValue();
            if (x.comparisonOperator() != null) {
                if (x.exists() != null) {
                    throw new ValidationException(INVALID + "Exists and ComparisonOperator cannot be used together for"
                            + " Attribute: " + name);
                }
                if (x.value() != null && x.attributeValueList() != null) {
                    throw new ValidationException(INVALID + "Value and AttributeValueList cannot be used together for"
                            + " Attribute: " + name);
                }
                List<AttributeValue> values = x.attributeValueList() != null ? x.attributeValueList()
                        : x.value() != null ? List.of(x.value()) : List.of();
                parts.add(comparison(name, x.comparisonOperator(), values));
            } else if (Boolean.FALSE.equals(x.exists())) {
                if (x.value() != null) {
                    throw new ValidationException(INVALID + "Value cannot be used when Exists is false for Attribute: " + name);
                }
                parts.add(function("attribute_not_exists", name));
            } else {
                if (x.value() == null) {
                    throw new ValidationException(INVALID + "Value must be provided when Exists is "
                            + (x.exists() == null ? "null" : "true") + " for Attribute: " + name);
                }
                parts.add(comparison(name, "EQ", List.of(x.value())));
            }
        }
        return combine(parts, conditionalOperator);
    }

    /** QueryFilter and ScanFilter: per attribute, ComparisonOperator and AttributeValueList. */
    public static Condition fromConditions(Map<String, dev.flywheel.model.shapes.Condition> conditions,
                                           String conditionalOperator) {
        List<Condition> parts = new ArrayList<>();
        for (Map.Entry<String, dev.flywheel.model.shapes.Condition> e : conditions.entrySet()) {
            List<AttributeValue> values = e.getValue().attributeValueList();
            parts.add(comparison(e.getKey(), e.getValue().comparisonOperator(), values == null ? List.of() : values));
        }
        return combine(parts, conditionalOperator);
    }

    private static Condition combine(List<Condition> parts, String conditionalOperator) {
        boolean or = "OR".equals(conditionalOperator);
        Condition result = parts.getFirst();
        for (Condition c : parts.subList(1, parts.size())) {
            result = or ? new Condition.Or(result, c) : new Condition.And(result, c);
        }
        return result;
    }

    private static Condition comparison(String name, String operator, List<AttributeValue> given) {
        List<AttributeValue> values = given.stream().map(AttributeValues::normalize).toList();
        DocumentPath path = DocumentPath.of(name);
        return switch (operator) {
            case "EQ" -> compare(Comparator.EQ, path, values, operator);
            case "NE" -> compare(Comparator.NE, path, values, operator);
            case "LT" -> compare(Comparator.LT, path, values, operator);
            case "LE" -> compare(Comparator.LE, path, values, operator);
            case "GT" -> compare(Comparator.GT, path, values, operator);
            case "GE" -> compare(Comparator.GE, path, values, operator);
            case "NOT_NULL" -> { arity(values, 0, operator); yield function("attribute_exists", name); }
            case "NULL" -> { arity(values, 0, operator); yield function("attribute_not_exists", name); }
            case "BEGINS_WITH" -> {
                arity(values, 1, operator);
                yield new Condition.Function("begins_with", List.of(path, literal(values.getFirst())));
            }
            case "CONTAINS" -> {
                arity(values, 1, operator);
                yield new Condition.Function("contains", List.of(path, literal(values.getFirst())));
            }
            case "NOT_CONTAINS" -> {
                arity(values, 1, operator);
                yield new Condition.And(function("attribute_exists", name),
                        new Condition.Not(new Condition.Function("contains", List.of(path, literal(values.getFirst())))));
            }
            case "IN" -> {
                if (values.isEmpty()) throw arityError(operator);
                yield new Condition.In(path, values.stream().<Operand>map(LegacyConditions::literal).toList());
            }
            case "BETWEEN" -> {
                arity(values, 2, operator);
                yield new Condition.Between(path, literal(values.get(0)), literal(values.get(1)));
            }
            default -> throw new ValidationException(INVALID + "Unsupported operator on ExpectedAttributeValue or"
                    + " ConditionalOperator: " + operator);
        };
    }

    private static Condition compare(Comparator comparator, DocumentPath path, List<AttributeValue> values, String op) {
        arity(values, 1, op);
        return new Condition.Comparison(comparator, path, literal(values.getFirst()));
    }

    private static void arity(List<AttributeValue> values, int expected, String operator) {
        if (values.size() != expected) throw arityError(operator);
    }

    private static ValidationException arityError(String operator) {
        return new ValidationException(INVALID + "Invalid number of argument(s) for the " + operator + " ComparisonOperator");
    }

    private static Condition function(String name, String attribute) {
        return new Condition.Function(name, List.of(DocumentPath.of(attribute)));
    }

    private static Operand literal(AttributeValue v) {
        return new Operand.Literal(v);
    }
}

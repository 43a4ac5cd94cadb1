package dev.flywheel.engine.expressions;

import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.ArrayList;
import java.util.List;

/**
 * DynamoDB's rules on which parameters a request may combine: legacy parameters (Expected,
 * AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter, ScanFilter, ConditionalOperator)
 * and expression parameters cannot be mixed, and ExpressionAttributeNames/Values need an expression
 * that can use them.
 */
public final class ParameterRules {
    /** The legacy parameters a ConditionalOperator combines. */
    private static final java.util.Set<String> CONDITIONS = java.util.Set.of("Expected", "KeyConditions", "QueryFilter",
            "ScanFilter");

    private final List<String> legacy = new ArrayList<>();
    private final List<String> expressions = new ArrayList<>();
    private final List<String> valueExpressions = new ArrayList<>();

    public static ParameterRules check() {
        return new ParameterRules();
    }

    /** A legacy parameter, counted when present. */
    public ParameterRules legacy(String name, Object value) {
        if (value != null) legacy.add(name);
        return this;
    }

    /** An expression that may use ExpressionAttributeValues (conditions, filters, updates). */
    public ParameterRules expression(String name, String text) {
        valueExpressions.add(name);
        if (text != null) expressions.add(name);
        return this;
    }

    /** A ProjectionExpression: it may use names, never values. */
    public ParameterRules projection(String text) {
        if (text != null) expressions.add("ProjectionExpression");
        return this;
    }

    /** @throws ValidationException with DynamoDB's message for the first rule broken */
    public void done(Object expressionAttributeNames, Object expressionAttributeValues) {
        if (!legacy.isEmpty() && !expressions.isEmpty()) {
            throw new ValidationException("Can not use both expression and non-expression parameters in the same request:"
                    + " Non-expression parameters: {" + String.join(", ", legacy) + "} Expression parameters: {"
                    + String.join(", ", expressions) + "}");
        }
        if (legacy.contains("ConditionalOperator") && legacy.stream().noneMatch(CONDITIONS::contains)) {
            throw new ValidationException("ConditionalOperator can only be used when Expected or KeyConditions or"
                    + " QueryFilter or ScanFilter is present");
        }
        if (expressionAttributeNames != null && expressions.isEmpty()) {
            throw new ValidationException("ExpressionAttributeNames can only be specified when using expressions");
        }
        if (expressionAttributeValues != null && valueExpressions.stream().noneMatch(expressions::contains)) {
            throw new ValidationException("ExpressionAttributeValues can only be specified when using expressions: "
                    + nullList(valueExpressions));
        }
    }

    /** "A is null", "A and B are null", "A, B and C are null". */
    private static String nullList(List<String> names) {
        if (names.size() == 1) return names.getFirst() + " is null";
        return String.join(", ", names.subList(0, names.size() - 1)) + " and " + names.getLast() + " are null";
    }
}

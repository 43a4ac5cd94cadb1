package dev.flywheel.expression;

/**
 * The request parameter an expression came from. DynamoDB names it in every error about the
 * expression ("Invalid FilterExpression: ..."), so the kind travels with the parsed tree.
 */
public enum ExpressionKind {
    CONDITION("ConditionExpression"),
    FILTER("FilterExpression"),
    KEY_CONDITION("KeyConditionExpression"),
    UPDATE("UpdateExpression"),
    PROJECTION("ProjectionExpression");

    private final String parameterName;

    ExpressionKind(String parameterName) { this.parameterName = parameterName; }

    /** The request parameter's name, e.g. {@code ConditionExpression}. */
    public String parameterName() { return parameterName; }
}

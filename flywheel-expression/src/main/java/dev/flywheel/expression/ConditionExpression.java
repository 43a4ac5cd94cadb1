package dev.flywheel.expression;

import java.util.Objects;

/** A parsed ConditionExpression, FilterExpression or KeyConditionExpression. */
public record ConditionExpression(ExpressionKind kind, Condition condition) {
    public ConditionExpression {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(condition, "condition");
    }
}

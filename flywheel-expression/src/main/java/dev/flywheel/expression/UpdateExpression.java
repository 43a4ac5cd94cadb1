package dev.flywheel.expression;

import java.util.List;

/**
 * A parsed UpdateExpression: its actions in the order written (clauses may come in any order;
 * DynamoDB applies them as one change computed from the item as it was).
 */
public record UpdateExpression(List<UpdateAction> actions) {
    public UpdateExpression { actions = List.copyOf(actions); }
}

package dev.flywheel.engine.expressions;

import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.expression.ConditionExpression;
import dev.flywheel.expression.ExpressionKind;
import dev.flywheel.expression.Placeholders;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.expression.UpdateExpression;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The expressions of one request, parsed (from the cache) and resolved against the request's
 * ExpressionAttributeNames and ExpressionAttributeValues. Every accessor returns null for an absent
 * expression. Call {@link #checkAllUsed()} once all of the request's expressions are resolved:
 * DynamoDB reports unused names and values across all of them. Not thread-safe: one per request.
 */
public final class RequestExpressions {
    private final ParsedExpressions parsed;
    private final Placeholders placeholders;

    private RequestExpressions(ParsedExpressions parsed, Placeholders placeholders) {
        this.parsed = parsed;
        this.placeholders = placeholders;
    }

    /**
     * @throws ValidationException for empty maps, malformed keys, and invalid values ("ExpressionAttributeValues
     *     contains invalid value: ... for key :v", the values validated as items' values are)
     */
    public static RequestExpressions of(ParsedExpressions parsed, Map<String, String> names,
                                        Map<String, AttributeValue> values) {
        return new RequestExpressions(parsed, Placeholders.of(names, normalized(values)));
    }

    private static Map<String, AttributeValue> normalized(Map<String, AttributeValue> values) {
        if (values == null) return null;
        Map<String, AttributeValue> out = new LinkedHashMap<>(values.size());
        for (Map.Entry<String, AttributeValue> e : values.entrySet()) {
            try {
                out.put(e.getKey(), AttributeValues.normalize(e.getValue()));
            } catch (ValidationException invalid) {
                throw new ValidationException("ExpressionAttributeValues contains invalid value: " + invalid.getMessage()
                        + " for key " + e.getKey());
            }
        }
        return out;
    }

    public ConditionExpression condition(String text) { return conditionLike(ExpressionKind.CONDITION, text); }

    public ConditionExpression filter(String text) { return conditionLike(ExpressionKind.FILTER, text); }

    public ConditionExpression keyCondition(String text) { return conditionLike(ExpressionKind.KEY_CONDITION, text); }

    public UpdateExpression update(String text) {
        return text == null ? null : placeholders.resolve(parsed.update(text));
    }

    public ProjectionExpression projection(String text) {
        return text == null ? null : placeholders.resolve(parsed.projection(text));
    }

    private ConditionExpression conditionLike(ExpressionKind kind, String text) {
        return text == null ? null : placeholders.resolve(parsed.condition(kind, text));
    }

    /** @throws ValidationException naming the ExpressionAttributeNames or Values no expression used */
    public void checkAllUsed() {
        placeholders.checkAllUsed();
    }
}

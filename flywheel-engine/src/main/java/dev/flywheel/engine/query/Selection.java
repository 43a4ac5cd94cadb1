package dev.flywheel.engine.query;

import dev.flywheel.engine.item.AttributesToGet;
import dev.flywheel.expression.Projection;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * What a Query or Scan returns of each item: its Select with its AttributesToGet or
 * ProjectionExpression, validated together.
 *
 * @param allAttributes Select was ALL_ATTRIBUTES, which an index can serve only if it projects them all
 */
record Selection(boolean countOnly, boolean allAttributes, List<String> attributesToGet, ProjectionExpression projection) {

    /** @param onIndex whether the request names an IndexName (ALL_PROJECTED_ATTRIBUTES needs one) */
    static Selection of(String select, List<String> attributesToGet, ProjectionExpression projection, boolean onIndex) {
        boolean projected = attributesToGet != null || projection != null;
        String what = attributesToGet != null ? "AttributesToGet" : "ProjectionExpression";
        if (select == null) return new Selection(false, false, attributesToGet, projection);
        return switch (select) {
            case "COUNT" -> {
                if (projected) throw new ValidationException("Cannot specify the " + what + " when choosing to get only the Count");
                yield new Selection(true, false, null, null);
            }
            case "ALL_ATTRIBUTES" -> {
                if (projected) throw new ValidationException("Cannot specify the " + what + " when choosing to get ALL_ATTRIBUTES");
                yield new Selection(false, true, null, null);
            }
            case "SPECIFIC_ATTRIBUTES" -> {
                if (!projected) {
                    throw new ValidationException("One or more parameter values were invalid: Select type"
                            + " SPECIFIC_ATTRIBUTES must be accompanied by AttributesToGet or ProjectionExpression");
                }
                yield new Selection(false, false, attributesToGet, projection);
            }
            default -> {
                if (!onIndex) {
                    throw new ValidationException("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an"
                            + " IndexName");
                }
                if (projected) {
                    throw new ValidationException("Cannot specify the " + what + " when choosing to get"
                            + " ALL_PROJECTED_ATTRIBUTES");
                }
                yield new Selection(false, false, null, null);
            }
        };
    }

    /** The top-level attributes asked for by name (none when the whole item is returned). */
    List<String> topLevelNames() {
        if (projection != null) return ReadTarget.topLevelNames(projection.paths());
        return attributesToGet == null ? List.of() : attributesToGet;
    }

    /**
     * The top-level attributes the returned items hold (none for COUNT), or null when they are whole
     * items: what a reader must decode of each stored item, besides its keys and what a filter reads.
     */
    Set<String> returnedNames() {
        if (countOnly) return Set.of();
        if (projection != null) return projection.topLevelNames();
        return attributesToGet == null ? null : new HashSet<>(attributesToGet);
    }

    Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        return projection != null ? Projection.apply(projection, item) : AttributesToGet.apply(item, attributesToGet);
    }
}

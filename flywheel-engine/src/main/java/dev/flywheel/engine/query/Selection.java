package dev.flywheel.engine.query;

import dev.flywheel.engine.item.AttributesToGet;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.List;
import java.util.Map;

/** What a Query or Scan returns of each item: its Select and AttributesToGet, validated together. */
record Selection(boolean countOnly, List<String> attributes) {

    static Selection of(String select, List<String> attributesToGet) {
        if (select == null) {
            return new Selection(false, attributesToGet);
        }
        switch (select) {
            case "COUNT" -> {
                if (attributesToGet != null) {
                    throw new ValidationException("Cannot specify the AttributesToGet when choosing to get only the Count");
                }
                return new Selection(true, null);
            }
            case "ALL_ATTRIBUTES" -> {
                if (attributesToGet != null) {
                    throw new ValidationException("Cannot specify the AttributesToGet when choosing to get ALL_ATTRIBUTES");
                }
                return new Selection(false, null);
            }
            case "SPECIFIC_ATTRIBUTES" -> {
                if (attributesToGet == null) {
                    throw new ValidationException("One or more parameter values were invalid: Select type"
                            + " SPECIFIC_ATTRIBUTES must be accompanied by AttributesToGet or ProjectionExpression");
                }
                return new Selection(false, attributesToGet);
            }
            default -> throw new ValidationException("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an"
                    + " IndexName");
        }
    }

    Map<String, AttributeValue> apply(Map<String, AttributeValue> item) {
        return AttributesToGet.apply(item, attributes);
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * The item after an update, and the paths the update's actions named, in the order written.
 * ReturnValues UPDATED_OLD is {@code Projection.apply(updatedPaths, oldItem)} and UPDATED_NEW is
 * {@code Projection.apply(updatedPaths, item)}: DynamoDB returns what lies at those paths, so a
 * value SET past the end of a list (and thus appended at a lower index) is not part of it.
 */
public record UpdateResult(Map<String, AttributeValue> item, List<DocumentPath> updatedPaths) {
    public UpdateResult {
        item = java.util.Collections.unmodifiableMap(item);
        updatedPaths = List.copyOf(updatedPaths);
    }
}

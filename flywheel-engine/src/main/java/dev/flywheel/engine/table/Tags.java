package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.Tag;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tag rules (Developer Guide, "Tagging restrictions"): at most 50 tags per resource, keys 1-128 and
 * values 0-256 Unicode characters (lengths also checked by the service model), and the {@code aws:}
 * prefix is reserved. Adding a tag with an existing key replaces its value.
 */
final class Tags {
    static final int MAX_TAGS = 50;

    private Tags() {}

    static Map<String, String> validated(Map<String, String> current, List<Tag> added) {
        Map<String, String> tags = new LinkedHashMap<>(current);
        if (added == null) return tags;
        for (Tag tag : added) {
            if (tag.key().startsWith("aws:")) {
                throw new ValidationException("One or more parameter values were invalid: Tag keys starting with"
                        + " 'aws:' are reserved for system use");
            }
            tags.put(tag.key(), tag.value());
        }
        if (tags.size() > MAX_TAGS) {
            throw new ValidationException("One or more parameter values were invalid: The number of tags exceeds"
                    + " the limit of " + MAX_TAGS + " tags per resource");
        }
        return tags;
    }

    static Map<String, String> without(Map<String, String> current, Collection<String> keys) {
        Map<String, String> tags = new LinkedHashMap<>(current);
        keys.forEach(tags::remove);
        return tags;
    }
}

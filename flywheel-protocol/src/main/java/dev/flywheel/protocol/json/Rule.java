package dev.flywheel.protocol.json;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The constraints the service model puts on one shape (min/max length of a string, list or map,
 * min/max of a number, a pattern, an enum), worded as DynamoDB words them.
 *
 * <p>A member's violations are reported one by one, pattern before length
 * ("Value '' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression
 * pattern: [a-zA-Z0-9_.-]+; Value '' at 'tableName' failed to satisfy constraint: Member must have
 * length greater than or equal to 3"). For the elements of a list, or the keys or values of a map,
 * DynamoDB lists all the shape's constraints at once, maximum before minimum before pattern:
 * "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must
 * have length greater than or equal to 1]"; {@link #summary()} is that list.
 *
 * <p>Immutable and thread-safe. Patterns must match the whole value, as in the model.
 */
final class Rule {
    private final Integer minLength;
    private final Integer maxLength;
    private final Long min;
    private final Long max;
    private final Pattern pattern;
    private final List<String> values;
    private final Set<String> valueSet;
    private final String summary;

    private Rule(Integer minLength, Integer maxLength, Long min, Long max, String pattern, List<String> values) {
        this.minLength = minLength;
        this.maxLength = maxLength;
        this.min = min;
        this.max = max;
        this.pattern = pattern == null ? null : Pattern.compile(pattern);
        this.values = values;
        this.valueSet = values == null ? null : Set.copyOf(values);
        List<String> all = new ArrayList<>();
        if (maxLength != null) {
            all.add(maxLengthText());
        }
        if (minLength != null) {
            all.add(minLengthText());
        }
        if (pattern != null) {
            all.add(patternText());
        }
        if (max != null) {
            all.add(maxText());
        }
        if (min != null) {
            all.add(minText());
        }
        if (values != null) {
            all.add(valuesText());
        }
        this.summary = "[" + String.join(", ", all) + "]";
    }

    /** The length of a string, or the size of a list or map, within [min, max]; null for no bound. */
    static Rule length(Integer min, Integer max) {
        return new Rule(min, max, null, null, null, null);
    }

    /** The whole of a string matches {@code regex}. */
    static Rule pattern(String regex) {
        return new Rule(null, null, null, null, regex, null);
    }

    /** A string is one of {@code values}. */
    static Rule oneOf(String... values) {
        return new Rule(null, null, null, null, null, List.of(values));
    }

    /** A number within [min, max]; null for no bound. */
    static Rule range(Long min, Long max) {
        return new Rule(null, null, min, max, null, null);
    }

    /** This length rule, and the whole of a string matches {@code regex}. */
    Rule withPattern(String regex) {
        return new Rule(minLength, maxLength, min, max, regex, values);
    }

    /** All the constraints, for "Member must satisfy constraint: [...]". */
    String summary() {
        return summary;
    }

    /** Whether {@code value} (a String, Number, List or Map; not null) satisfies every constraint. */
    boolean accepts(Object value) {
        if (pattern != null && value instanceof String s && !pattern.matcher(s).matches()) {
            return false;
        }
        if (minLength != null || maxLength != null) {
            int length = lengthOf(value);
            if ((minLength != null && length < minLength) || (maxLength != null && length > maxLength)) {
                return false;
            }
        }
        if ((min != null || max != null) && value instanceof Number number) {
            long n = number.longValue();
            if ((min != null && n < min) || (max != null && n > max)) {
                return false;
            }
        }
        return valueSet == null || valueSet.contains(value);
    }

    /** Gives the description of each constraint {@code value} violates, in DynamoDB's order. */
    void violations(Object value, Consumer<String> violated) {
        if (pattern != null && value instanceof String s && !pattern.matcher(s).matches()) {
            violated.accept(patternText());
        }
        if (minLength != null || maxLength != null) {
            int length = lengthOf(value);
            if (minLength != null && length < minLength) {
                violated.accept(minLengthText());
            }
            if (maxLength != null && length > maxLength) {
                violated.accept(maxLengthText());
            }
        }
        // Integer and Long members: the model puts no bounds on doubles.
        if ((min != null || max != null) && value instanceof Number number) {
            long n = number.longValue();
            if (min != null && n < min) {
                violated.accept(minText());
            }
            if (max != null && n > max) {
                violated.accept(maxText());
            }
        }
        if (valueSet != null && !valueSet.contains(value)) {
            violated.accept(valuesText());
        }
    }

    private static int lengthOf(Object value) {
        return switch (value) {
            case String s -> s.length();
            case Collection<?> c -> c.size();
            case Map<?, ?> m -> m.size();
            default -> throw new IllegalArgumentException("a length rule on a " + value.getClass());
        };
    }

    private String minLengthText() {
        return "Member must have length greater than or equal to " + minLength;
    }

    private String maxLengthText() {
        return "Member must have length less than or equal to " + maxLength;
    }

    private String minText() {
        return "Member must have value greater than or equal to " + min;
    }

    private String maxText() {
        return "Member must have value less than or equal to " + max;
    }

    private String patternText() {
        return "Member must satisfy regular expression pattern: " + pattern.pattern();
    }

    private String valuesText() {
        return "Member must satisfy enum value set: [" + String.join(", ", values) + "]";
    }
}

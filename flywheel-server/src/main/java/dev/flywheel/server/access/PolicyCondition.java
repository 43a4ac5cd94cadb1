package dev.flywheel.server.access;

import java.util.List;
import java.util.Map;

/**
 * One test of an IAM {@code Condition} block: {@code "ForAllValues:StringEquals": {"dynamodb:LeadingKeys":
 * ["${aws:username}"]}} is the operator StringEquals, the qualifier ForAllValues, one key and its values.
 *
 * <p>Semantics follow IAM: a positive operator (StringEquals, StringLike, ...) fails when the key is
 * absent from the request, a negated one (StringNotEquals, ...) passes; {@code ...IfExists} passes when
 * the key is absent. {@code ForAllValues:} passes when every value of the request matches (also when
 * there is none: the IAM pitfall that lets a Scan through a LeadingKeys-only policy, kept for
 * fidelity); {@code ForAnyValue:} needs at least one matching value.
 */
record PolicyCondition(Operator operator, Qualifier qualifier, boolean ifExists, String key, List<String> values) {

    enum Qualifier { SINGLE, FOR_ALL_VALUES, FOR_ANY_VALUE }

    enum Operator {
        STRING_EQUALS("StringEquals", false, false, false),
        STRING_NOT_EQUALS("StringNotEquals", true, false, false),
        STRING_EQUALS_IGNORE_CASE("StringEqualsIgnoreCase", false, false, true),
        STRING_NOT_EQUALS_IGNORE_CASE("StringNotEqualsIgnoreCase", true, false, true),
        STRING_LIKE("StringLike", false, true, false),
        STRING_NOT_LIKE("StringNotLike", true, true, false);

        final String iamName;
        final boolean negated;
        final boolean wildcards;
        final boolean ignoreCase;

        Operator(String iamName, boolean negated, boolean wildcards, boolean ignoreCase) {
            this.iamName = iamName;
            this.negated = negated;
            this.wildcards = wildcards;
            this.ignoreCase = ignoreCase;
        }

        static Operator named(String name) {
            for (Operator o : values()) {
                if (o.iamName.equals(name)) return o;
            }
            return null;
        }

        /** Whether {@code value} equals (or is like) one of {@code patterns}, before negation. */
        boolean matchesAny(String value, List<String> patterns) {
            for (String pattern : patterns) {
                boolean match = wildcards ? Wildcards.matches(pattern, value, false)
                        : ignoreCase ? pattern.equalsIgnoreCase(value) : pattern.equals(value);
                if (match) return true;
            }
            return false;
        }
    }

    /** The condition keys Flywheel knows; a policy naming another is refused when loaded. */
    static final List<String> SUPPORTED_KEYS = List.of("dynamodb:LeadingKeys", "aws:username", "aws:userid");

    /**
     * Whether the condition holds for a request whose context gives each key's values (a missing key:
     * absent from the request); {@code variables} replace {@code ${aws:username}} and the like in the
     * policy's values.
     */
    boolean holds(Map<String, List<String>> context, Map<String, String> variables) {
        List<String> requestValues = context.get(key);
        List<String> patterns = values.stream().map(v -> PolicyVariables.substitute(v, variables)).toList();
        if (requestValues == null || requestValues.isEmpty()) {
            return switch (qualifier) {
                case FOR_ALL_VALUES -> true;
                case FOR_ANY_VALUE -> false;
                case SINGLE -> ifExists || operator.negated;
            };
        }
        return switch (qualifier) {
            case FOR_ALL_VALUES -> requestValues.stream().allMatch(v -> satisfies(v, patterns));
            case FOR_ANY_VALUE -> requestValues.stream().anyMatch(v -> satisfies(v, patterns));
            // A single-valued operator over several values: every one must satisfy it (the strict reading).
            case SINGLE -> requestValues.stream().allMatch(v -> satisfies(v, patterns));
        };
    }

    private boolean satisfies(String value, List<String> patterns) {
        return operator.matchesAny(value, patterns) != operator.negated;
    }
}

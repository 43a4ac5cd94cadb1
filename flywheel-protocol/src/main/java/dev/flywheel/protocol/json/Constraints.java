package dev.flywheel.protocol.json;

import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Checks a request against the service model's constraints and collects every violation, to answer
 * them all at once as DynamoDB does:
 * "2 validation errors detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must
 * have length greater than or equal to 3; Value null at 'keySchema' failed to satisfy constraint:
 * Member must not be null".
 *
 * <p>Paths name members in lower camel case and descend like DynamoDB's: the n-th element of a list
 * (from 1) is {@code keySchema.1.member}, the value under key k of a map is {@code requestItems.k.member},
 * so a member deep inside reads {@code requestItems.k.member.1.member.putRequest.item}. The generated
 * checkers pass the member's name to each call; the path of the enclosing values is kept here, as a
 * stack that is joined only when a violation is found.
 *
 * <p>Values in messages are rendered by {@link ValueText}, like DynamoDB's Java toString. At most
 * ten violations are listed, as dynalite (which mimics DynamoDB's messages) does; a recorded
 * DynamoDB message with more has not been found.
 *
 * <p>Members are checked in the order the generated checkers call, which is the order DynamoDB
 * reports them in (see tools/codegen/generate_codec.py, {@code java_hash_order}).
 *
 * <p>Not thread-safe: one instance checks one request. Null values pass every check but
 * {@link #required}.
 */
final class Constraints {
    private static final int MOST_REPORTED = 10;

    /** Checks one value (a structure, or a list or map in an anonymous position). */
    @FunctionalInterface
    interface Checker<T> {
        void check(T value, Constraints constraints);

        /** For shapes with no constraints. */
        static <T> Checker<T> none() {
            return (value, constraints) -> { };
        }
    }

    /** Segments of the enclosing path: member names, map keys (String) and list positions (Integer). */
    private final List<Object> path = new ArrayList<>();
    private List<String> violations;

    /** Throws DynamoDB's ValidationException listing the violations found, if any. */
    void throwIfViolated() {
        if (violations != null) {
            int n = violations.size();
            throw new ValidationException(n + (n == 1 ? " validation error" : " validation errors")
                    + " detected: " + String.join("; ", violations));
        }
    }

    /** A required member of a structure. */
    void required(String member, Object value) {
        if (value == null) {
            violation(member, null, "Member must not be null");
        }
    }

    /** The constraints of a member's own shape; each violated one is reported. */
    void rule(String member, Object value, Rule rule) {
        if (value != null) {
            rule.violations(value, description -> violation(member, value, description));
        }
    }

    /** The constraints of a list's element shape, reported once for the whole list. */
    void elements(String member, List<?> list, Rule rule) {
        if (list != null) {
            for (Object element : list) {
                if (!rule.accepts(element)) {
                    violation(member, list, "Member must satisfy constraint: " + rule.summary());
                    return;
                }
            }
        }
    }

    /** The constraints of a map's key shape, reported once for the whole map. */
    void keys(String member, Map<String, ?> map, Rule rule) {
        if (map != null) {
            for (String key : map.keySet()) {
                if (!rule.accepts(key)) {
                    violation(member, map, "Map keys must satisfy constraint: " + rule.summary());
                    return;
                }
            }
        }
    }

    /** The constraints of a map's value shape, reported once for the whole map. */
    void values(String member, Map<String, ?> map, Rule rule) {
        if (map != null) {
            for (Object value : map.values()) {
                if (!rule.accepts(value)) {
                    violation(member, map, "Map value must satisfy constraint: " + rule.summary());
                    return;
                }
            }
        }
    }

    /** The constraints inside a structure member. */
    <T> void structure(String member, T value, Checker<T> checker) {
        if (value != null) {
            enter(member);
            checker.check(value, this);
            exit(member);
        }
    }

    /** The constraints inside each element of a list: {@code member.<n>.member}. */
    <T> void eachElement(String member, List<T> list, Checker<T> checker) {
        if (list != null) {
            enter(member);
            for (int i = 0; i < list.size(); i++) {
                path.add(i + 1);
                path.add("member");
                checker.check(list.get(i), this);
                path.removeLast();
                path.removeLast();
            }
            exit(member);
        }
    }

    /** The constraints inside each value of a map: {@code member.<key>.member}. */
    <T> void eachValue(String member, Map<String, T> map, Checker<T> checker) {
        if (map != null) {
            enter(member);
            for (Map.Entry<String, T> entry : map.entrySet()) {
                path.add(entry.getKey());
                path.add("member");
                checker.check(entry.getValue(), this);
                path.removeLast();
                path.removeLast();
            }
            exit(member);
        }
    }

    /** Member names are null for the anonymous positions inside lists of lists and the like. */
    private void enter(String member) {
        if (member != null) {
            path.add(member);
        }
    }

    private void exit(String member) {
        if (member != null) {
            path.removeLast();
        }
    }

    private void violation(String member, Object value, String constraint) {
        if (violations == null) {
            violations = new ArrayList<>();
        }
        if (violations.size() >= MOST_REPORTED) {
            return;
        }
        StringBuilder at = new StringBuilder();
        for (Object segment : path) {
            at.append(segment).append('.');
        }
        if (member != null) {
            at.append(member);
        } else if (!at.isEmpty()) {
            at.setLength(at.length() - 1);
        }
        String shown = value == null ? "null" : "'" + ValueText.of(value) + "'";
        violations.add("Value " + shown + " at '" + at + "' failed to satisfy constraint: " + constraint);
    }
}

package dev.flywheel.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Reads IAM policy documents ({@code {"Version": "2012-10-17", "Statement": [...]}}) into statements.
 * Anything Flywheel would not enforce exactly as IAM does (an unknown operator or condition key, a
 * Principal element, a missing Effect) is refused with a message naming it, rather than ignored: a policy
 * that silently grants more than its author meant is the worst outcome.
 */
final class PolicyParser {
    private PolicyParser() {}

    static List<PolicyStatement> parse(JsonNode document, String where) {
        if (!document.isObject()) throw invalid(where, "a policy document must be a JSON object");
        JsonNode version = document.get("Version");
        if (version != null && !version.asText().equals("2012-10-17") && !version.asText().equals("2008-10-17")) {
            throw invalid(where, "Version must be 2012-10-17, not " + version.asText());
        }
        JsonNode statements = document.get("Statement");
        if (statements == null) throw invalid(where, "a policy document needs a Statement");
        List<PolicyStatement> parsed = new ArrayList<>();
        for (JsonNode statement : statements.isArray() ? statements : List.of(statements)) {
            parsed.add(statement(statement, where));
        }
        return parsed;
    }

    private static PolicyStatement statement(JsonNode statement, String where) {
        if (!statement.isObject()) throw invalid(where, "each Statement must be a JSON object");
        for (Iterator<String> names = statement.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!List.of("Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition").contains(name)) {
                throw invalid(where, "unsupported statement element " + name
                        + " (identity-based policies have no Principal; Flywheel reads Sid, Effect, Action,"
                        + " NotAction, Resource, NotResource, Condition)");
            }
        }
        String effect = statement.path("Effect").asText("");
        if (!effect.equals("Allow") && !effect.equals("Deny")) {
            throw invalid(where, "Effect must be Allow or Deny, not '" + effect + "'");
        }
        boolean notAction = statement.has("NotAction");
        if (notAction == statement.has("Action")) throw invalid(where, "a statement needs exactly one of Action, NotAction");
        boolean notResource = statement.has("NotResource");
        if (notResource == statement.has("Resource")) {
            throw invalid(where, "a statement needs exactly one of Resource, NotResource");
        }
        return new PolicyStatement(effect.equals("Allow"),
                strings(statement.get(notAction ? "NotAction" : "Action"), where),
                notAction,
                strings(statement.get(notResource ? "NotResource" : "Resource"), where),
                notResource,
                conditions(statement.get("Condition"), where));
    }

    private static List<PolicyCondition> conditions(JsonNode block, String where) {
        if (block == null) return List.of();
        if (!block.isObject()) throw invalid(where, "Condition must be a JSON object");
        List<PolicyCondition> conditions = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> ops = block.fields(); ops.hasNext(); ) {
            Map.Entry<String, JsonNode> op = ops.next();
            String name = op.getKey();
            PolicyCondition.Qualifier qualifier = PolicyCondition.Qualifier.SINGLE;
            if (name.startsWith("ForAllValues:")) {
                qualifier = PolicyCondition.Qualifier.FOR_ALL_VALUES;
                name = name.substring("ForAllValues:".length());
            } else if (name.startsWith("ForAnyValue:")) {
                qualifier = PolicyCondition.Qualifier.FOR_ANY_VALUE;
                name = name.substring("ForAnyValue:".length());
            }
            boolean ifExists = name.endsWith("IfExists");
            if (ifExists) name = name.substring(0, name.length() - "IfExists".length());
            PolicyCondition.Operator operator = PolicyCondition.Operator.named(name);
            if (operator == null) {
                throw invalid(where, "unsupported condition operator " + op.getKey()
                        + " (Flywheel supports the String operators, with ForAllValues:/ForAnyValue: and IfExists)");
            }
            if (!op.getValue().isObject()) throw invalid(where, op.getKey() + " must map condition keys to values");
            for (Iterator<Map.Entry<String, JsonNode>> keys = op.getValue().fields(); keys.hasNext(); ) {
                Map.Entry<String, JsonNode> key = keys.next();
                String supported = PolicyCondition.SUPPORTED_KEYS.stream()
                        .filter(k -> k.equalsIgnoreCase(key.getKey())).findFirst()
                        .orElseThrow(() -> invalid(where, "unsupported condition key " + key.getKey()
                                + " (Flywheel supports " + String.join(", ", PolicyCondition.SUPPORTED_KEYS) + ")"));
                conditions.add(new PolicyCondition(operator, qualifier, ifExists, supported, strings(key.getValue(), where)));
            }
        }
        return conditions;
    }

    private static List<String> strings(JsonNode node, String where) {
        List<String> values = new ArrayList<>();
        for (JsonNode value : node.isArray() ? node : List.of(node)) {
            if (!value.isTextual()) throw invalid(where, "expected a string or a list of strings, not " + value);
            values.add(value.asText());
        }
        return values;
    }

    private static IllegalArgumentException invalid(String where, String problem) {
        return new IllegalArgumentException(where + ": " + problem);
    }
}

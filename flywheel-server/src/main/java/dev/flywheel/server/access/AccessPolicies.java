package dev.flywheel.server.access;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The policy file of {@code flywheel serve --policy}: a JSON object that attaches IAM policy documents
 * to principals, named by profile (the section of the credentials file) or by access key id:
 *
 * <pre>{@code
 * {
 *   "reader": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem", "Resource": "*"}]},
 *   "AKIDEXAMPLE": [ {...policy...}, {...another...} ]
 * }
 * }</pre>
 */
public final class AccessPolicies {
    private final Map<String, List<PolicyStatement>> statementsByName;

    private AccessPolicies(Map<String, List<PolicyStatement>> statementsByName) {
        this.statementsByName = statementsByName;
    }

    /** @throws IllegalArgumentException naming the file and the problem, for anything not understood */
    public static AccessPolicies load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readAllBytes(file));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON: " + e.getOriginalMessage());
        }
        return parse(root, file.toString());
    }

    static AccessPolicies parse(JsonNode root, String where) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(where + ": expected a JSON object of principal name to policy document(s)");
        }
        Map<String, List<PolicyStatement>> byName = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> entries = root.fields(); entries.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = entries.next();
            List<PolicyStatement> statements = new ArrayList<>();
            JsonNode documents = entry.getValue();
            for (JsonNode document : documents.isArray() ? documents : List.of(documents)) {
                statements.addAll(PolicyParser.parse(document, where + ": " + entry.getKey()));
            }
            byName.put(entry.getKey(), List.copyOf(statements));
        }
        return new AccessPolicies(byName);
    }

    /** The names policies are attached to, which must each be a known principal. */
    public List<String> names() {
        return List.copyOf(statementsByName.keySet());
    }

    boolean usesLeadingKeys() {
        return statementsByName.values().stream().flatMap(List::stream).flatMap(s -> s.conditions().stream())
                .anyMatch(c -> c.key().equals("dynamodb:LeadingKeys"));
    }

    /**
     * Each principal's statements, by access key id: those attached to its profile name and to its access
     * key id.
     *
     * @throws IllegalArgumentException if a policy is attached to a name no principal has (a typo would
     *     otherwise leave the intended principal with no access, or worse, unnoticed)
     */
    Map<String, List<PolicyStatement>> statementsFor(List<Principal> principals) {
        for (String name : statementsByName.keySet()) {
            if (principals.stream().noneMatch(p -> p.name().equals(name) || p.accessKeyId().equals(name))) {
                throw new IllegalArgumentException("a policy is attached to '" + name
                        + "', which is neither a profile nor an access key id of the credentials");
            }
        }
        Map<String, List<PolicyStatement>> byKey = new LinkedHashMap<>();
        for (Principal p : principals) {
            List<PolicyStatement> statements = new ArrayList<>(statementsByName.getOrDefault(p.name(), List.of()));
            if (!p.name().equals(p.accessKeyId())) {
                statements.addAll(statementsByName.getOrDefault(p.accessKeyId(), List.of()));
            }
            byKey.put(p.accessKeyId(), List.copyOf(statements));
        }
        return byKey;
    }
}

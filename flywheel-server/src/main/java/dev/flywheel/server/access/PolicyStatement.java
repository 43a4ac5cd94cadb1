package dev.flywheel.server.access;

import java.util.List;
import java.util.Map;

/**
 * One statement of an IAM policy: it applies to a request when its action and resource match (or, for
 * {@code NotAction}/{@code NotResource}, do not) and all its conditions hold. Actions match without
 * regard to case, resources with it, both with {@code *} and {@code ?} wildcards.
 */
record PolicyStatement(boolean allow, List<String> actions, boolean notAction, List<String> resources,
        boolean notResource, List<PolicyCondition> conditions) {

    PolicyStatement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    boolean appliesTo(AccessRequest request, Map<String, List<String>> context, Map<String, String> variables) {
        boolean actionListed = actions.stream().anyMatch(a -> Wildcards.matches(a, request.action(), true));
        if (actionListed == notAction) return false;
        boolean resourceListed = resources.stream()
                .anyMatch(r -> Wildcards.matches(PolicyVariables.substitute(r, variables), request.resource(), false));
        if (resourceListed == notResource) return false;
        return conditions.stream().allMatch(c -> c.holds(context, variables));
    }
}

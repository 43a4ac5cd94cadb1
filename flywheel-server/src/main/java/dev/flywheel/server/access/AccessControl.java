package dev.flywheel.server.access;

import dev.flywheel.model.DynamoDbException.AccessDeniedException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * IAM-style access policies attached to the server's principals, enforced on every call before the
 * API runs: an explicit Deny wins, then an Allow grants, and anything not allowed is denied, as IAM
 * evaluates identity-based policies. A denied call gets DynamoDB's AccessDeniedException naming the
 * caller, the action and the resource.
 *
 * <p>{@link #guard} wraps an API interface ({@code DynamoDbApi}, {@code DynamoDbStreamsApi}) so that
 * each of its operations is checked with the operation's name and typed input; no operation can be
 * forgotten, because the wrapper is generated from the interface itself. Thread-safe.
 */
public final class AccessControl {
    private final Map<String, Principal> principalsByAccessKeyId;
    private final Map<String, List<PolicyStatement>> statementsByAccessKeyId;
    private final String accountId;
    private final RequiredPermissions permissions;
    private final Map<String, Object> guardedApis = new ConcurrentHashMap<>();

    /**
     * @param principals every caller the server knows
     * @param policies the policies attached to each principal (by access key id); a principal without
     *     one may do nothing, as an IAM user without policies
     * @param partitionKeyName a table's partition key attribute (null when the table does not exist),
     *     for {@code dynamodb:LeadingKeys}
     */
    public AccessControl(List<Principal> principals, AccessPolicies policies, String region, String accountId,
            Function<String, String> partitionKeyName) {
        this.principalsByAccessKeyId = new ConcurrentHashMap<>();
        principals.forEach(p -> principalsByAccessKeyId.put(p.accessKeyId(), p));
        this.statementsByAccessKeyId = policies.statementsFor(principals);
        this.accountId = Objects.requireNonNull(accountId, "accountId");
        // Looking up key schemas costs a catalog read per call: only when some policy needs it.
        Function<String, String> keys = policies.usesLeadingKeys() ? partitionKeyName : table -> null;
        this.permissions = new RequiredPermissions("arn:aws:dynamodb:" + region + ":" + accountId + ":table/", keys);
    }

    /** {@code api} as {@code accessKeyId} may use it: every call is checked first. */
    public <T> T guard(Class<T> apiType, T api, String accessKeyId) {
        Object guarded = guardedApis.computeIfAbsent(apiType.getName() + "\0" + accessKeyId,
                k -> Proxy.newProxyInstance(apiType.getClassLoader(), new Class<?>[] {apiType},
                        checking(api, principal(accessKeyId))));
        return apiType.cast(guarded);
    }

    private Principal principal(String accessKeyId) {
        // Signatures are verified before this, so an unknown key id never gets here; be safe anyway.
        Principal principal = principalsByAccessKeyId.get(accessKeyId);
        return principal != null ? principal : new Principal(accessKeyId, accessKeyId);
    }

    private InvocationHandler checking(Object api, Principal principal) {
        return (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.invoke(api, args);
            }
            String operation = Character.toUpperCase(method.getName().charAt(0)) + method.getName().substring(1);
            check(principal, operation, args == null || args.length == 0 ? null : args[0]);
            try {
                return method.invoke(api, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
    }

    /** Throws AccessDeniedException unless {@code principal} may run {@code operation} with {@code input}. */
    void check(Principal principal, String operation, Object input) {
        // DescribeEndpoints needs no permission: SDKs call it before anything else.
        if (operation.equals("DescribeEndpoints")) return;
        List<PolicyStatement> statements = statementsByAccessKeyId.getOrDefault(principal.accessKeyId(), List.of());
        Map<String, String> variables = Map.of("aws:username", principal.name(), "aws:userid", principal.accessKeyId());
        for (AccessRequest request : permissions.of(operation, input)) {
            Map<String, List<String>> context = Map.of(
                    "dynamodb:LeadingKeys", request.leadingKeys(),
                    "aws:username", List.of(principal.name()),
                    "aws:userid", List.of(principal.accessKeyId()));
            boolean allowed = false;
            for (PolicyStatement statement : statements) {
                if (!statement.appliesTo(request, context, variables)) continue;
                if (!statement.allow()) throw denied(principal, request, "with an explicit deny in an identity-based policy");
                allowed = true;
            }
            if (!allowed) {
                throw denied(principal, request, "because no identity-based policy allows the " + request.action() + " action");
            }
        }
    }

    private AccessDeniedException denied(Principal principal, AccessRequest request, String reason) {
        return new AccessDeniedException("User: " + principal.arn(accountId) + " is not authorized to perform: "
                + request.action() + " on resource: " + request.resource() + " " + reason);
    }
}

package dev.flywheel.server.access;

import java.util.List;
import java.util.Objects;

/**
 * One permission a call needs, as IAM evaluates it: an action such as {@code dynamodb:GetItem} on one
 * resource ARN (or {@code *} for account-wide actions such as ListTables), with the partition key
 * values it touches there for the condition key {@code dynamodb:LeadingKeys} (empty when it touches
 * no particular partition, as a Scan does).
 */
public record AccessRequest(String action, String resource, List<String> leadingKeys) {
    public AccessRequest {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(resource, "resource");
        leadingKeys = List.copyOf(leadingKeys);
    }
}

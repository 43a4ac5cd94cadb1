package dev.flywheel.engine.replication;

import dev.flywheel.model.DynamoDbException;

/**
 * Which answers of a peer region mean that asking again will not help: it refused the request itself
 * (ValidationException: e.g. a table of that name that is no replica already exists there, or its keys
 * differ), or this region's credentials (unknown key, wrong secret, a policy denying the call). Anything
 * else (unreachable, a 5xx, throttling, a table still being deleted) may pass, and is retried.
 */
final class PeerRefusal {
    private PeerRefusal() {}

    static boolean isFinal(DynamoDbException answer) {
        return switch (answer) {
            case DynamoDbException.ValidationException e -> true;
            case DynamoDbException.UnrecognizedClientException e -> true;
            case DynamoDbException.InvalidSignatureException e -> true;
            case DynamoDbException.IncompleteSignatureException e -> true;
            case DynamoDbException.MissingAuthenticationTokenException e -> true;
            case DynamoDbException.AccessDeniedException e -> true;
            default -> false;
        };
    }

    /** ReplicaStatusDescription of a replica whose table {@code region} refused to create. */
    static String creationFailed(String region, DynamoDbException answer) {
        return "Creating the replica's table in " + region + " failed: " + answer.code() + ": " + answer.getMessage();
    }
}

package dev.flywheel.protocol.auth;

import dev.flywheel.model.DynamoDbException;
import java.time.Clock;
import java.util.Map;

/**
 * Decides whether a request carries an acceptable AWS Signature Version 4 {@code Authorization} header.
 *
 * <p>Implementations are immutable and thread-safe.
 */
public interface RequestAuthenticator {

    /**
     * Returns the access key id that signed the request, when the request may proceed.
     *
     * @throws DynamoDbException.MissingAuthenticationTokenException no {@code AWS4-} Authorization header
     * @throws DynamoDbException.IncompleteSignatureException a header that is not a well-formed SigV4 header
     * @throws DynamoDbException.UnrecognizedClientException an access key id that is not configured
     * @throws DynamoDbException.InvalidSignatureException a signature that does not verify, is out of its
     *     five-minute window, or is scoped to another service or day
     */
    String authenticate(SignedRequest request);

    /**
     * An authenticator for requests signed for {@code service} (DynamoDB and DynamoDB Streams both sign
     * as {@code dynamodb}).
     *
     * @param secretKeysByAccessKeyId the configured credentials; when empty, any well-formed signature is
     *     accepted without verifying it (local development, what DynamoDB Local does)
     * @param clock the time that request timestamps are checked against
     */
    static RequestAuthenticator create(Map<String, String> secretKeysByAccessKeyId, String service, Clock clock) {
        if (secretKeysByAccessKeyId.isEmpty()) {
            // Parsing alone: it throws for a missing or malformed header.
            return request -> AuthorizationHeader.parse(request).credential().accessKeyId();
        }
        return new SignatureVerifier(secretKeysByAccessKeyId, service, clock);
    }
}

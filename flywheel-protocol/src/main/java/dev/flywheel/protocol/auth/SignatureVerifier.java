package dev.flywheel.protocol.auth;

import dev.flywheel.model.DynamoDbException.InvalidSignatureException;
import dev.flywheel.model.DynamoDbException.UnrecognizedClientException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Verifies SigV4 signatures against configured credentials, in DynamoDB's order: the header is well
 * formed, the request time is within five minutes of now, Host is signed, the credential is scoped to
 * this service and day, the access key is known, and the signature matches.
 *
 * <p>Immutable and thread-safe. Session tokens ({@code X-Amz-Security-Token}) are not checked: they
 * are covered by the signature when signed, and there is no token service to validate them against.
 */
final class SignatureVerifier implements RequestAuthenticator {
    /**
     * How far a request time may be from the server's clock, either way. Most AWS services allow 5
     * minutes; DynamoDB allows 15 (its "Signature expired" messages say "- 15 min.").
     */
    private static final Duration ALLOWED_SKEW = Duration.ofMinutes(15);
    private static final String TERMINATOR = "aws4_request";

    private final Map<String, String> secretKeysByAccessKeyId;
    private final String service;
    private final Clock clock;

    SignatureVerifier(Map<String, String> secretKeysByAccessKeyId, String service, Clock clock) {
        this.secretKeysByAccessKeyId = Map.copyOf(secretKeysByAccessKeyId);
        this.service = service;
        this.clock = clock;
    }

    @Override
    public String authenticate(SignedRequest request) {
        AuthorizationHeader authorization = AuthorizationHeader.parse(request);
        checkRequestTime(authorization);
        checkHostIsSigned(authorization);
        checkScope(authorization);
        String secretKey = secretKeysByAccessKeyId.get(authorization.credential().accessKeyId());
        if (secretKey == null) {
            throw new UnrecognizedClientException("The security token included in the request is invalid.");
        }
        String expected = SignatureCalculator.signature(secretKey, authorization, request);
        if (!MessageDigest.isEqual(bytes(expected), bytes(authorization.signature()))) {
            throw new InvalidSignatureException("The request signature we calculated does not match the signature"
                    + " you provided. Check your AWS Secret Access Key and signing method. Consult the service"
                    + " documentation for details.");
        }
        return authorization.credential().accessKeyId();
    }

    private void checkRequestTime(AuthorizationHeader authorization) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant earliest = now.minus(ALLOWED_SKEW);
        Instant latest = now.plus(ALLOWED_SKEW);
        if (authorization.requestTime().isBefore(earliest)) {
            throw new InvalidSignatureException("Signature expired: " + authorization.amzDate()
                    + " is now earlier than " + AuthorizationHeader.basicFormat(earliest)
                    + " (" + AuthorizationHeader.basicFormat(now) + " - 15 min.)");
        }
        if (authorization.requestTime().isAfter(latest)) {
            throw new InvalidSignatureException("Signature not yet current: " + authorization.amzDate()
                    + " is still later than " + AuthorizationHeader.basicFormat(latest)
                    + " (" + AuthorizationHeader.basicFormat(now) + " + 15 min.)");
        }
    }

    private static void checkHostIsSigned(AuthorizationHeader authorization) {
        if (!authorization.signedHeaders().contains("host") && !authorization.signedHeaders().contains(":authority")) {
            throw new InvalidSignatureException("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
        }
    }

    /** All scope problems are reported together, each sentence as DynamoDB words it. */
    private void checkScope(AuthorizationHeader authorization) {
        CredentialScope scope = authorization.credential();
        StringBuilder problems = new StringBuilder();
        // Any region is valid: Flywheel serves whichever region the client is configured for.
        if (scope.region().isEmpty()) {
            problems.append("Credential should be scoped to a valid region, not ''. ");
        }
        if (!scope.service().equals(service)) {
            problems.append("Credential should be scoped to correct service: '").append(service).append("'. ");
        }
        if (!scope.terminator().equals(TERMINATOR)) {
            problems.append("Credential should be scoped with a valid terminator: '" + TERMINATOR + "', not '")
                    .append(scope.terminator()).append("'. ");
        }
        String day = authorization.amzDate().substring(0, 8);
        if (!scope.date().equals(day)) {
            problems.append("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '")
                    .append(scope.date()).append("' != '").append(day).append("', from '")
                    .append(authorization.amzDate()).append("'.");
        }
        if (!problems.isEmpty()) {
            throw new InvalidSignatureException(problems.toString());
        }
    }

    private static byte[] bytes(String signature) {
        return signature.getBytes(StandardCharsets.US_ASCII);
    }
}

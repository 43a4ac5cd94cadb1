package dev.flywheel.protocol.auth;

import dev.flywheel.model.DynamoDbException.IncompleteSignatureException;
import dev.flywheel.model.DynamoDbException.MissingAuthenticationTokenException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A parsed SigV4 {@code Authorization} header together with the request time it was signed for.
 *
 * <p>Parsing answers the errors of a malformed header with the exception types and messages DynamoDB
 * answers, checked in DynamoDB's order: no {@code AWS4-} header, a parameter without '=', missing
 * parameters or date (all reported in one message), a date not in ISO-8601 basic format, an unsupported
 * algorithm, a Credential without five elements.
 *
 * @param signedHeaders lower-case header names, in the order of the {@code SignedHeaders} parameter
 * @param amzDate the request time exactly as sent, e.g. {@code 20240101T000000Z}
 */
record AuthorizationHeader(
        String algorithm,
        CredentialScope credential,
        List<String> signedHeaders,
        String signature,
        String amzDate,
        Instant requestTime) {

    static final String ALGORITHM = "AWS4-HMAC-SHA256";

    /** Commas and whitespace between the header's parameters; compiled once (it was 7% of a request). */
    private static final java.util.regex.Pattern PARAMETER_SEPARATOR = java.util.regex.Pattern.compile("[,\\s]+");

    /** ISO-8601 basic format, the only one SigV4 accepts. */
    static final DateTimeFormatter BASIC_FORMAT =
            DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'", Locale.ROOT).withResolverStyle(ResolverStyle.STRICT);

    static AuthorizationHeader parse(SignedRequest request) {
        String authorization = request.header("Authorization");
        // DynamoDB treats a header that does not start with "AWS4-" (even "AWS4") as no token at all.
        if (authorization == null || !authorization.trim().startsWith("AWS4-")) {
            throw new MissingAuthenticationTokenException("Request is missing Authentication Token");
        }
        String trimmed = authorization.trim();
        int space = trimmed.indexOf(' ');
        String algorithm = space < 0 ? trimmed : trimmed.substring(0, space);
        Map<String, String> parameters = parameters(space < 0 ? "" : trimmed.substring(space + 1), authorization);

        String date = request.header("X-Amz-Date");
        if (date == null) {
            date = request.header("Date");
        }
        StringBuilder missing = new StringBuilder();
        for (String name : List.of("Credential", "Signature", "SignedHeaders")) {
            if (parameters.getOrDefault(name, "").isEmpty()) {
                missing.append("Authorization header requires '").append(name).append("' parameter. ");
            }
        }
        if (date == null) {
            missing.append("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
        }
        if (!missing.isEmpty()) {
            throw new IncompleteSignatureException(missing + "Authorization=" + authorization);
        }

        Instant requestTime = parseBasicFormat(date);
        if (!ALGORITHM.equals(algorithm)) {
            throw new IncompleteSignatureException(
                    "Unsupported AWS 'algorithm': '" + algorithm + "' (only " + ALGORITHM + " for now). ");
        }
        CredentialScope credential = CredentialScope.parse(parameters.get("Credential"));
        List<String> signedHeaders = Arrays.stream(parameters.get("SignedHeaders").split(";"))
                .map(name -> name.toLowerCase(Locale.ROOT))
                .toList();
        return new AuthorizationHeader(
                algorithm, credential, signedHeaders, parameters.get("Signature"), date, requestTime);
    }

    /** {@code instant} in ISO-8601 basic format, as AWS quotes times in its messages. */
    static String basicFormat(Instant instant) {
        return BASIC_FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    /** The {@code SignedHeaders} value as it belongs in the canonical request. */
    String signedHeadersLine() {
        return String.join(";", signedHeaders);
    }

    /**
     * Splits {@code Credential=..., SignedHeaders=..., Signature=...}. AWS separates parameters by commas
     * and by whitespace alike: a stray space inside the credential turns its tail into a parameter of its
     * own, which then lacks its '='.
     */
    private static Map<String, String> parameters(String text, String authorization) {
        Map<String, String> parameters = new HashMap<>();
        for (String parameter : PARAMETER_SEPARATOR.split(text)) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            if (equals < 0) {
                throw new IncompleteSignatureException("'" + parameter
                        + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                        + authorization + "'.");
            }
            parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
        }
        return parameters;
    }

    private static Instant parseBasicFormat(String date) {
        try {
            return LocalDateTime.parse(date, BASIC_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new IncompleteSignatureException(
                    "Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }
}

package dev.flywheel.protocol.auth;

import dev.flywheel.model.DynamoDbException.IncompleteSignatureException;
import dev.flywheel.model.DynamoDbException.MissingAuthenticationTokenException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
        Parameters parameters = Parameters.of(space < 0 ? "" : trimmed.substring(space + 1), authorization);

        String date = request.header("X-Amz-Date");
        if (date == null) {
            date = request.header("Date");
        }
        StringBuilder missing = new StringBuilder();
        if (isEmpty(parameters.credential)) missing.append("Authorization header requires 'Credential' parameter. ");
        if (isEmpty(parameters.signature)) missing.append("Authorization header requires 'Signature' parameter. ");
        if (isEmpty(parameters.signedHeaders)) missing.append("Authorization header requires 'SignedHeaders' parameter. ");
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
        CredentialScope credential = CredentialScope.parse(parameters.credential);
        return new AuthorizationHeader(
                algorithm, credential, signedHeaderNames(parameters.signedHeaders), parameters.signature, date, requestTime);
    }

    private static boolean isEmpty(String value) {
        return value == null || value.isEmpty();
    }

    /** The {@code SignedHeaders} names, lower-cased, in order ({@code ;} separates them; empty names kept). */
    private static List<String> signedHeaderNames(String value) {
        List<String> names = new ArrayList<>(8);
        int start = 0;
        while (true) {
            int semicolon = value.indexOf(';', start);
            String name = semicolon < 0 ? value.substring(start) : value.substring(start, semicolon);
            names.add(name.toLowerCase(Locale.ROOT));
            if (semicolon < 0) return names;
            start = semicolon + 1;
        }
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
     * The three parameters of {@code Credential=..., SignedHeaders=..., Signature=...} (null when absent;
     * a repeated one counts once, its last value). AWS separates parameters by commas and by whitespace
     * alike: a stray space inside the credential turns its tail into a parameter of its own, which then
     * lacks its '='. Scanned by hand, without splitting into a map: this header was once a sixth, then a
     * tenth, of a GetItem's CPU.
     */
    private static final class Parameters {
        String credential;
        String signedHeaders;
        String signature;

        static Parameters of(String text, String authorization) {
            Parameters parameters = new Parameters();
            int length = text.length();
            int i = 0;
            while (i < length) {
                while (i < length && isSeparator(text.charAt(i))) i++;
                int start = i;
                while (i < length && !isSeparator(text.charAt(i))) i++;
                if (start == i) break;
                int equals = text.indexOf('=', start);
                if (equals < 0 || equals >= i) {
                    throw new IncompleteSignatureException("'" + text.substring(start, i)
                            + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                            + authorization + "'.");
                }
                if (isName(text, start, equals, "Credential")) parameters.credential = text.substring(equals + 1, i);
                else if (isName(text, start, equals, "SignedHeaders")) parameters.signedHeaders = text.substring(equals + 1, i);
                else if (isName(text, start, equals, "Signature")) parameters.signature = text.substring(equals + 1, i);
            }
            return parameters;
        }

        private static boolean isName(String text, int start, int end, String name) {
            return end - start == name.length() && text.startsWith(name, start);
        }
    }

    /** A comma or what {@code \\s} matches in a regular expression: AWS splits parameters at either. */
    private static boolean isSeparator(char c) {
        return c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static Instant parseBasicFormat(String date) {
        try {
            // The shape every SDK sends, read directly (DateTimeFormatter took 4% of a request); anything
            // else goes through the formatter, which is the reference for what is accepted.
            if (date.length() == 16 && date.charAt(8) == 'T' && date.charAt(15) == 'Z') {
                int year = digits(date, 0, 4);
                int month = digits(date, 4, 6);
                int day = digits(date, 6, 8);
                int hour = digits(date, 9, 11);
                int minute = digits(date, 11, 13);
                int second = digits(date, 13, 15);
                if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0) {
                    return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
                }
            }
            return LocalDateTime.parse(date, BASIC_FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new IncompleteSignatureException(
                    "Date must be in ISO-8601 'basic format'. Got '" + date + "'. See http://en.wikipedia.org/wiki/ISO_8601");
        }
    }

    /** The decimal number in {@code text[from, to)}, or -1 when a character is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

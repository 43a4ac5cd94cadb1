package dev.flywheel.protocol.auth;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SigV4 canonical request (AWS General Reference, "Create a canonical request"):
 *
 * <pre>
 * method \n canonical URI \n canonical query \n canonical headers \n signed headers \n hex(SHA-256(body))
 * </pre>
 *
 * <p>For every service but S3 the path is URI-encoded twice: the client encodes the path once to send
 * it and once more to sign it, so the server encodes the path as received once more. Dot segments are
 * not normalised: DynamoDB's path is always {@code /}.
 */
final class CanonicalRequest {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private CanonicalRequest() {}

    static String of(SignedRequest request, AuthorizationHeader authorization, String bodySha256Hex) {
        StringBuilder canonical = new StringBuilder(256)
                .append(request.method()).append('\n')
                .append(canonicalUri(request.rawPath())).append('\n')
                .append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : authorization.signedHeaders()) {
            canonical.append(name).append(':').append(canonicalHeaderValue(request.headers(name))).append('\n');
        }
        return canonical.append('\n')
                .append(authorization.signedHeadersLine()).append('\n')
                .append(bodySha256Hex)
                .toString();
    }

    static String canonicalUri(String rawPath) {
        return rawPath.isEmpty() ? "/" : uriEncode(rawPath, true);
    }

    /** Parameters decoded and encoded again in SigV4's way, sorted by name, then by value. */
    static String canonicalQuery(String rawQuery) {
        if (rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> parameters = new ArrayList<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            parameters.add(new String[] {uriEncode(percentDecode(name), false), uriEncode(percentDecode(value), false)});
        }
        parameters.sort(Comparator.<String[], String>comparing(p -> p[0]).thenComparing(p -> p[1]));
        StringBuilder canonical = new StringBuilder();
        for (String[] parameter : parameters) {
            if (!canonical.isEmpty()) {
                canonical.append('&');
            }
            canonical.append(parameter[0]).append('=').append(parameter[1]);
        }
        return canonical.toString();
    }

    /** Values of a repeated header joined by commas, each trimmed, with runs of spaces collapsed to one. */
    static String canonicalHeaderValue(List<String> values) {
        StringBuilder joined = new StringBuilder();
        for (String value : values) {
            if (!joined.isEmpty()) {
                joined.append(',');
            }
            joined.append(value.trim().replaceAll(" +", " "));
        }
        return joined.toString();
    }

    /** Percent-encodes all but the unreserved characters (A-Z a-z 0-9 - _ . ~), and '/' when asked. */
    static String uriEncode(String text, boolean keepSlash) {
        StringBuilder encoded = new StringBuilder(text.length());
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xFF);
            boolean unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.' || c == '~';
            if (unreserved || (keepSlash && c == '/')) {
                encoded.append(c);
            } else {
                encoded.append('%').append(HEX[(b >> 4) & 0xF]).append(HEX[b & 0xF]);
            }
        }
        return encoded.toString();
    }

    /** Decodes %XX escapes; unlike form decoding, '+' stays '+' (SigV4 clients send a space as %20). */
    static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        int i = 0;
        while (i < text.length()) {
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (text.charAt(i) == '%' && low >= 0) {
                bytes.write(high << 4 | low);
                i += 3;
            } else {
                int codePoint = text.codePointAt(i);
                bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(codePoint);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}

package dev.flywheel.protocol.auth;

import java.util.List;

/**
 * What SigV4 needs to know about an HTTP request, independent of the HTTP library that received it.
 *
 * <p>Implementations are read-only views; they are used by one thread at a time.
 */
public interface SignedRequest {

    /** The HTTP method, e.g. {@code POST}. */
    String method();

    /** The path of the request target as it was sent, still percent-encoded, e.g. {@code /}. */
    String rawPath();

    /** The query string as it was sent, without the {@code ?}; empty when there is none. */
    String rawQuery();

    /** Every value of the header {@code name} (matched case-insensitively) in the order received; empty if absent. */
    List<String> headers(String name);

    /** The complete request body; an empty array when there is none. Not copied: callers must not modify it. */
    byte[] body();

    /** The first value of the header {@code name}, or null if it is absent. */
    default String header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? null : values.get(0);
    }
}

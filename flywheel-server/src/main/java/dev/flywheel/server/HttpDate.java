package dev.flywheel.server;

import io.netty.handler.codec.DateFormatter;
import java.util.Date;

/**
 * The {@code Date} header DynamoDB sends on every response: SDKs read it to correct their clock when
 * a signature is refused as expired. Formatted once per second, not once per response.
 */
final class HttpDate {
    private record Formatted(long second, String text) {}

    private static volatile Formatted current = new Formatted(-1, "");

    private HttpDate() {}

    static String now() {
        long millis = System.currentTimeMillis();
        long second = millis / 1000;
        Formatted f = current;
        if (f.second() != second) {
            f = new Formatted(second, DateFormatter.format(new Date(second * 1000)));
            current = f;
        }
        return f.text();
    }
}

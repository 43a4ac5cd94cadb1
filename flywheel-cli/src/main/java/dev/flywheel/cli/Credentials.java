package dev.flywheel.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Access keys the server accepts, as {@code ACCESS_KEY_ID:SECRET_ACCESS_KEY} entries: one per line
 * in a file ({@code #} starts a comment), or comma-separated in the environment variable
 * {@value #ENVIRONMENT_VARIABLE}.
 */
final class Credentials {
    static final String ENVIRONMENT_VARIABLE = "FLYWHEEL_CREDENTIALS";

    private Credentials() {}

    static Map<String, String> load(Path file, String environment) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        if (file != null) {
            int n = 0;
            for (String line : Files.readAllLines(file)) {
                n++;
                String entry = line.strip();
                if (entry.isEmpty() || entry.startsWith("#")) continue;
                add(keys, entry, file + ":" + n);
            }
        }
        if (environment != null) {
            for (String entry : environment.split(",")) {
                if (!entry.isBlank()) add(keys, entry.strip(), ENVIRONMENT_VARIABLE);
            }
        }
        return keys;
    }

    private static void add(Map<String, String> keys, String entry, String where) {
        int colon = entry.indexOf(':');
        if (colon <= 0 || colon == entry.length() - 1) {
            throw new IllegalArgumentException(where + ": expected ACCESS_KEY_ID:SECRET_ACCESS_KEY");
        }
        keys.put(entry.substring(0, colon), entry.substring(colon + 1));
    }
}

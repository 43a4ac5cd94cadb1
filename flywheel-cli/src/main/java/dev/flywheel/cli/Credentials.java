package dev.flywheel.cli;

import dev.flywheel.server.access.Principal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The access keys the server accepts: a file in the AWS shared-credentials format (what
 * {@code ~/.aws/credentials} holds; each profile's key pair is a principal named by the profile), and
 * the environment variable {@value #ENVIRONMENT_VARIABLE} as {@code ID:SECRET,...} for containers
 * (each principal named by its key id).
 *
 * <pre>
 * [reader]
 * aws_access_key_id = AKIDREADER
 * aws_secret_access_key = ...
 * </pre>
 */
record Credentials(List<Credential> keys) {
    static final String ENVIRONMENT_VARIABLE = "FLYWHEEL_CREDENTIALS";

    /** One principal's key pair; the secret never reaches a log (see {@link #toString}). */
    record Credential(String name, String accessKeyId, String secretAccessKey) {
        @Override
        public String toString() {
            return "Credential[" + name + ", " + accessKeyId + "]";
        }
    }

    static Credentials load(Path file, String environment) throws IOException {
        List<Credential> keys = new ArrayList<>();
        if (file != null) keys.addAll(parseIni(Files.readAllLines(file), file.toString()));
        if (environment != null) {
            for (String raw : environment.split(",")) {
                String entry = raw.strip();
                if (entry.isEmpty()) continue;
                int colon = entry.indexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    throw new IllegalArgumentException(ENVIRONMENT_VARIABLE + ": expected ACCESS_KEY_ID:SECRET_ACCESS_KEY,...");
                }
                String id = entry.substring(0, colon);
                keys.add(new Credential(id, id, entry.substring(colon + 1)));
            }
        }
        Map<String, String> seen = new LinkedHashMap<>();
        for (Credential c : keys) {
            if (seen.put(c.accessKeyId(), c.name()) != null) {
                throw new IllegalArgumentException("access key id " + c.accessKeyId() + " is configured twice");
            }
        }
        return new Credentials(List.copyOf(keys));
    }

    private static List<Credential> parseIni(List<String> lines, String where) {
        Map<String, Map<String, String>> profiles = new LinkedHashMap<>();
        Map<String, String> current = null;
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (line.startsWith("[") && line.endsWith("]")) {
                String name = line.substring(1, line.length() - 1).strip();
                if (name.isEmpty()) throw new IllegalArgumentException(where + ":" + n + ": a profile needs a name");
                current = profiles.computeIfAbsent(name, k -> new LinkedHashMap<>());
                continue;
            }
            int equals = line.indexOf('=');
            if (current == null || equals <= 0) {
                throw new IllegalArgumentException(where + ":" + n
                        + ": expected a [profile] header or key = value (the AWS shared-credentials format)");
            }
            current.put(line.substring(0, equals).strip().toLowerCase(Locale.ROOT), line.substring(equals + 1).strip());
        }
        List<Credential> keys = new ArrayList<>();
        profiles.forEach((name, settings) -> {
            String id = settings.get("aws_access_key_id");
            String secret = settings.get("aws_secret_access_key");
            if (id == null || id.isEmpty() || secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException(where + ": profile [" + name
                        + "] needs aws_access_key_id and aws_secret_access_key");
            }
            keys.add(new Credential(name, id, secret));
        });
        return keys;
    }

    boolean isEmpty() {
        return keys.isEmpty();
    }

    Map<String, String> secretsByAccessKeyId() {
        Map<String, String> secrets = new LinkedHashMap<>();
        keys.forEach(k -> secrets.put(k.accessKeyId(), k.secretAccessKey()));
        return secrets;
    }

    List<Principal> principals() {
        return keys.stream().map(k -> new Principal(k.accessKeyId(), k.name())).toList();
    }
}

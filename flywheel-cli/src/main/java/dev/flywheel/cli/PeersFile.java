package dev.flywheel.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code serve --peers-file}: this server's region and its peer regions for global tables, in one file
 * instead of {@code --region}, repeated {@code --peer} and {@code --peer-credentials}. One
 * {@code KEY = VALUE} a line; {@code #} starts a comment line:
 *
 * <pre>
 * region = us-east-1                            # optional: this server's region
 * peer.us-west-2 = http://127.0.0.2:8000        # a peer region and its URL (one line each)
 * credentials = peer-credentials                # optional: a credentials file signing calls to peers
 * peer.us-west-2.credentials = west-credentials # optional: one peer's own
 * </pre>
 *
 * Credentials files are AWS shared-credentials files (their first profile signs), named relative to
 * this file's folder. Every mistake is reported with the file, the line and the key.
 *
 * @param region this server's region, or null when the file does not say
 * @param peers each peer by region, in the file's order
 * @param credentials the credentials file for peers without their own, or null
 */
record PeersFile(String region, Map<String, Peer> peers, Path credentials) {
    private static final Pattern REGION = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final String KEYS = "region, credentials, peer.REGION or peer.REGION.credentials";

    /** @param credentials this peer's own credentials file, or null */
    record Peer(String region, URI url, Path credentials) {}

    PeersFile {
        peers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(peers));
    }

    static PeersFile load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException(file + ": no such file (--peers-file)");
        return parse(Files.readAllLines(file), file);
    }

    /** Reads {@code lines} as the content of {@code file} (which names them in errors, and anchors relative paths). */
    static PeersFile parse(List<String> lines, Path file) {
        Path folder = file.toAbsolutePath().getParent();
        Map<String, Integer> seen = new HashMap<>();
        String region = null;
        Path credentials = null;
        Map<String, URI> urls = new LinkedHashMap<>();
        Map<String, Path> ownCredentials = new LinkedHashMap<>();
        Map<String, Integer> credentialsLine = new HashMap<>();
        for (int n = 1; n <= lines.size(); n++) {
            String line = lines.get(n - 1).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String where = file + ":" + n + ": ";
            int equals = line.indexOf('=');
            if (equals < 0) throw new IllegalArgumentException(where + "expected KEY = VALUE, with KEY one of " + KEYS);
            String key = line.substring(0, equals).strip();
            String value = line.substring(equals + 1).strip();
            if (key.isEmpty()) throw new IllegalArgumentException(where + "a line needs a key before '='");
            if (value.isEmpty()) throw new IllegalArgumentException(where + key + " has no value");
            Integer first = seen.putIfAbsent(key, n);
            if (first != null) throw new IllegalArgumentException(where + key + " is given again (first on line " + first + ")");
            if (key.equals("region")) {
                region = regionName(value, where + "region: ");
            } else if (key.equals("credentials")) {
                credentials = existing(folder.resolve(value), where + "credentials: ");
            } else if (key.startsWith("peer.") && key.endsWith(".credentials")) {
                String peer = regionName(key.substring("peer.".length(), key.length() - ".credentials".length()),
                        where + key + ": ");
                ownCredentials.put(peer, existing(folder.resolve(value), where + key + ": "));
                credentialsLine.put(peer, n);
            } else if (key.startsWith("peer.")) {
                String peer = regionName(key.substring("peer.".length()), where + key + ": ");
                urls.put(peer, url(value, where + key + ": "));
            } else {
                throw new IllegalArgumentException(where + "unknown key '" + key + "' (expected " + KEYS + ")");
            }
        }
        for (Map.Entry<String, Integer> e : credentialsLine.entrySet()) {
            if (!urls.containsKey(e.getKey())) {
                throw new IllegalArgumentException(file + ":" + e.getValue() + ": peer." + e.getKey()
                        + ".credentials names no peer (there is no peer." + e.getKey() + " line)");
            }
        }
        if (urls.isEmpty()) throw new IllegalArgumentException(file + ": names no peer (peer.REGION = URL)");
        if (region != null && urls.containsKey(region)) {
            throw new IllegalArgumentException(file + ":" + seen.get("peer." + region) + ": peer." + region
                    + " is this server's own region");
        }
        Map<String, Peer> peers = new LinkedHashMap<>();
        urls.forEach((peer, url) -> peers.put(peer, new Peer(peer, url, ownCredentials.get(peer))));
        return new PeersFile(region, peers, credentials);
    }

    private static String regionName(String value, String where) {
        if (!REGION.matcher(value).matches()) {
            throw new IllegalArgumentException(where + "'" + value + "' is not a region name (such as us-west-2)");
        }
        return value;
    }

    /** A peer's URL: http or https, with a host; a path is not allowed (peers are called at their root). */
    static URI url(String value, String where) {
        try {
            URI url = new URI(value);
            boolean web = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
            boolean root = url.getRawPath() == null || url.getRawPath().isEmpty() || url.getRawPath().equals("/");
            if (web && url.getHost() != null && root && url.getRawQuery() == null && url.getRawFragment() == null) {
                return url;
            }
        } catch (URISyntaxException malformed) {
            // reported below
        }
        throw new IllegalArgumentException(where + "'" + value + "' is not a URL such as http://127.0.0.2:8000");
    }

    private static Path existing(Path path, String where) {
        if (!Files.isRegularFile(path)) throw new IllegalArgumentException(where + "no such file " + path);
        return path;
    }
}

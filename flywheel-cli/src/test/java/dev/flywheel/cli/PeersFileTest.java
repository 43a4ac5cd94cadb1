package dev.flywheel.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --peers-file}: what it reads, and how each mistake is reported (file, line, key). */
class PeersFileTest {
    @TempDir
    Path dir;

    private PeersFile parse(String... lines) {
        return PeersFile.parse(List.of(lines), dir.resolve("peers"));
    }

    private void refused(String message, String... lines) {
        assertThatThrownBy(() -> parse(lines)).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void readsRegionPeersAndCredentialsRelativeToItsFolder() throws IOException {
        Files.writeString(dir.resolve("peer-credentials"), "[peer]\naws_access_key_id = A\naws_secret_access_key = S\n");
        Files.writeString(dir.resolve("west"), "[west]\naws_access_key_id = W\naws_secret_access_key = S\n");
        PeersFile file = parse(
                "# the regions of global tables",
                "region = us-east-1",
                "",
                "peer.us-west-2 = http://127.0.0.2:8000",
                "  peer.eu-west-1=https://eu.example.com  ",
                "credentials = peer-credentials",
                "peer.us-west-2.credentials = west");
        assertThat(file.region()).isEqualTo("us-east-1");
        assertThat(file.credentials()).isEqualTo(dir.resolve("peer-credentials"));
        assertThat(file.peers().values()).containsExactly(
                new PeersFile.Peer("us-west-2", URI.create("http://127.0.0.2:8000"), dir.resolve("west")),
                new PeersFile.Peer("eu-west-1", URI.create("https://eu.example.com"), null));
    }

    @Test
    void theRegionAndCredentialsAreOptional() {
        PeersFile file = parse("peer.us-west-2 = http://127.0.0.2:8000");
        assertThat(file.region()).isNull();
        assertThat(file.credentials()).isNull();
        assertThat(file.peers()).containsOnlyKeys("us-west-2");
    }

    @Test
    void eachMistakeNamesTheLineAndTheKey() {
        String at = dir.resolve("peers") + ":";
        refused(at + "2: expected KEY = VALUE, with KEY one of region, credentials, peer.REGION or peer.REGION.credentials",
                "peer.us-west-2 = http://127.0.0.2:8000", "us-east-1");
        refused(at + "1: unknown key 'per.us-west-2' (expected region, credentials, peer.REGION or peer.REGION.credentials)",
                "per.us-west-2 = http://127.0.0.2:8000");
        refused(at + "1: peer.us-west-2 has no value", "peer.us-west-2 =");
        refused(at + "1: a line needs a key before '='", "= http://127.0.0.2:8000");
        refused(at + "3: peer.us-west-2 is given again (first on line 1)",
                "peer.us-west-2 = http://127.0.0.2:8000", "peer.eu-west-1 = http://127.0.0.3:8000",
                "peer.us-west-2 = http://127.0.0.4:8000");
        refused(at + "1: peer.us-west-2: '127.0.0.2:8000' is not a URL such as http://127.0.0.2:8000",
                "peer.us-west-2 = 127.0.0.2:8000");
        refused(at + "1: peer.us-west-2: 'ftp://127.0.0.2' is not a URL such as http://127.0.0.2:8000",
                "peer.us-west-2 = ftp://127.0.0.2");
        refused(at + "1: peer.US_WEST: 'US_WEST' is not a region name (such as us-west-2)",
                "peer.US_WEST = http://127.0.0.2:8000");
        refused(at + "1: region: 'east 1' is not a region name (such as us-west-2)", "region = east 1",
                "peer.us-west-2 = http://127.0.0.2:8000");
        refused(at + "2: credentials: no such file " + dir.resolve("missing"),
                "peer.us-west-2 = http://127.0.0.2:8000", "credentials = missing");
        refused(at + "2: peer.us-west-2 is this server's own region",
                "region = us-west-2", "peer.us-west-2 = http://127.0.0.2:8000");
        refused(dir.resolve("peers") + ": names no peer (peer.REGION = URL)", "# nothing", "region = us-east-1");
    }

    @Test
    void credentialsForAPeerNeedThatPeer() throws IOException {
        Files.writeString(dir.resolve("west"), "[west]\naws_access_key_id = W\naws_secret_access_key = S\n");
        refused(dir.resolve("peers") + ":2: peer.us-west-2.credentials names no peer (there is no peer.us-west-2 line)",
                "peer.eu-west-1 = http://127.0.0.3:8000", "peer.us-west-2.credentials = west");
    }

    @Test
    void aMissingFileIsReported() {
        assertThatThrownBy(() -> PeersFile.load(dir.resolve("nope"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("nope") + ": no such file (--peers-file)");
    }
}

package dev.flywheel.storage.rocksdb;

import static dev.flywheel.storage.Bytes.bytes;
import static dev.flywheel.storage.Bytes.show;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.storage.LogEntry;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage against another process: the LOCK file, and kill -9. Slow: each test starts a JVM. */
@Tag("slow")
class SeparateProcessTest {
    @TempDir
    Path dataDir;

    private Process child;
    private BufferedReader childOutput;

    @AfterEach
    void stopChild() throws InterruptedException {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor();
        }
    }

    @Test
    void anotherProcessCannotOpenAnOpenDataDirectory() throws Exception {
        start("hold");
        assertThat(childOutput.readLine()).isEqualTo("open");

        assertThatThrownBy(() -> RocksDbStorage.open(new RocksDbConfig(dataDir, false, false)))
                .isInstanceOf(StorageException.Unavailable.class)
                .hasMessageContaining("is in use by another process");

        child.getOutputStream().close(); // the child closes its storage and exits
        assertThat(childOutput.readLine()).isEqualTo("closed");
        assertThat(child.waitFor()).isZero();
        RocksDbStorage.open(new RocksDbConfig(dataDir, false, false)).close();
    }

    @Test
    void acknowledgedWritesSurviveKillMinus9() throws Exception {
        start("write");
        long acked = 0;
        while (acked < 500) {
            String line = childOutput.readLine();
            assertThat(line).as("child output").isNotNull().startsWith("acked ");
            acked = Long.parseLong(line.substring("acked ".length()));
        }
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close, no flush
        child.waitFor();

        try (Storage storage = RocksDbStorage.open(new RocksDbConfig(dataDir, false, false))) {
            for (long n = 1; n <= acked; n++) {
                assertThat(storage.get(1, bytes("pk" + n % 16), bytes("row" + n))).as("row %d", n).isEqualTo(bytes(Long.toString(n)));
            }
            List<LogEntry> log = storage.readLog("stream", 0, Integer.MAX_VALUE);
            assertThat(log.size()).isGreaterThanOrEqualTo((int) acked);
            for (int i = 0; i < acked; i++) {
                assertThat(log.get(i).sequence()).isEqualTo(i + 1);
                assertThat(show(log.get(i).payload())).isEqualTo(Long.toString(i + 1));
            }
        }
    }

    private void start(String mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                StorageProcess.class.getName(), mode, dataDir.toString())
                .redirectErrorStream(true)
                .start();
        childOutput = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    }
}

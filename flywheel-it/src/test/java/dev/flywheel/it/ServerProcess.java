package dev.flywheel.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Flywheel as a separate process, started the way users start it, on an ephemeral port it reports
 * in its startup line. Its output is kept for assertions and for failure messages.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening on (https?://[0-9.]+:[0-9]+)");
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final Process process;
    private final Thread outputReader;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final URI endpoint;

    private ServerProcess(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        process = pb.start();
        CompletableFuture<URI> started = new CompletableFuture<>();
        outputReader = Thread.ofPlatform().daemon().name("flywheel-output").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    output.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) started.complete(URI.create(m.group(1)));
                }
            } catch (IOException ignored) {
                // the process is gone
            }
            started.completeExceptionally(new IllegalStateException("Flywheel exited before listening:\n" + output()));
        });
        try {
            endpoint = started.get(3, TimeUnit.MINUTES);  // generous: ./flywheel may build first
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("Flywheel did not start: " + e.getMessage() + "\n" + output(), e);
        }
    }

    /** {@code java -jar flywheel.jar serve --port 0 --data-dir DIR ARGS...} with this JVM's java. */
    static ServerProcess jar(Path dataDir, String... args) throws IOException, InterruptedException {
        return jar(List.of(), dataDir, args);
    }

    /** As {@link #jar(Path, String...)}, with JVM options before {@code -jar} (a heap size, say). */
    static ServerProcess jar(List<String> jvmOptions, Path dataDir, String... args) throws IOException, InterruptedException {
        Path jar = REPO.resolve("flywheel-cli/target/flywheel.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "serve", "--port", "0", "--data-dir", dataDir.toString()));
        command.addAll(onTheSuitesStorage(dataDir, args));
        return new ServerProcess(command);
    }

    /**
     * {@code args}, and with {@code -Dflywheel.it.storage=cassandra} (unless they choose a storage) the
     * options that put the server on the Cassandra node at 127.0.0.1:9042, in a keyspace named after the
     * data directory, so that a restart on the same directory finds the same data; {@code --sync-writes}
     * is dropped there (the embedded storage's option; Cassandra keeps its own durability). The
     * keyspaces are dropped when this JVM exits.
     */
    static List<String> onTheSuitesStorage(Path dataDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!InProcessServer.ON_CASSANDRA || all.contains("--storage")) return all;
        all.remove("--sync-writes");
        String keyspace = "flywheel_itp_" + Integer.toHexString(dataDir.toAbsolutePath().normalize().toString().hashCode());
        all.addAll(List.of("--storage", "cassandra", "--keyspace", keyspace));
        Keyspaces.dropAtExit(keyspace);
        return all;
    }

    /** The keyspaces servers of this JVM were started on, dropped once the suites are done. */
    private static final class Keyspaces {
        private static final Set<String> created = ConcurrentHashMap.newKeySet();

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(Keyspaces::dropAll));
        }

        static void dropAtExit(String keyspace) {
            created.add(keyspace);
        }

        private static void dropAll() {
            if (created.isEmpty()) return;
            try {
                InProcessServer.dropKeyspaces(created);
            } catch (RuntimeException e) {
                System.err.println("could not drop the test keyspaces " + created + ": " + e);
            }
        }
    }

    /** {@code java -jar flywheel.jar accelerate --port 0 --target TARGET ARGS...}: the accelerator (issue 12). */
    static ServerProcess accelerate(URI target, String... args) throws IOException, InterruptedException {
        Path jar = REPO.resolve("flywheel-cli/target/flywheel.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-jar", jar.toString(), "accelerate", "--port", "0", "--target", target.toString()));
        command.addAll(List.of(args));
        return new ServerProcess(command);
    }

    /** {@code java -jar flywheel.jar serve --data-dir DIR ARGS...}: ARGS choose the address and port. */
    static ServerProcess jarWithAddress(Path dataDir, String... args) throws IOException, InterruptedException {
        Path jar = REPO.resolve("flywheel-cli/target/flywheel.jar");
        if (!Files.exists(jar)) throw new IllegalStateException("build the jar first: " + jar);
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "serve", "--data-dir", dataDir.toString()));
        command.addAll(onTheSuitesStorage(dataDir, args));
        return new ServerProcess(command);
    }

    /**
     * The README's start command: {@code ./flywheel serve ARGS...}, on the suite's storage as
     * {@link #jar} is (the keyspace named after the {@code --data-dir} in ARGS).
     */
    static ServerProcess readmeCommand(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(REPO.resolve("flywheel").toString(), "serve"));
        List<String> given = List.of(args);
        int dataDir = given.indexOf("--data-dir");
        if (dataDir < 0 || dataDir + 1 >= args.length) throw new IllegalArgumentException("no --data-dir DIR in " + given);
        command.addAll(onTheSuitesStorage(Path.of(args[dataDir + 1]), args));
        return new ServerProcess(command);
    }

    URI endpoint() { return endpoint; }

    boolean isAlive() { return process.isAlive(); }

    String output() { return String.join("\n", output); }

    /** SIGKILL: the process gets no chance to flush or clean up. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /**
     * SIGTERM, then waits for the process to exit; returns the exit code, which is 143 (128 + SIGTERM)
     * after a clean shutdown, as for any JVM stopped by that signal once its shutdown hooks finished.
     */
    int stop() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its output, losing what
        // it prints while shutting down.
        process.toHandle().destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("Flywheel did not stop on SIGTERM:\n" + output());
        }
        outputReader.join();  // everything it printed is in output() now
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }
}

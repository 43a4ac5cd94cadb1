package dev.flywheel.cli;

import dev.flywheel.accelerator.Accelerator;
import dev.flywheel.accelerator.AcceleratorConfig;
import dev.flywheel.client.Target;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.MetricsEndpoint;
import dev.flywheel.server.ServerConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * {@code flywheel accelerate}: the accelerator, a DynamoDB API endpoint caching in front of another
 * one (Flywheel, DynamoDB Local, DynamoDB), until SIGTERM or SIGINT.
 */
@Command(name = "accelerate", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Serve the DynamoDB API as a cache in front of another DynamoDB endpoint (as DAX does).")
final class AccelerateCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("flywheel");

    /** What the target's credentials are read from when no file is given. */
    static final String TARGET_ENVIRONMENT_VARIABLE = "FLYWHEEL_TARGET_CREDENTIALS";

    @Option(names = "--target", required = true,
            description = "The DynamoDB endpoint to cache in front of, e.g. http://127.0.0.1:8000.")
    URI target;

    @Option(names = "--streams-target",
            description = "Its DynamoDB Streams endpoint, when not the same (DynamoDB: https://streams.dynamodb.REGION.amazonaws.com).")
    URI streamsTarget;

    @Option(names = "--port", defaultValue = "8111", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}. Any other than loopback needs credentials"
                    + " or --allow-unauthenticated.")
    String bind;

    @Option(names = "--ttl", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long cached items and queries are served (e.g. 300s, 5m, 1h). Default: ${DEFAULT-VALUE}.")
    Duration ttl;

    @Option(names = "--max-bytes", defaultValue = "256m", converter = ByteSizeConverter.class,
            description = "Memory for cached entries (e.g. 64m, 2g); the least valuable are evicted beyond it."
                    + " Default: ${DEFAULT-VALUE}.")
    long maxBytes;

    @Option(names = "--target-credentials",
            description = "AWS shared-credentials file whose key signs the requests sent to the target (with"
                    + " --target-profile). Also: " + TARGET_ENVIRONMENT_VARIABLE + "=ID:SECRET, or AWS_ACCESS_KEY_ID"
                    + " and AWS_SECRET_ACCESS_KEY. Default: a local key any local server accepts.")
    Path targetCredentials;

    @Option(names = "--target-profile", defaultValue = "default", description = "Profile of --target-credentials. Default: ${DEFAULT-VALUE}.")
    String targetProfile;

    @Option(names = "--target-region", defaultValue = "us-east-1", description = "Region the target's requests are signed for. Default: ${DEFAULT-VALUE}.")
    String targetRegion;

    @Option(names = "--credentials",
            description = "AWS shared-credentials file of the accelerator's own clients; their signatures are then verified."
                    + " Also: " + Credentials.ENVIRONMENT_VARIABLE + "=ID:SECRET,...")
    Path credentialsFile;

    @Option(names = "--allow-unauthenticated", description = "Accept any signature even when listening on a non-loopback address.")
    boolean allowUnauthenticated;

    @Option(names = "--metrics-port", description = "Serve Prometheus metrics on GET /metrics at this port (of --bind).")
    Integer metricsPort;

    @Option(names = "--enable-streams",
            description = "Turn on a KEYS_ONLY stream on target tables that have none, so that writes bypassing the"
                    + " accelerator are seen there too (it changes those tables; a stream is billed on DynamoDB).")
    boolean enableStreams;

    @Option(names = "--no-streams", description = "Do not follow the target's streams: entries then live until their TTL, as in DAX.")
    boolean noStreams;

    @Override
    public Integer call() throws Exception {
        Credentials clients = Credentials.load(credentialsFile, System.getenv(Credentials.ENVIRONMENT_VARIABLE));
        InetAddress address = InetAddress.getByName(bind);
        if (!address.isLoopbackAddress() && clients.isEmpty() && !allowUnauthenticated) {
            System.err.println("flywheel: refusing to listen on " + bind + " without credentials: anyone could reach"
                    + " the data. Configure --credentials (or " + Credentials.ENVIRONMENT_VARIABLE
                    + "), or pass --allow-unauthenticated.");
            return 2;
        }
        RequestSigner signer = targetSigner();
        if (signer == null) {
            System.err.println("flywheel: no key for profile " + targetProfile + " in " + targetCredentials);
            return 2;
        }
        Target to = Target.of(target, signer).withStreamsEndpoint(streamsTarget == null ? target : streamsTarget);
        PrometheusMeterRegistry registry = MetricsEndpoint.newRegistry();
        if (enableStreams && noStreams) {
            System.err.println("flywheel: --enable-streams and --no-streams contradict each other");
            return 2;
        }
        AcceleratorConfig config = AcceleratorConfig.defaults().withTtl(ttl).withMaxBytes(maxBytes).withEnableStreams(enableStreams);
        Accelerator accelerator = noStreams
                ? new Accelerator(new dev.flywheel.client.RemoteDynamoDb(to), null, config, registry,
                        com.github.benmanes.caffeine.cache.Ticker.systemTicker(), java.time.Clock.systemUTC())
                : Accelerator.of(to, config, registry);
        ServerConfig serverConfig = ServerConfig.defaults().withBindAddress(address).withPort(port)
                .withCredentials(clients.secretsByAccessKeyId()).withAllowUnauthenticated(allowUnauthenticated);
        FlywheelServer server = new FlywheelServer(serverConfig, accelerator.api(), null, registry);
        InetSocketAddress bound;
        MetricsEndpoint metrics;
        try {
            bound = server.start();
            metrics = metricsPort == null ? null : MetricsEndpoint.start(registry, new InetSocketAddress(address, metricsPort));
        } catch (Exception e) {
            server.close();
            accelerator.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("Flywheel accelerator stopping");
            try {
                server.close();
                if (metrics != null) metrics.close();
            } finally {
                accelerator.close();
                stopped.countDown();
            }
        }, "flywheel-shutdown"));
        log.info("Flywheel {} accelerator listening on http://{}:{} in front of {} (TTL {}, {} bytes, streams: {},"
                        + " authentication: {}{})",
                Version.current(), bound.getAddress().getHostAddress(), bound.getPort(), target, ttl, maxBytes,
                noStreams ? "not followed, entries live until their TTL"
                        : enableStreams ? "followed, turned on where tables have none" : "followed where tables have one",
                clients.isEmpty() ? "any signature accepted" : clients.keys().size() + " access key(s), signatures verified",
                metrics == null ? "" : ", metrics on http://" + bound.getAddress().getHostAddress() + ":"
                        + metrics.address().getPort() + "/metrics");
        stopped.await();
        return 0;
    }

    /** The target's key: the file's profile, else the environment, else a local one. */
    private RequestSigner targetSigner() throws java.io.IOException {
        if (targetCredentials != null) {
            Credentials file = Credentials.load(targetCredentials, null);
            return file.keys().stream().filter(k -> k.name().equals(targetProfile)).findFirst()
                    .map(k -> new RequestSigner(k.accessKeyId(), k.secretAccessKey(), targetRegion, "dynamodb"))
                    .orElse(null);
        }
        Credentials environment = Credentials.load(null, System.getenv(TARGET_ENVIRONMENT_VARIABLE));
        if (!environment.isEmpty()) {
            Credentials.Credential key = environment.keys().get(0);
            return new RequestSigner(key.accessKeyId(), key.secretAccessKey(), targetRegion, "dynamodb");
        }
        String id = System.getenv("AWS_ACCESS_KEY_ID");
        String secret = System.getenv("AWS_SECRET_ACCESS_KEY");
        if (id != null && secret != null) {
            return new RequestSigner(id, secret, targetRegion, "dynamodb");
        }
        // Letters and digits only: DynamoDB Local refuses any other access key id.
        return new RequestSigner("flywheelaccelerator", "flywheelaccelerator", targetRegion, "dynamodb");
    }

    /** {@code 300}, {@code 300s}, {@code 500ms}, {@code 5m}, {@code 1h}, or ISO-8601 ({@code PT5M}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.startsWith("pt")) return Duration.parse(value);
            if (v.endsWith("ms")) return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            if (v.endsWith("s")) return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            if (v.endsWith("m")) return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            if (v.endsWith("h")) return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            return Duration.ofSeconds(Long.parseLong(v));
        }
    }

    /** {@code 1048576}, {@code 512k}, {@code 64m}, {@code 2g}. */
    static final class ByteSizeConverter implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.endsWith("b")) v = v.substring(0, v.length() - 1);
            long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            return Long.parseLong(unit == 1 ? v : v.substring(0, v.length() - 1)) * unit;
        }
    }
}

package dev.flywheel.cli;

import dev.flywheel.client.RemoteReplication;
import dev.flywheel.client.Target;
import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.Keyring;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.protocol.auth.RequestSigner;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.MetricsEndpoint;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.server.TlsCertificate;
import dev.flywheel.server.access.AccessControl;
import dev.flywheel.server.access.AccessPolicies;
import dev.flywheel.storage.Storage;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code flywheel serve}: opens the storage, starts the engine and the HTTP server, and runs until
 * SIGTERM or SIGINT, then stops accepting, finishes in-flight requests and closes the storage.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Serve the DynamoDB API on the embedded storage or on a Cassandra cluster.")
final class ServeCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger("flywheel");

    @Option(names = "--port", defaultValue = "8000", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1",
            description = "Address to listen on. Default: ${DEFAULT-VALUE}. Any other than loopback needs credentials"
                    + " or --allow-unauthenticated.")
    String bind;

    @Option(names = "--data-dir", defaultValue = "data", description = "Where data is kept. Default: ./${DEFAULT-VALUE}.")
    Path dataDir;

    @Option(names = "--in-memory", description = "Keep data in memory only: it is lost when the server stops.")
    boolean inMemory;

    @Option(names = "--sync-writes",
            description = "Acknowledge a write only once it is on disk (fsync, with group commit), so it survives"
                    + " power loss. Without it, acknowledged writes survive a crash of the process (kill -9).")
    boolean syncWrites;

    @Option(names = "--credentials",
            description = "AWS shared-credentials file (profiles with aws_access_key_id and aws_secret_access_key);"
                    + " signatures are then verified, and each profile is a principal. Also: "
                    + Credentials.ENVIRONMENT_VARIABLE + "=ID:SECRET,...")
    Path credentialsFile;

    @Option(names = "--policy",
            description = "JSON file attaching IAM policy documents to principals (by profile or access key id);"
                    + " calls they do not allow are denied. Needs --credentials.")
    Path policyFile;

    @Option(names = "--tls-cert", description = "PEM certificate chain: serve HTTPS (with --tls-key).")
    Path tlsCertificate;

    @Option(names = "--tls-key", description = "PEM private key of --tls-cert.")
    Path tlsKey;

    @Option(names = "--tls-self-signed",
            description = "Serve HTTPS with a self-signed certificate for localhost, kept in the data directory"
                    + " (tls/" + SelfSignedCertificate.CERTIFICATE_FILE + ") for clients to trust.")
    boolean tlsSelfSigned;

    @Option(names = "--master-key-file",
            description = "File holding the master key that seals the keys of the encrypted data (base64; created,"
                    + " mode 0600, for new data). Also: " + MasterKeySource.ENVIRONMENT_VARIABLE + ". Default:"
                    + " <data-dir>/" + MasterKeySource.DEFAULT_FILE + ".")
    Path masterKeyFile;

    @Option(names = "--allow-unauthenticated",
            description = "Accept any signature even when listening on a non-loopback address.")
    boolean allowUnauthenticated;

    // For recovery tests: index changes are logged with every write but never applied, as if the server
    // always crashed first. Hidden: no one else has a use for it.
    @Option(names = "--no-index-maintenance", hidden = true)
    boolean noIndexMaintenance;

    @Mixin
    StorageOptions storageOptions = new StorageOptions();

    @Option(names = "--ttl-interval-seconds", defaultValue = "60",
            description = "Seconds between two searches for expired items of tables with time to live (DynamoDB takes"
                    + " up to a few days). Default: ${DEFAULT-VALUE}.")
    long timeToLiveIntervalSeconds;

    @Option(names = "--accelerator-port",
            description = "Also serve the accelerator (a DynamoDB API cache, as `flywheel accelerate`) in front of this"
                    + " server's engine on this port.")
    Integer acceleratorPort;

    @Option(names = "--metrics-port",
            description = "Serve Prometheus metrics on GET /metrics at this port (of --bind): requests by operation and"
                    + " outcome, the JVM, and the accelerator's caches with --accelerator-port.")
    Integer metricsPort;

    @Option(names = "--region", defaultValue = "us-east-1",
            description = "Region named in ARNs, and this server's region in global tables. Default: ${DEFAULT-VALUE}.")
    String region;

    @Option(names = "--peer", paramLabel = "REGION=URL",
            description = "Another Flywheel region that global tables may replicate to (UpdateTable ReplicaUpdates),"
                    + " e.g. us-west-2=http://127.0.0.2:8000. Repeatable.")
    java.util.List<String> peerOptions = new java.util.ArrayList<>();

    @Option(names = "--peer-credentials",
            description = "AWS shared-credentials file whose first profile signs calls to peers (which verify it with"
                    + " their own --credentials). Default: the first profile of --credentials, else any key (for peers"
                    + " that accept any signature).")
    Path peerCredentialsFile;

    @Option(names = "--peers-file", paramLabel = "FILE",
            description = "File of KEY = VALUE lines giving the peers as --peer and --peer-credentials do:"
                    + " peer.REGION = URL (one a line), credentials = FILE, peer.REGION.credentials = FILE, and"
                    + " optionally region = this server's region (see README, Global tables).")
    Path peersFile;

    @Spec
    CommandSpec spec;

    // The account named in ARNs; one server is one account.
    static final String ACCOUNT_ID = "000000000000";

    @Override
    public Integer call() throws Exception {
        Running running = start();
        if (running == null) return 2;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } finally {
                stopped.countDown();
            }
        }, "flywheel-shutdown"));
        stopped.await();
        return 0;
    }

    /** A started server; {@link #close} stops it as SIGTERM does. */
    static final class Running implements AutoCloseable {
        private final InetSocketAddress address;
        private final Storage storage;
        private final FlywheelEngine engine;
        private final FlywheelServer server;
        private final InProcessAccelerator accelerator;
        private final MetricsEndpoint metrics;

        private Running(InetSocketAddress address, Storage storage, FlywheelEngine engine, FlywheelServer server,
                        InProcessAccelerator accelerator, MetricsEndpoint metrics) {
            this.address = address;
            this.storage = storage;
            this.engine = engine;
            this.server = server;
            this.accelerator = accelerator;
            this.metrics = metrics;
        }

        /** Where the DynamoDB API is served. */
        InetSocketAddress address() {
            return address;
        }

        /** Stops accepting, finishes in-flight requests, then closes the engine and the storage. */
        @Override
        public void close() {
            log.info("Flywheel stopping: finishing in-flight requests");
            try {
                if (accelerator != null) accelerator.close();
                if (metrics != null) metrics.close();
                server.close();
            } finally {
                // The engine's background work (index maintenance) stops before the storage closes under it.
                try {
                    engine.close();
                } finally {
                    storage.close();
                    log.info("Flywheel stopped");
                }
            }
        }
    }

    /**
     * Starts what the options say: storage, engine, server (and accelerator, metrics).
     *
     * @return the running server, or null when the options are wrong (said on stderr)
     */
    Running start() throws Exception {
        Credentials credentials = Credentials.load(credentialsFile, System.getenv(Credentials.ENVIRONMENT_VARIABLE));
        java.util.Map<String, ReplicationApi> peers;
        try {
            PeersFile file = peersFile == null ? null : PeersFile.load(peersFile);
            region = regionOf(file);
            peers = peers(file, credentials);
        } catch (IllegalArgumentException e) {
            System.err.println("flywheel: " + e.getMessage());
            return null;
        }
        InetAddress address = InetAddress.getByName(bind);
        if (!address.isLoopbackAddress() && credentials.isEmpty() && !allowUnauthenticated) {
            System.err.println("flywheel: refusing to listen on " + bind + " without credentials: anyone could reach"
                    + " the data. Configure --credentials (or " + Credentials.ENVIRONMENT_VARIABLE
                    + "), or pass --allow-unauthenticated.");
            return null;
        }
        if (policyFile != null && credentials.isEmpty()) {
            System.err.println("flywheel: --policy needs --credentials: policies are attached to verified principals.");
            return null;
        }
        if ((tlsCertificate == null) != (tlsKey == null) || (tlsSelfSigned && tlsCertificate != null)) {
            System.err.println("flywheel: give --tls-cert with --tls-key, or --tls-self-signed alone.");
            return null;
        }
        if (storageOptions.isCassandra() && (inMemory || syncWrites)) {
            System.err.println("flywheel: --in-memory and --sync-writes are for the embedded storage; Cassandra keeps"
                    + " its own durability (commit log, replicas).");
            return null;
        }
        warnIfLoose(credentialsFile);
        warnIfLoose(tlsKey);
        AccessPolicies policies = policyFile == null ? null : AccessPolicies.load(policyFile);
        Path absoluteDataDir = inMemory ? null : dataDir.toAbsolutePath().normalize();
        TlsCertificate tls = tlsCertificate != null ? new TlsCertificate(tlsCertificate, tlsKey)
                : tlsSelfSigned ? SelfSignedCertificate.in(selfSignedDirectory(absoluteDataDir), address) : null;
        Storage storage = storageOptions.open(absoluteDataDir, inMemory, syncWrites);
        Encryption encryption;
        try {
            encryption = Encryption.open(storage,
                    MasterKeySource.resolve(masterKeyFile, absoluteDataDir, Keyring.exists(storage)), region, ACCOUNT_ID);
        } catch (MasterKeySource.MissingMasterKeyException | Keyring.WrongMasterKeyException e) {
            storage.close();
            System.err.println("flywheel: " + e.getMessage());
            return null;
        } catch (RuntimeException | java.io.IOException e) {
            storage.close();
            throw e;
        }
        FlywheelEngine engine = null;
        FlywheelServer server = null;
        InProcessAccelerator accelerator = null;
        MetricsEndpoint metrics = null;
        InetSocketAddress bound;
        try {
            ServerConfig serverConfig = ServerConfig.defaults()
                    .withBindAddress(address).withPort(port).withCredentials(credentials.secretsByAccessKeyId())
                    .withAllowUnauthenticated(allowUnauthenticated).withRegion(region).withTls(tls);
            EngineConfig engineConfig = new EngineConfig(region, ACCOUNT_ID, bind + ":" + port, Clock.systemUTC())
                    .withTimeToLiveInterval(Duration.ofSeconds(Math.max(1, timeToLiveIntervalSeconds)))
                    .withPeers(peers);
            engine = new FlywheelEngine(encryption, noIndexMaintenance ? engineConfig.withoutIndexMaintenance() : engineConfig);
            AccessControl accessControl = policies == null ? null
                    : new AccessControl(credentials.principals(), policies, region, ACCOUNT_ID, engine::partitionKeyName);
            PrometheusMeterRegistry registry = metricsPort == null ? null : MetricsEndpoint.newRegistry();
            server = new FlywheelServer(serverConfig, engine, accessControl, registry);
            bound = server.start();
            accelerator = acceleratorPort == null ? null
                    : new InProcessAccelerator(engine, serverConfig, accessControl, acceleratorPort, registry);
            metrics = registry == null ? null : MetricsEndpoint.start(registry, new InetSocketAddress(address, metricsPort));
        } catch (Exception e) {
            if (accelerator != null) accelerator.close();
            if (server != null) server.close();
            if (engine != null) engine.close();
            storage.close();
            throw e;
        }
        if (tlsSelfSigned) log.info("Self-signed TLS certificate (trust it in clients): {}", tls.certificateChain());
        log.info("Flywheel {} listening on {}://{}:{} (data: {}, authentication: {}{}{})",
                Version.current(), tls == null ? "http" : "https", bound.getAddress().getHostAddress(), bound.getPort(),
                storageOptions.describe(absoluteDataDir, inMemory, syncWrites),
                credentials.isEmpty() ? "any signature accepted" : credentials.keys().size() + " access key(s), signatures verified",
                policies == null ? "" : ", access policies enforced",
                metrics == null ? "" : ", metrics on http://" + metrics.address().getAddress().getHostAddress() + ":"
                        + metrics.address().getPort() + "/metrics");
        return new Running(bound, storage, engine, server, accelerator, metrics);
    }

    /** This server's region: --region, or the peers file's when it gives one (and --region does not differ). */
    private String regionOf(PeersFile file) {
        if (file == null || file.region() == null) return region;
        boolean given = spec != null && spec.commandLine().getParseResult().hasMatchedOption("--region");
        if (given && !region.equals(file.region())) {
            throw new IllegalArgumentException("--region " + region + " differs from region = " + file.region() + " in "
                    + peersFile);
        }
        return file.region();
    }

    /**
     * A client of each peer, from --peer and the peers file (a region in both is a mistake). Each signs
     * with its own credentials from the file, else the file's, else --peer-credentials, else the first
     * profile of --credentials, else any key (for peers that accept any signature).
     */
    private java.util.Map<String, ReplicationApi> peers(PeersFile file, Credentials credentials) throws java.io.IOException {
        java.util.Map<String, ReplicationApi> peers = new java.util.LinkedHashMap<>();
        Credentials defaults = peerCredentialsFile != null ? Credentials.load(peerCredentialsFile, null) : credentials;
        for (String option : peerOptions) {
            int equals = option.indexOf('=');
            if (equals <= 0 || equals == option.length() - 1) {
                throw new IllegalArgumentException("--peer expects REGION=URL, not " + option);
            }
            String peerRegion = option.substring(0, equals);
            URI url = PeersFile.url(option.substring(equals + 1), "--peer " + option + ": ");
            if (peers.containsKey(peerRegion)) throw new IllegalArgumentException("--peer " + peerRegion + " is given twice");
            peers.put(peerRegion, peer(peerRegion, url, defaults));
        }
        if (file != null) {
            Credentials fileDefaults = file.credentials() != null ? Credentials.load(file.credentials(), null) : defaults;
            for (PeersFile.Peer peer : file.peers().values()) {
                if (peers.containsKey(peer.region())) {
                    throw new IllegalArgumentException("peer." + peer.region() + " is given both by --peer and in "
                            + peersFile);
                }
                Credentials signing = peer.credentials() != null ? Credentials.load(peer.credentials(), null) : fileDefaults;
                peers.put(peer.region(), peer(peer.region(), peer.url(), signing));
            }
        }
        if (peers.containsKey(region)) {
            throw new IllegalArgumentException(region + " is this server's own region (--region), not a peer");
        }
        if (!peers.isEmpty()) log.info("Peer regions for global tables: {}", peers.keySet());
        return peers;
    }

    /** A client of one peer, signing as a client of that region would, with the first key of {@code signing}. */
    private ReplicationApi peer(String peerRegion, URI url, Credentials signing) {
        RequestSigner signer = signing.isEmpty()
                ? new RequestSigner("flywheel-" + region, "flywheel-" + region, peerRegion, "dynamodb")
                : new RequestSigner(signing.keys().get(0).accessKeyId(), signing.keys().get(0).secretAccessKey(),
                        peerRegion, "dynamodb");
        return new RemoteReplication(Target.of(url, signer));
    }

    private static void warnIfLoose(Path secrets) throws java.io.IOException {
        String warning = secrets == null ? null : OwnerOnlyFiles.looseness(secrets);
        if (warning != null) log.warn(warning);
    }

    /** Beside the data, so clients trust one certificate across restarts; a temporary one in memory. */
    private static Path selfSignedDirectory(Path dataDir) throws java.io.IOException {
        return dataDir != null ? dataDir.resolve("tls") : java.nio.file.Files.createTempDirectory("flywheel-tls");
    }
}

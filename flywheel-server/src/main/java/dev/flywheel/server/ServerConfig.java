package dev.flywheel.server;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * How a {@link FlywheelServer} listens and whom it lets in.
 *
 * <p>Safe by default (DESIGN.md): a server listening on anything but loopback must have credentials,
 * so that signatures are verified; the constructor rejects a configuration that would not.
 *
 * @param bindAddress the address to listen on
 * @param port the TCP port; 0 picks a free one (see {@link FlywheelServer#start()})
 * @param credentials secret access keys by access key id; empty accepts any well-formed signature
 * @param maxRequestBytes the largest request body accepted; larger ones are answered 413
 * @param region the region named in the health check ({@code GET /})
 * @param shutdownTimeout how long {@link FlywheelServer#close()} lets in-flight requests finish
 * @param allowUnauthenticated accept any signature even on a non-loopback address (an explicit,
 *     unsafe choice: anyone who reaches the address reaches the data)
 * @param tls the certificate to serve HTTPS with; null serves plain HTTP
 */
public record ServerConfig(
        InetAddress bindAddress,
        int port,
        Map<String, String> credentials,
        int maxRequestBytes,
        String region,
        Duration shutdownTimeout,
        boolean allowUnauthenticated,
        TlsCertificate tls) {

    /** DynamoDB's limit on a request: 16 MiB (BatchWriteItem's documented total request size). */
    public static final int DEFAULT_MAX_REQUEST_BYTES = 16 * 1024 * 1024;

    /** DynamoDB Local's port, so scripts written for it work unchanged. */
    public static final int DEFAULT_PORT = 8000;

    public ServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(shutdownTimeout, "shutdownTimeout");
        credentials = Map.copyOf(credentials);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, not " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be positive, not " + maxRequestBytes);
        }
        if (!bindAddress.isLoopbackAddress() && credentials.isEmpty() && !allowUnauthenticated) {
            throw new IllegalArgumentException("listening on " + bindAddress.getHostAddress()
                    + " requires credentials: only a loopback address may accept any signature");
        }
    }

    /** Loopback, port 8000, plain HTTP, any credentials, 16 MiB bodies, us-east-1, 30 seconds to shut down. */
    public static ServerConfig defaults() {
        return new ServerConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, Map.of(), DEFAULT_MAX_REQUEST_BYTES,
                "us-east-1", Duration.ofSeconds(30), false, null);
    }

    public ServerConfig withBindAddress(InetAddress newBindAddress) {
        return new ServerConfig(newBindAddress, port, credentials, maxRequestBytes, region, shutdownTimeout,
                allowUnauthenticated, tls);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(bindAddress, newPort, credentials, maxRequestBytes, region, shutdownTimeout,
                allowUnauthenticated, tls);
    }

    public ServerConfig withCredentials(Map<String, String> newCredentials) {
        return new ServerConfig(bindAddress, port, newCredentials, maxRequestBytes, region, shutdownTimeout,
                allowUnauthenticated, tls);
    }

    public ServerConfig withMaxRequestBytes(int newMaxRequestBytes) {
        return new ServerConfig(bindAddress, port, credentials, newMaxRequestBytes, region, shutdownTimeout,
                allowUnauthenticated, tls);
    }

    public ServerConfig withRegion(String newRegion) {
        return new ServerConfig(bindAddress, port, credentials, maxRequestBytes, newRegion, shutdownTimeout,
                allowUnauthenticated, tls);
    }

    public ServerConfig withAllowUnauthenticated(boolean allow) {
        return new ServerConfig(bindAddress, port, credentials, maxRequestBytes, region, shutdownTimeout, allow, tls);
    }

    public ServerConfig withTls(TlsCertificate newTls) {
        return new ServerConfig(bindAddress, port, credentials, maxRequestBytes, region, shutdownTimeout,
                allowUnauthenticated, newTls);
    }

    /** Names the access key ids but never the secrets: configurations end up in logs. */
    @Override
    public String toString() {
        return "ServerConfig[bindAddress=" + bindAddress.getHostAddress() + ", port=" + port
                + ", accessKeyIds=" + new TreeSet<>(credentials.keySet()) + ", maxRequestBytes=" + maxRequestBytes
                + ", region=" + region + ", shutdownTimeout=" + shutdownTimeout
                + ", allowUnauthenticated=" + allowUnauthenticated + ", tls=" + tls + "]";
    }
}

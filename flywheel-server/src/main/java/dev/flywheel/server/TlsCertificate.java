package dev.flywheel.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLException;

/**
 * The certificate a server presents for HTTPS: PEM files of the certificate chain (the server's
 * certificate first) and of its private key (PKCS#8, or PKCS#1/SEC1 with BouncyCastle present).
 *
 * <p>Only TLS 1.3 and 1.2 with forward-secret AEAD cipher suites are offered: what every current AWS
 * SDK and the AWS CLI negotiate, and nothing that a scanner would flag.
 */
public record TlsCertificate(Path certificateChain, Path privateKey) {
    static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final List<String> CIPHER_SUITES = List.of(
            // TLS 1.3
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            // TLS 1.2: ECDHE key exchange, AEAD encryption
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    public TlsCertificate {
        Objects.requireNonNull(certificateChain, "certificateChain");
        Objects.requireNonNull(privateKey, "privateKey");
    }

    /**
     * The server-side TLS context, read from the files now.
     *
     * @throws IllegalArgumentException if a file cannot be read or is not a PEM certificate or key
     */
    SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .ciphers(CIPHER_SUITES, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + certificateChain + " with the key "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    /** Names the files, never their contents. */
    @Override
    public String toString() {
        return "TlsCertificate[" + certificateChain + ", key " + privateKey + "]";
    }
}

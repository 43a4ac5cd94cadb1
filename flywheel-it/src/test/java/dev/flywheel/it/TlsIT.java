package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * HTTPS: {@code serve --tls-self-signed} and {@code serve --tls-cert/--tls-key}, used by the AWS SDK for
 * Java v2 trusting the certificate, and by the AWS CLI with {@code --ca-bundle} and {@code --no-verify-ssl}.
 */
class TlsIT {
    @TempDir
    static Path dir;
    private static ServerProcess selfSigned;
    private static Path certificate;

    @BeforeAll
    static void start() throws Exception {
        selfSigned = ServerProcess.jar(dir.resolve("data"), "--tls-self-signed");
        certificate = dir.resolve("data/tls/self-signed-cert.pem");
    }

    @AfterAll
    static void stop() throws Exception {
        selfSigned.close();
    }

    @Test
    void theSelfSignedCertificateIsKeptInTheDataDirectoryWithAPrivateKey() throws Exception {
        assertThat(selfSigned.endpoint().getScheme()).isEqualTo("https");
        assertThat(selfSigned.output()).contains("Self-signed TLS certificate (trust it in clients): " + certificate);
        assertThat(Files.readString(certificate)).startsWith("-----BEGIN CERTIFICATE-----");
        Path key = dir.resolve("data/tls/self-signed-key.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    }

    @Test
    void theSdkTalksHttpsToATrustedCertificate() throws Exception {
        try (DynamoDbClient client = trusting(selfSigned.endpoint(), certificate)) {
            client.createTable(b -> b.tableName("tls").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
            client.putItem(b -> b.tableName("tls").item(Map.of("id", AttributeValue.fromS("secure"))));
            assertThat(client.getItem(b -> b.tableName("tls").key(Map.of("id", AttributeValue.fromS("secure")))).item())
                    .containsEntry("id", AttributeValue.fromS("secure"));
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedByTheClient() {
        try (DynamoDbClient client = Clients.sync(selfSigned.endpoint())) {
            Throwable refused = catchThrowable(client::listTables);
            assertThat(refused).hasStackTraceContaining("PKIX");
        }
    }

    @Test
    void onlyModernProtocolsAndAeadCipherSuitesAreAccepted() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trustManagers(certificate), null);
        try (SSLSocket socket = socket(tls)) {
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
        try (SSLSocket socket = socket(tls)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite()).matches("TLS_ECDHE_ECDSA_WITH_.*(GCM|CHACHA20_POLY1305)_SHA(256|384)");
        }
        // A suite this JDK's client offers by default, but without an AEAD: the server must refuse it.
        try (SSLSocket socket = socket(tls)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
            assertThat(catchThrowable(socket::startHandshake)).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
        }
    }

    private static SSLSocket socket(SSLContext tls) throws java.io.IOException {
        return (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", selfSigned.endpoint().getPort());
    }

    @Test
    void aGivenCertificateAndKeyAreServed() throws Exception {
        // The self-signed pair doubles as "a certificate from elsewhere": what matters is that these files are used.
        Path cert = Files.copy(certificate, dir.resolve("given-cert.pem"));
        Path key = Files.copy(dir.resolve("data/tls/self-signed-key.pem"), dir.resolve("given-key.pem"));
        try (ServerProcess given = ServerProcess.jar(dir.resolve("given-data"), "--tls-cert", cert.toString(),
                "--tls-key", key.toString());
                DynamoDbClient client = trusting(given.endpoint(), cert)) {
            assertThat(given.endpoint().getScheme()).isEqualTo("https");
            assertThat(client.listTables().tableNames()).isEmpty();
        }
    }

    @Test
    void theAwsCliWorksWithTheCaBundleOrWithoutVerification() throws Exception {
        assumeTrue(CliSmokeIT.available("aws", "--version"), "the AWS CLI is not installed");
        CliSmokeIT.Result trusted = CliSmokeIT.run(aws("list-tables", "--ca-bundle", certificate.toString()));
        assertThat(trusted.exit()).as(trusted.output()).isZero();
        assertThat(trusted.output()).contains("TableNames");
        CliSmokeIT.Result unverified = CliSmokeIT.run(aws("list-tables", "--no-verify-ssl"));
        assertThat(unverified.exit()).as(unverified.output()).isZero();
        CliSmokeIT.Result untrusted = CliSmokeIT.run(aws("list-tables"));
        assertThat(untrusted.exit()).isNotZero();
        assertThat(untrusted.output()).containsIgnoringCase("SSL");
    }

    private static List<String> aws(String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "dynamodb"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", selfSigned.endpoint().toString(), "--output", "json"));
        return command;
    }

    static DynamoDbClient trusting(URI endpoint, Path certificate) throws Exception {
        TrustManager[] trust = trustManagers(certificate);
        return DynamoDbClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(Clients.ACCESS_KEY, Clients.SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.builder().tlsTrustManagersProvider(() -> trust).build())
                .overrideConfiguration(c -> c.retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private static TrustManager[] trustManagers(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry("flywheel", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory.getTrustManagers();
    }
}

package dev.flywheel.cli;

import dev.flywheel.server.TlsCertificate;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * {@code serve --tls-self-signed}: a certificate for local HTTPS, valid for {@code localhost},
 * 127.0.0.1, ::1 and the address listened on, kept in a directory so that clients can trust it once
 * (the AWS CLI's {@code --ca-bundle}, a JVM trust store) and find the same one after a restart. A
 * missing, unreadable or nearly expired certificate is replaced. The key is an ECDSA P-256 key, written
 * owner-only.
 */
final class SelfSignedCertificate {
    static final String CERTIFICATE_FILE = "self-signed-cert.pem";
    static final String KEY_FILE = "self-signed-key.pem";
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(7);

    private SelfSignedCertificate() {}

    /** The certificate in {@code directory}, created (or renewed) there when needed. */
    static TlsCertificate in(Path directory, InetAddress bindAddress) throws IOException {
        Path certificate = directory.resolve(CERTIFICATE_FILE);
        Path key = directory.resolve(KEY_FILE);
        if (Files.exists(key) && stillValid(certificate)) {
            return new TlsCertificate(certificate, key);
        }
        Files.createDirectories(directory);
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X500Name subject = new X500Name("CN=localhost, O=Flywheel self-signed");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), subject, keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(bindAddress)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509CertificateHolder signed = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            OwnerOnlyFiles.write(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
            Files.write(certificate, pem("CERTIFICATE", signed.getEncoded()));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot create a self-signed certificate: " + e.getMessage(), e);
        }
        return new TlsCertificate(certificate, key);
    }

    private static GeneralName[] names(InetAddress bindAddress) {
        List<GeneralName> names = new ArrayList<>(List.of(
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1")));
        if (!bindAddress.isAnyLocalAddress() && !bindAddress.isLoopbackAddress()) {
            names.add(new GeneralName(GeneralName.iPAddress, bindAddress.getHostAddress()));
        }
        return names.toArray(GeneralName[]::new);
    }

    private static boolean stillValid(Path certificate) {
        try (var in = Files.newInputStream(certificate)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            return cert.getNotAfter().toInstant().isAfter(Instant.now().plus(RENEW_BEFORE));
        } catch (IOException | GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return ("-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }
}

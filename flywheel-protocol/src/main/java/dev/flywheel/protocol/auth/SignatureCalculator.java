package dev.flywheel.protocol.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Computes the SigV4 signature a request should carry (AWS General Reference, "Signature Version 4
 * signing process"): the string to sign from the canonical request, the signing key from the secret
 * by an HMAC-SHA256 chain over the credential scope, and the hex HMAC of the one with the other.
 *
 * <p>Stateless. A {@link Mac} is created per use: they are not thread-safe, and a per-thread cache
 * would not survive virtual threads. Caching signing keys per (secret, day, region) is the next step
 * if a benchmark shows the chain matters.
 */
final class SignatureCalculator {
    private static final HexFormat HEX = HexFormat.of();

    private SignatureCalculator() {}

    /** The lower-case hex signature that {@code request} signed with {@code secretKey} must carry. */
    static String signature(String secretKey, AuthorizationHeader authorization, SignedRequest request) {
        return HEX.formatHex(hmac(signingKey(secretKey, authorization.credential()), stringToSign(authorization, request)));
    }

    static String stringToSign(AuthorizationHeader authorization, SignedRequest request) {
        String canonicalRequest = CanonicalRequest.of(request, authorization, sha256Hex(request.body()));
        return AuthorizationHeader.ALGORITHM + "\n"
                + authorization.amzDate() + "\n"
                + authorization.credential().scope() + "\n"
                + sha256Hex(canonicalRequest.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] signingKey(String secretKey, CredentialScope scope) {
        byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
        for (String element : new String[] {scope.date(), scope.region(), scope.service(), scope.terminator()}) {
            key = hmac(key, element);
        }
        return key;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides HmacSHA256", e);
        }
    }

    static String sha256Hex(byte[] data) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides SHA-256", e);
        }
    }
}

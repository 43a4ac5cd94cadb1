package dev.flywheel.engine.encryption;

import com.google.crypto.tink.DeterministicAead;
import com.google.crypto.tink.prf.Prf;
import com.google.crypto.tink.subtle.AesSiv;
import com.google.crypto.tink.subtle.PrfHmacJce;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals one table's rows (or one log, or the catalog): AES-256-SIV for values and an
 * HMAC-SHA256 PRF for partition keys, from {@value #MATERIAL_BYTES} random bytes.
 *
 * <p>Why deterministic encryption (SIV) rather than randomized AES-GCM: storage compares a row's bytes
 * with what the engine read to apply a conditional write (compare-and-set), on every backend; sealing
 * the same plaintext at the same place must give the same bytes. The associated data binds each
 * ciphertext to its table and row, so equal values elsewhere do not look equal, and a row moved to
 * another key does not open. What SIV reveals is only that one row holds again a value it held before.
 */
final class DataKey {
    static final int MATERIAL_BYTES = 96;
    /** 128 bits: partition keys stay distinct (a collision is as likely as guessing a random AES key half). */
    static final int HIDDEN_KEY_BYTES = 16;

    private final DeterministicAead siv;
    private final Prf prf;

    DataKey(byte[] material) {
        if (material.length != MATERIAL_BYTES) throw new IllegalArgumentException("data key material must be 96 bytes");
        try {
            this.siv = new AesSiv(Arrays.copyOfRange(material, 0, 64));
            this.prf = new PrfHmacJce("HMACSHA256", new SecretKeySpec(Arrays.copyOfRange(material, 64, 96), "HMAC"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-SIV or HMAC-SHA256 is not available in this JVM", e);
        }
    }

    /** A keyed, fixed-length stand-in for a partition key: equal keys map to equal bytes, nothing else shows. */
    byte[] hide(byte[] partitionKey) {
        try {
            return prf.compute(partitionKey, HIDDEN_KEY_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] seal(byte[] plaintext, byte[] associatedData) {
        try {
            return siv.encryptDeterministically(plaintext, associatedData);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @throws GeneralSecurityException when the bytes were not sealed by this key with this associated data */
    byte[] open(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
        return siv.decryptDeterministically(ciphertext, associatedData);
    }
}

package dev.flywheel.engine.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.subtle.AesGcmJce;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The root of the key hierarchy: a 256-bit AES-GCM key that seals the {@link Keyring}. It never
 * touches data itself; it lives outside the data (a file of the operator's choosing, or an environment
 * variable), so that a copy of the data directory alone reveals nothing.
 */
public final class MasterKey {
    public static final int BYTES = 32;
    private final Aead aead;

    private MasterKey(Aead aead) {
        this.aead = aead;
    }

    /** @throws IllegalArgumentException unless {@code key} is {@value #BYTES} bytes */
    public static MasterKey of(byte[] key) {
        if (key.length != BYTES) {
            throw new IllegalArgumentException("a master key is " + BYTES + " bytes, not " + key.length);
        }
        try {
            return new MasterKey(new AesGcmJce(Arrays.copyOf(key, BYTES)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** Fresh random key material for a new master key. */
    public static byte[] generate() {
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    Aead aead() {
        return aead;
    }
}

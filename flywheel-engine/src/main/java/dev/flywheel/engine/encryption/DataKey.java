package dev.flywheel.engine.encryption;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key that seals one table's rows (or one log, or the catalog), from {@value #MATERIAL_BYTES}
 * random bytes: a deterministic authenticated encryption for values and a keyed hash for partition keys.
 *
 * <p><b>Why deterministic.</b> Storage compares a row's bytes with what the engine read to apply a
 * conditional write (compare-and-set), on every backend; sealing the same plaintext at the same place
 * must give the same bytes. The associated data binds each ciphertext to its table and row, so equal
 * values elsewhere do not look equal, and a row moved elsewhere does not open. What it reveals is only
 * that one row holds again a value it held before.
 *
 * <p><b>The construction</b> is SIV (Rogaway and Shrimpton's synthetic IV, the scheme of RFC 5297) with
 * HMAC-SHA256 as its PRF: {@code iv = HMAC(k1, len(ad) || ad || plaintext)[0..16]},
 * {@code ciphertext = iv || AES-256-CTR(k2, iv, plaintext)}; opening recomputes the IV from the
 * decrypted plaintext and rejects any mismatch (in constant time). Built from the JDK's HMAC and AES
 * (hardware-accelerated) rather than Tink's AES-SIV: Tink looks its JCA engines up on every call (and
 * per thread), which cost more than the cryptography on a server that runs each request on a fresh
 * virtual thread (measured: BENCHMARKS.md). Key management (key sets, rotation, wrapping) stays Tink's.
 *
 * <p>Thread-safe: a prototype {@link Mac} is cloned per use, and AES ciphers are pooled.
 */
final class DataKey {
    static final int MATERIAL_BYTES = 96;
    /** 128 bits: partition keys stay distinct (a collision is as likely as guessing a random 128-bit key). */
    static final int HIDDEN_KEY_BYTES = 16;
    static final int IV_BYTES = 16;

    private final Mac sivMac;
    private final Mac partitionKeyMac;
    private final SecretKeySpec aesKey;
    private final ConcurrentLinkedQueue<Cipher> ciphers = new ConcurrentLinkedQueue<>();

    DataKey(byte[] material) {
        if (material.length != MATERIAL_BYTES) throw new IllegalArgumentException("data key material must be 96 bytes");
        try {
            this.sivMac = mac(Arrays.copyOfRange(material, 0, 32));
            this.aesKey = new SecretKeySpec(Arrays.copyOfRange(material, 32, 64), "AES");
            this.partitionKeyMac = mac(Arrays.copyOfRange(material, 64, 96));
            ciphers.add(Cipher.getInstance("AES/CTR/NoPadding"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 or AES-CTR is not available in this JVM", e);
        }
    }

    /** A keyed, fixed-length stand-in for a partition key: equal keys map to equal bytes, nothing else shows. */
    byte[] hide(byte[] partitionKey) {
        return Arrays.copyOf(copy(partitionKeyMac).doFinal(partitionKey), HIDDEN_KEY_BYTES);
    }

    byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] iv = syntheticIv(plaintext, associatedData);
        byte[] sealed = new byte[IV_BYTES + plaintext.length];
        System.arraycopy(iv, 0, sealed, 0, IV_BYTES);
        ctr(iv, plaintext, 0, plaintext.length, sealed, IV_BYTES);
        return sealed;
    }

    /** @throws GeneralSecurityException when the bytes were not sealed by this key with this associated data */
    byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.length < IV_BYTES) throw new GeneralSecurityException("sealed value too short");
        byte[] iv = Arrays.copyOf(sealed, IV_BYTES);
        byte[] plaintext = new byte[sealed.length - IV_BYTES];
        ctr(iv, sealed, IV_BYTES, plaintext.length, plaintext, 0);
        if (!MessageDigest.isEqual(iv, syntheticIv(plaintext, associatedData))) {
            throw new GeneralSecurityException("the sealed value does not verify");
        }
        return plaintext;
    }

    private byte[] syntheticIv(byte[] plaintext, byte[] associatedData) {
        Mac mac = copy(sivMac);
        mac.update(ByteBuffer.allocate(8).putLong(associatedData.length).array());
        mac.update(associatedData);
        mac.update(plaintext);
        return Arrays.copyOf(mac.doFinal(), IV_BYTES);
    }

    private void ctr(byte[] iv, byte[] in, int offset, int length, byte[] out, int outOffset) {
        Cipher cipher = ciphers.poll();
        try {
            if (cipher == null) cipher = Cipher.getInstance("AES/CTR/NoPadding");
            // CTR is its own inverse: the same operation seals and opens.
            cipher.init(Cipher.ENCRYPT_MODE, aesKey, new IvParameterSpec(iv));
            cipher.doFinal(in, offset, length, out, outOffset);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR failed", e);
        }
        ciphers.offer(cipher);
    }

    private static Mac mac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac;
    }

    /** A Mac of its own for one computation: cloning the keyed prototype skips the JCA lookup and the key setup. */
    private static Mac copy(Mac prototype) {
        try {
            return (Mac) prototype.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("this JVM's HMAC-SHA256 cannot be cloned", e);
        }
    }
}

package dev.flywheel.engine.encryption;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.List;

/**
 * A key-encryption key, as KMS keys are to DynamoDB: it wraps tables' data keys and never encrypts
 * data itself. Its key material is a Tink key set, so rotation adds a new primary version while the
 * old versions stay to unwrap what they wrapped.
 *
 * @param id a UUID, or {@link Keyring#SERVICE_OWNED} for the key DynamoDB owns and never shows
 * @param arn {@code arn:aws:kms:<region>:<account>:key/<id>}; null for the service-owned key
 * @param aliases {@code alias/...} names
 * @param enabled a disabled key wraps and unwraps nothing, so its tables are inaccessible
 */
public record ManagedKey(String id, String arn, List<String> aliases, boolean enabled, Instant created, int versions,
        KeysetHandle keyset) {

    public ManagedKey {
        aliases = List.copyOf(aliases);
    }

    Aead aead() {
        try {
            return keyset.getPrimitive(RegistryConfiguration.get(), Aead.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("key " + id + " has no usable AEAD key material", e);
        }
    }

    ManagedKey withEnabled(boolean newEnabled) {
        return new ManagedKey(id, arn, aliases, newEnabled, created, versions, keyset);
    }

    ManagedKey withKeyset(KeysetHandle newKeyset) {
        return new ManagedKey(id, arn, aliases, enabled, created, versions + 1, newKeyset);
    }

    /** Names the key, never its material. */
    @Override
    public String toString() {
        return "ManagedKey[" + id + ", " + aliases + (enabled ? "" : ", disabled") + ", versions=" + versions + "]";
    }
}

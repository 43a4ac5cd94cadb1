package dev.flywheel.engine.encryption;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadWrapper;
import com.google.crypto.tink.aead.AesGcmKeyManager;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import dev.flywheel.storage.Storage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The managed keys of one Flywheel deployment, the local stand-in for KMS: the service-owned key
 * (DynamoDB's default, never shown), the AWS managed key {@value #AWS_MANAGED_ALIAS} (created the
 * first time a table asks for it, as in AWS), and customer keys created with {@code flywheel keys}.
 *
 * <p>Kept in the storage's metadata (so every server of a cluster shares it) under
 * {@value #META_KEY}: key ids, ARNs, aliases and states in the clear, each key's material sealed by
 * the {@link MasterKey} with the key id as associated data. Opening it with another master key fails
 * with a message saying so, before any data is touched. Thread-safe.
 */
public final class Keyring {
    public static final String SERVICE_OWNED = "service-owned";
    public static final String AWS_MANAGED_ALIAS = "alias/aws/dynamodb";
    static final String META_KEY = "encryption/keyring";
    private static final int FORMAT = 1;

    // Only AES-256-GCM, the one key type managed keys have: registering all of AeadConfig's (and the MACs
    // they bring) cost a tenth of a second of every start.
    static {
        try {
            AesGcmKeyManager.register(true);
            AeadWrapper.register();
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The master key does not open the keyring: a wrong key, or the data of another deployment. */
    public static final class WrongMasterKeyException extends IllegalStateException {
        WrongMasterKeyException(String message) { super(message); }
    }

    private final Storage backend;
    private final MasterKey master;
    private final String arnPrefix;
    private final Map<String, ManagedKey> keys = new LinkedHashMap<>();

    private Keyring(Storage backend, MasterKey master, String region, String accountId) {
        this.backend = backend;
        this.master = master;
        this.arnPrefix = "arn:aws:kms:" + region + ":" + accountId + ":";
    }

    /**
     * The keyring kept in {@code backend}, created (with its service-owned key) if there is none yet.
     *
     * @throws WrongMasterKeyException if {@code master} does not open it
     */
    public static Keyring open(Storage backend, MasterKey master, String region, String accountId) {
        Keyring keyring = new Keyring(backend, master, region, accountId);
        byte[] stored = backend.getMeta(META_KEY);
        if (stored == null) {
            keyring.keys.put(SERVICE_OWNED, keyring.newKey(SERVICE_OWNED, null, List.of()));
            byte[] created = keyring.serialized();
            // Servers starting together on a new shared storage (Cassandra) must all use one keyring.
            stored = backend.putMetaIfAbsent(META_KEY, created);
            if (stored != created) {
                keyring.keys.clear();
                keyring.load(stored);
            }
        } else {
            keyring.load(stored);
        }
        return keyring;
    }

    /** Whether {@code backend} holds a keyring: data was written there under some master key. */
    public static boolean exists(Storage backend) {
        return backend.getMeta(META_KEY) != null;
    }

    public synchronized List<ManagedKey> list() {
        return List.copyOf(keys.values());
    }

    /** A new enabled customer key, with {@code alias} ({@code alias/...}) if not null. */
    public synchronized ManagedKey create(String alias) {
        if (alias != null) {
            if (!alias.startsWith("alias/") || alias.startsWith("alias/aws/") || alias.length() <= "alias/".length()) {
                throw new IllegalArgumentException("an alias is alias/<name>, and alias/aws/ is reserved: " + alias);
            }
            if (resolve(alias) != null) throw new IllegalArgumentException("the alias " + alias + " is taken");
        }
        String id = UUID.randomUUID().toString();
        ManagedKey key = newKey(id, arnPrefix + "key/" + id, alias == null ? List.of() : List.of(alias));
        keys.put(id, key);
        save();
        return key;
    }

    /** The AWS managed key for DynamoDB, created on first use. */
    public synchronized ManagedKey awsManagedKey() {
        ManagedKey existing = resolve(AWS_MANAGED_ALIAS);
        if (existing != null) return existing;
        String id = UUID.randomUUID().toString();
        ManagedKey key = newKey(id, arnPrefix + "key/" + id, List.of(AWS_MANAGED_ALIAS));
        keys.put(id, key);
        save();
        return key;
    }

    /**
     * The key a reference names: its id, its ARN, an alias ({@code alias/x}) or an alias ARN
     * ({@code arn:aws:kms:...:alias/x}); null when none does.
     */
    public synchronized ManagedKey resolve(String reference) {
        if (reference == null) return null;
        ManagedKey byId = keys.get(reference);
        if (byId != null) return byId;
        String alias = reference.startsWith(arnPrefix + "alias/") ? reference.substring(arnPrefix.length()) : reference;
        for (ManagedKey key : keys.values()) {
            if (reference.equals(key.arn()) || key.aliases().contains(alias)) return key;
        }
        return null;
    }

    /** A new primary version of the key's material; data keys wrapped by older versions still unwrap. */
    public synchronized ManagedKey rotate(String reference) {
        ManagedKey key = require(reference);
        try {
            KeysetHandle rotated = KeysetHandle.newBuilder(key.keyset())
                    .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                            .withRandomId().makePrimary())
                    .build();
            return replace(key.withKeyset(rotated));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate key " + key.id(), e);
        }
    }

    public synchronized ManagedKey setEnabled(String reference, boolean enabled) {
        ManagedKey key = require(reference);
        if (key.id().equals(SERVICE_OWNED)) throw new IllegalArgumentException("the service-owned key cannot be disabled");
        return replace(key.withEnabled(enabled));
    }

    /** The current state of a key (its state may have changed since a caller looked it up). */
    synchronized ManagedKey get(String id) {
        return keys.get(id);
    }

    private ManagedKey require(String reference) {
        ManagedKey key = resolve(reference);
        if (key == null) throw new IllegalArgumentException("no key " + reference);
        return key;
    }

    private ManagedKey replace(ManagedKey key) {
        keys.put(key.id(), key);
        save();
        return key;
    }

    private ManagedKey newKey(String id, String arn, List<String> aliases) {
        try {
            return new ManagedKey(id, arn, aliases, true, Instant.now(), 1,
                    KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a key", e);
        }
    }

    private void save() {
        backend.putMeta(META_KEY, serialized());
    }

    private byte[] serialized() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(keys.size());
            for (ManagedKey key : keys.values()) {
                out.writeUTF(key.id());
                out.writeUTF(key.arn() == null ? "" : key.arn());
                out.writeInt(key.aliases().size());
                for (String alias : key.aliases()) out.writeUTF(alias);
                out.writeBoolean(key.enabled());
                out.writeLong(key.created().toEpochMilli());
                out.writeInt(key.versions());
                byte[] sealed = TinkProtoKeysetFormat.serializeEncryptedKeyset(key.keyset(), master.aead(), associatedData(key.id()));
                out.writeInt(sealed.length);
                out.write(sealed);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot write the keyring", e);
        }
        return bytes.toByteArray();
    }

    private void load(byte[] stored) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored))) {
            int format = in.readInt();
            if (format != FORMAT) throw new IllegalStateException("unknown keyring format " + format);
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String id = in.readUTF();
                String arn = in.readUTF();
                List<String> aliases = new ArrayList<>();
                for (int a = in.readInt(); a > 0; a--) aliases.add(in.readUTF());
                boolean enabled = in.readBoolean();
                Instant created = Instant.ofEpochMilli(in.readLong());
                int versions = in.readInt();
                byte[] sealed = in.readNBytes(in.readInt());
                KeysetHandle keyset;
                try {
                    keyset = TinkProtoKeysetFormat.parseEncryptedKeyset(sealed, master.aead(), associatedData(id));
                } catch (GeneralSecurityException e) {
                    throw new WrongMasterKeyException("the master key does not open the keyring of this data: it was"
                            + " encrypted with another master key");
                }
                keys.put(id, new ManagedKey(id, arn.isEmpty() ? null : arn, aliases, enabled, created, versions, keyset));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the keyring is unreadable", e);
        }
    }

    private static byte[] associatedData(String keyId) {
        return ("flywheel managed key " + keyId).getBytes(StandardCharsets.UTF_8);
    }
}

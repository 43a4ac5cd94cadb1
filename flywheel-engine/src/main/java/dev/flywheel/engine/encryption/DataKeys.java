package dev.flywheel.engine.encryption;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.storage.Storage;
import dev.flywheel.model.NonBlocking;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Data keys by name ({@code rows/<storage id>}, {@code log/<log>}, {@code catalog}): created on first
 * use, wrapped by a {@link ManagedKey} (envelope encryption, as DynamoDB does with KMS), kept in the
 * storage's metadata under {@value #PREFIX}, and held unwrapped in memory while their key is enabled.
 * Switching a table to another managed key re-wraps its data keys; the data is not rewritten.
 * Thread-safe.
 */
public final class DataKeys {
    static final String PREFIX = "encryption/datakey/";
    private static final int FORMAT = 1;

    private final Storage backend;
    private final Keyring keyring;
    private final Function<String, String> managedKeyForNewDataKey;
    private final Map<String, DataKey> unwrapped = new ConcurrentHashMap<>();
    private final Map<Long, DataKey> rowKeys = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * @param managedKeyForNewDataKey which managed key (id) wraps a data key created now, by data key name:
     *     the table's SSE key for its rows, the service-owned key otherwise
     */
    public DataKeys(Storage backend, Keyring keyring, Function<String, String> managedKeyForNewDataKey) {
        this.backend = backend;
        this.keyring = keyring;
        this.managedKeyForNewDataKey = managedKeyForNewDataKey;
    }

    static String rows(long storageId) { return "rows/" + storageId; }

    static String log(String log) { return "log/" + log; }

    static final String CATALOG = "catalog";

    /** The data key of a table's (or index's) rows: {@code get(rows(storageId))} without building the name per call. */
    DataKey ofRows(long storageId) {
        DataKey key = rowKeys.get(storageId);
        if (key != null) return key;
        // Loading reads (or creates) the wrapped key in storage: not on a thread that must not block.
        if (NonBlocking.attempting()) throw NonBlocking.WouldBlock.INSTANCE;
        key = get(rows(storageId));
        rowKeys.put(storageId, key);
        return key;
    }

    /** The data key of {@code name}, created if it has none. */
    DataKey get(String name) {
        DataKey key = unwrapped.get(name);
        return key != null ? key : load(name);
    }

    private synchronized DataKey load(String name) {
        DataKey key = unwrapped.get(name);
        if (key != null) return key;
        Wrapped wrapped = read(name);
        if (wrapped == null) {
            String managedKeyId = managedKeyForNewDataKey.apply(name);
            byte[] material = new byte[DataKey.MATERIAL_BYTES];
            random.nextBytes(material);
            wrapped = new Wrapped(managedKeyId, wrap(usable(managedKeyId), name, material));
            // Another server sharing the storage may create the same key at the same moment: the first wins.
            byte[] created = serialized(wrapped);
            byte[] stored = backend.putMetaIfAbsent(PREFIX + name, created);
            key = new DataKey(stored == created ? material : unwrap(parse(name, stored), name));
        } else {
            key = new DataKey(unwrap(wrapped, name));
        }
        unwrapped.put(name, key);
        return key;
    }

    /** Creates {@code name}'s data key now, wrapped by {@code managedKeyId}; it must have none yet. */
    synchronized void assign(String name, String managedKeyId) {
        if (read(name) != null) throw new IllegalStateException("the data key " + name + " exists already");
        byte[] material = new byte[DataKey.MATERIAL_BYTES];
        random.nextBytes(material);
        write(name, new Wrapped(managedKeyId, wrap(usable(managedKeyId), name, material)));
        unwrapped.put(name, new DataKey(material));
    }

    /** The managed key wrapping {@code name}'s data key, or null if it has none yet. */
    synchronized String managedKeyOf(String name) {
        Wrapped wrapped = read(name);
        return wrapped == null ? null : wrapped.managedKeyId();
    }

    /** Wraps {@code name}'s data key (if it has one) with {@code managedKeyId} instead. */
    synchronized void rewrap(String name, String managedKeyId) {
        Wrapped wrapped = read(name);
        if (wrapped == null || wrapped.managedKeyId().equals(managedKeyId)) return;
        byte[] material = unwrap(wrapped, name);
        write(name, new Wrapped(managedKeyId, wrap(usable(managedKeyId), name, material)));
    }


    private ManagedKey usable(String managedKeyId) {
        ManagedKey key = keyring.get(managedKeyId);
        if (key == null) throw new IllegalStateException("the keyring has no key " + managedKeyId);
        if (!key.enabled()) throw inaccessible(key);
        return key;
    }

    private byte[] unwrap(Wrapped wrapped, String name) {
        ManagedKey key = usable(wrapped.managedKeyId());
        try {
            return key.aead().decrypt(wrapped.bytes(), associatedData(name));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the data key " + name + " does not unwrap with key " + key.id(), e);
        }
    }

    private static byte[] wrap(ManagedKey key, String name, byte[] material) {
        try {
            return key.aead().encrypt(material, associatedData(name));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot wrap a data key with key " + key.id(), e);
        }
    }

    /**
     * What a request meets when its table's key is disabled. DynamoDB's exact wording for this case is not
     * documented; the table reports INACCESSIBLE_ENCRYPTION_CREDENTIALS in DescribeTable.
     */
    static ValidationException inaccessible(ManagedKey key) {
        return new ValidationException("The table's KMS key " + (key.arn() != null ? key.arn() : key.id())
                + " is disabled: the table is inaccessible until the key is enabled again");
    }

    private record Wrapped(String managedKeyId, byte[] bytes) {}

    private Wrapped read(String name) {
        byte[] stored = backend.getMeta(PREFIX + name);
        return stored == null ? null : parse(name, stored);
    }

    private static Wrapped parse(String name, byte[] stored) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        if (in.getInt() != FORMAT) throw new IllegalStateException("unknown data key format of " + name);
        byte[] id = new byte[in.getShort()];
        in.get(id);
        byte[] wrapped = new byte[in.remaining()];
        in.get(wrapped);
        return new Wrapped(new String(id, StandardCharsets.UTF_8), wrapped);
    }

    private void write(String name, Wrapped wrapped) {
        backend.putMeta(PREFIX + name, serialized(wrapped));
    }

    private static byte[] serialized(Wrapped wrapped) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            byte[] id = wrapped.managedKeyId().getBytes(StandardCharsets.UTF_8);
            out.writeShort(id.length);
            out.write(id);
            out.write(wrapped.bytes());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] associatedData(String name) {
        return ("flywheel data key " + name).getBytes(StandardCharsets.UTF_8);
    }
}

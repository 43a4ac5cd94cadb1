package dev.flywheel.engine.encryption;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.SSEDescription;
import dev.flywheel.model.shapes.SSESpecification;
import dev.flywheel.storage.Storage;
import java.util.Collection;
import java.util.function.LongUnaryOperator;

/**
 * Encryption at rest for one deployment, always on: the {@link Keyring}, the tables' {@link DataKeys},
 * and the {@link EncryptedStorage} the engine writes through. Also what the engine asks about a table's
 * SSESpecification: which managed key protects it, switching keys, and DescribeTable's SSEDescription.
 *
 * <p>A table's SSE setting lives with its data key: the managed key wrapping {@code rows/<table id>}
 * is the table's key (the service-owned key by default), and its indexes' data keys are created under
 * the same key. Thread-safe.
 */
public final class Encryption {
    private static final String INVALID = "One or more parameter values were invalid: ";

    private final Keyring keyring;
    private final DataKeys dataKeys;
    private final EncryptedStorage storage;
    private volatile LongUnaryOperator tableOfStorageId = id -> id;

    private Encryption(Storage backend, Keyring keyring) {
        this.keyring = keyring;
        this.dataKeys = new DataKeys(backend, keyring, this::managedKeyForNewDataKey);
        this.storage = new EncryptedStorage(backend, dataKeys, id -> tableOfStorageId.applyAsLong(id));
    }

    /**
     * Encryption over {@code backend}, with its keyring (created on first use).
     *
     * @throws Keyring.WrongMasterKeyException if {@code master} does not open the existing keyring
     */
    public static Encryption open(Storage backend, MasterKey master, String region, String accountId) {
        return new Encryption(backend, Keyring.open(backend, master, region, accountId));
    }

    /** What the engine reads and writes through. */
    public Storage storage() {
        return storage;
    }

    public Keyring keyring() {
        return keyring;
    }

    /** Tells which table a storage id (the table's own, or one of its indexes') belongs to. */
    public void tablesBy(LongUnaryOperator tableOfStorageId) {
        this.tableOfStorageId = tableOfStorageId;
    }

    private String managedKeyForNewDataKey(String dataKeyName) {
        if (!dataKeyName.startsWith("rows/")) return Keyring.SERVICE_OWNED;
        long storageId = Long.parseLong(dataKeyName.substring("rows/".length()));
        long tableId = tableOfStorageId.applyAsLong(storageId);
        if (tableId == storageId) return Keyring.SERVICE_OWNED;
        String tableKey = dataKeys.managedKeyOf(DataKeys.rows(tableId));
        return tableKey != null ? tableKey : Keyring.SERVICE_OWNED;
    }

    /**
     * The managed key an SSESpecification asks for: the service-owned key when SSE is not enabled, the
     * AWS managed key {@value Keyring#AWS_MANAGED_ALIAS} for KMS without a key, else the named key.
     * Messages are Flywheel's: DynamoDB's own for these cases are not documented.
     */
    public ManagedKey keyFor(SSESpecification sse) {
        if (sse == null || !Boolean.TRUE.equals(sse.enabled())) {
            if (sse != null && (sse.sseType() != null || sse.kmsMasterKeyId() != null)) {
                throw new ValidationException(INVALID + "SSEType and KMSMasterKeyId can only be given when SSE is enabled");
            }
            return keyring.resolve(Keyring.SERVICE_OWNED);
        }
        if (sse.sseType() != null && !sse.sseType().equals("KMS")) {
            throw new ValidationException(INVALID + "Unsupported SSEType " + sse.sseType() + ": only KMS can be given");
        }
        if (sse.kmsMasterKeyId() == null) return keyring.awsManagedKey();
        ManagedKey key = keyring.resolve(sse.kmsMasterKeyId());
        if (key == null || key.id().equals(Keyring.SERVICE_OWNED)) {
            throw new ValidationException(INVALID + "KMSMasterKeyId " + sse.kmsMasterKeyId() + " does not exist");
        }
        if (!key.enabled()) throw DataKeys.inaccessible(key);
        return key;
    }

    /** Protects a new table (before it holds any row) with {@code key}. */
    public void protect(long tableStorageId, ManagedKey key) {
        if (!key.id().equals(Keyring.SERVICE_OWNED)) dataKeys.assign(DataKeys.rows(tableStorageId), key.id());
    }

    /** Re-wraps the data keys of a table and its indexes under {@code key}; the data is not rewritten. */
    public void switchKey(Collection<Long> storageIds, ManagedKey key) {
        for (long id : storageIds) dataKeys.rewrap(DataKeys.rows(id), key.id());
    }

    /** The managed key of a table: the service-owned one unless SSE was enabled. */
    public ManagedKey keyOf(long tableStorageId) {
        String id = dataKeys.managedKeyOf(DataKeys.rows(tableStorageId));
        return keyring.get(id == null ? Keyring.SERVICE_OWNED : id);
    }

    /** DescribeTable's SSEDescription: none for the service-owned key, as DynamoDB shows none for its own. */
    public SSEDescription describe(long tableStorageId) {
        ManagedKey key = keyOf(tableStorageId);
        if (key.id().equals(Keyring.SERVICE_OWNED)) return null;
        return new SSEDescription("ENABLED", "KMS", key.arn(), null);
    }

    /** Whether the table's key is enabled, so its data can be read and written. */
    public boolean accessible(long tableStorageId) {
        return keyOf(tableStorageId).enabled();
    }
}

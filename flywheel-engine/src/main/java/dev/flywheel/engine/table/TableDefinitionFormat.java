package dev.flywheel.engine.table;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The persisted form of a {@link TableDefinition}: a format byte, then tagged fields. Each field has
 * an explicit tag that is never reused or renumbered; a reader skips nothing, so a new field gets a
 * new tag and old data simply lacks it (readers must give it a default).
 */
final class TableDefinitionFormat {
    private static final int FORMAT_V1 = 1;
    // Field tags: persisted, append only.
    private static final int ID = 1, NAME = 2, TABLE_ID = 3, HASH_KEY = 4, RANGE_KEY = 5, ATTRIBUTES = 6,
            BILLING_MODE = 7, READ_UNITS = 8, WRITE_UNITS = 9, CREATED = 10, PAY_PER_REQUEST_SINCE = 11,
            LAST_INCREASE = 12, LAST_DECREASE = 13, DECREASES_TODAY = 14, DELETION_PROTECTION = 15,
            TABLE_CLASS = 16, TABLE_CLASS_UPDATED = 17, TAGS = 18, GLOBAL_INDEXES = 19, LOCAL_INDEXES = 20,
            END = 0;
    // 22-24 are reserved for more stream fields, 26-27 for time to live's.
    private static final int STREAM = 21, TIME_TO_LIVE = 25;
    // 32 and up: global tables.
    /** Replication settings without per-replica table classes (written before ReplicaUpdates Update). */
    private static final int REPLICATION = 32;
    /**
     * Replication settings with membership times: own change time, then each replica with its
     * TableClassOverride ("" for none) and change time, then the removed regions with theirs.
     */
    private static final int REPLICATION_V2 = 33;
    /**
     * As {@link #REPLICATION_V2}, with whether this region's replica is leaving the group, each
     * replica's ReplicaStatusDescription ("" for none), and each removed region's status (DELETING until
     * its table is known gone, then REMOVED).
     */
    private static final int REPLICATION_V3 = 34;
    // Field tags inside one global secondary index (GLOBAL_INDEXES): persisted, append only.
    private static final int INDEX_NAME = 1, INDEX_STORAGE_ID = 2, INDEX_HASH_KEY = 3, INDEX_RANGE_KEY = 4,
            INDEX_PROJECTION = 5, INDEX_NON_KEY_ATTRIBUTES = 6, INDEX_READ_UNITS = 7, INDEX_WRITE_UNITS = 8,
            INDEX_STATUS = 9, INDEX_END = 0;
    /**
     * A multi-attribute key's further attributes, after the first ones INDEX_HASH_KEY and INDEX_RANGE_KEY
     * hold: a count, then each attribute's name and type, in KeySchema order. Written only when there are
     * some, so a single-attribute index is written exactly as before multi-attribute keys existed.
     */
    private static final int INDEX_MORE_HASH_KEYS = 10, INDEX_MORE_RANGE_KEYS = 11;
    // Field tags inside one local secondary index (LOCAL_INDEXES): persisted, append only. The same numbers
    // as a global index's for the fields both have.
    private static final int LOCAL_NAME = 1, LOCAL_STORAGE_ID = 2, LOCAL_HASH_KEY = 3, LOCAL_RANGE_KEY = 4,
            LOCAL_PROJECTION = 5, LOCAL_NON_KEY_ATTRIBUTES = 6, LOCAL_END = 0;

    private TableDefinitionFormat() {}

    static byte[] write(TableDefinition t) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeByte(FORMAT_V1);
            out.writeByte(ID); out.writeLong(t.id());
            out.writeByte(NAME); out.writeUTF(t.name());
            out.writeByte(TABLE_ID); out.writeUTF(t.tableId());
            out.writeByte(HASH_KEY); out.writeUTF(t.hashKey().name()); out.writeUTF(t.hashKey().type());
            if (t.rangeKey() != null) {
                out.writeByte(RANGE_KEY); out.writeUTF(t.rangeKey().name()); out.writeUTF(t.rangeKey().type());
            }
            out.writeByte(ATTRIBUTES); writeMap(out, t.attributeDefinitions());
            out.writeByte(BILLING_MODE); out.writeUTF(t.billingMode());
            out.writeByte(READ_UNITS); out.writeLong(t.readCapacityUnits());
            out.writeByte(WRITE_UNITS); out.writeLong(t.writeCapacityUnits());
            writeInstant(out, CREATED, t.creationDateTime());
            writeInstant(out, PAY_PER_REQUEST_SINCE, t.lastUpdateToPayPerRequest());
            writeInstant(out, LAST_INCREASE, t.lastIncrease());
            writeInstant(out, LAST_DECREASE, t.lastDecrease());
            out.writeByte(DECREASES_TODAY); out.writeLong(t.decreasesToday());
            out.writeByte(DELETION_PROTECTION); out.writeBoolean(t.deletionProtection());
            out.writeByte(TABLE_CLASS); out.writeUTF(t.tableClass());
            writeInstant(out, TABLE_CLASS_UPDATED, t.tableClassUpdated());
            out.writeByte(TAGS); writeMap(out, t.tags());
            if (!t.globalIndexes().isEmpty()) {
                out.writeByte(GLOBAL_INDEXES);
                out.writeInt(t.globalIndexes().size());
                for (GlobalIndex index : t.globalIndexes()) writeIndex(out, index);
            }
            if (!t.localIndexes().isEmpty()) {
                out.writeByte(LOCAL_INDEXES);
                out.writeInt(t.localIndexes().size());
                for (LocalIndex index : t.localIndexes()) writeLocalIndex(out, index);
            }
            StreamSettings stream = t.stream();
            if (stream != null) {
                out.writeByte(STREAM);
                out.writeLong(stream.logId()); out.writeUTF(stream.label()); out.writeUTF(stream.viewType());
                out.writeBoolean(stream.enabled());
            }
            TimeToLiveSettings ttl = t.timeToLive();
            if (ttl != null) {
                out.writeByte(TIME_TO_LIVE);
                out.writeUTF(ttl.attributeName()); out.writeBoolean(ttl.enabled());
                out.writeLong(ttl.lastChanged().getEpochSecond()); out.writeInt(ttl.lastChanged().getNano());
            }
            ReplicationSettings replication = t.replication();
            if (replication != null) {
                out.writeByte(REPLICATION_V3);
                out.writeLong(replication.versionsStorageId());
                out.writeLong(replication.ownChangedAt());
                out.writeBoolean(replication.leaving());
                out.writeInt(replication.replicas().size());
                for (ReplicationSettings.Replica r : replication.replicas()) {
                    out.writeUTF(r.region()); out.writeUTF(r.status());
                    out.writeUTF(r.tableClassOverride() == null ? "" : r.tableClassOverride());
                    out.writeLong(r.changedAt());
                    out.writeUTF(r.statusDescription() == null ? "" : r.statusDescription());
                }
                out.writeInt(replication.removed().size());
                for (ReplicationSettings.Replica r : replication.removed()) {
                    out.writeUTF(r.region()); out.writeLong(r.changedAt()); out.writeUTF(r.status());
                }
            }
            out.writeByte(END);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static TableDefinition read(byte[] data) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(data));
            int format = in.readUnsignedByte();
            if (format != FORMAT_V1) throw new IllegalStateException("unknown table definition format " + format);
            long id = 0, read = 0, write = 0, decreases = 0;
            String name = null, tableId = null, billing = TableDefinition.PROVISIONED, tableClass = TableDefinition.STANDARD;
            KeyAttribute hash = null, range = null;
            Map<String, String> attributes = Map.of(), tags = Map.of();
            List<GlobalIndex> indexes = List.of();
            List<LocalIndex> localIndexes = List.of();
            Instant created = null, ppr = null, inc = null, dec = null, classUpdated = null;
            boolean protection = false;
            StreamSettings stream = null;
            TimeToLiveSettings ttl = null;
            ReplicationSettings replication = null;
            for (int tag = in.readUnsignedByte(); tag != END; tag = in.readUnsignedByte()) {
                switch (tag) {
                    case ID -> id = in.readLong();
                    case NAME -> name = in.readUTF();
                    case TABLE_ID -> tableId = in.readUTF();
                    case HASH_KEY -> hash = new KeyAttribute(in.readUTF(), in.readUTF());
                    case RANGE_KEY -> range = new KeyAttribute(in.readUTF(), in.readUTF());
                    case ATTRIBUTES -> attributes = readMap(in);
                    case BILLING_MODE -> billing = in.readUTF();
                    case READ_UNITS -> read = in.readLong();
                    case WRITE_UNITS -> write = in.readLong();
                    case CREATED -> created = readInstant(in);
                    case PAY_PER_REQUEST_SINCE -> ppr = readInstant(in);
                    case LAST_INCREASE -> inc = readInstant(in);
                    case LAST_DECREASE -> dec = readInstant(in);
                    case DECREASES_TODAY -> decreases = in.readLong();
                    case DELETION_PROTECTION -> protection = in.readBoolean();
                    case TABLE_CLASS -> tableClass = in.readUTF();
                    case TABLE_CLASS_UPDATED -> classUpdated = readInstant(in);
                    case TAGS -> tags = readMap(in);
                    case GLOBAL_INDEXES -> indexes = readIndexes(in);
                    case LOCAL_INDEXES -> localIndexes = readLocalIndexes(in);
                    case STREAM -> stream = new StreamSettings(in.readLong(), in.readUTF(), in.readUTF(), in.readBoolean());
                    case TIME_TO_LIVE -> ttl = new TimeToLiveSettings(in.readUTF(), in.readBoolean(), readInstant(in));
                    case REPLICATION -> replication = readReplication(in, 1);
                    case REPLICATION_V2 -> replication = readReplication(in, 2);
                    case REPLICATION_V3 -> replication = readReplication(in, 3);
                    default -> throw new IllegalStateException("unknown table definition field " + tag);
                }
            }
            return new TableDefinition(id, name, tableId, hash, range, attributes, billing, read, write, created,
                    ppr, inc, dec, decreases, protection, tableClass, classUpdated, tags, indexes, localIndexes, stream,
                    ttl, replication);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replication settings as written by {@link #REPLICATION} (1), {@link #REPLICATION_V2} (2) or V3 (3). */
    private static ReplicationSettings readReplication(DataInputStream in, int version) throws IOException {
        long versions = in.readLong();
        long ownChangedAt = version >= 2 ? in.readLong() : 0;
        boolean leaving = version >= 3 && in.readBoolean();
        int count = in.readInt();
        List<ReplicationSettings.Replica> replicas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String region = in.readUTF(), status = in.readUTF();
            String tableClass = version >= 2 ? in.readUTF() : "";
            long changedAt = version >= 2 ? in.readLong() : 0;
            String description = version >= 3 ? in.readUTF() : "";
            replicas.add(new ReplicationSettings.Replica(region, status, tableClass.isEmpty() ? null : tableClass, changedAt,
                    description.isEmpty() ? null : description));
        }
        List<ReplicationSettings.Replica> removed = new ArrayList<>();
        int removedCount = version >= 2 ? in.readInt() : 0;
        for (int i = 0; i < removedCount; i++) {
            String region = in.readUTF();
            long changedAt = in.readLong();
            // Before V3 a removal was complete when recorded (its table deleted at once).
            String status = version >= 3 ? in.readUTF() : ReplicationSettings.REMOVED;
            removed.add(new ReplicationSettings.Replica(region, status, null, changedAt));
        }
        return new ReplicationSettings(versions, ownChangedAt, leaving, replicas, removed);
    }

    private static void writeIndex(DataOutputStream out, GlobalIndex index) throws IOException {
        out.writeByte(INDEX_NAME); out.writeUTF(index.name());
        out.writeByte(INDEX_STORAGE_ID); out.writeLong(index.storageId());
        KeySchema key = index.keySchema();
        KeyAttribute hash = key.hashKeys().getFirst();
        out.writeByte(INDEX_HASH_KEY); out.writeUTF(hash.name()); out.writeUTF(hash.type());
        if (!key.rangeKeys().isEmpty()) {
            KeyAttribute range = key.rangeKeys().getFirst();
            out.writeByte(INDEX_RANGE_KEY); out.writeUTF(range.name()); out.writeUTF(range.type());
        }
        writeMoreKeys(out, INDEX_MORE_HASH_KEYS, key.hashKeys());
        writeMoreKeys(out, INDEX_MORE_RANGE_KEYS, key.rangeKeys());
        out.writeByte(INDEX_PROJECTION); out.writeUTF(index.projectionType());
        out.writeByte(INDEX_NON_KEY_ATTRIBUTES);
        out.writeInt(index.nonKeyAttributes().size());
        for (String attribute : index.nonKeyAttributes()) out.writeUTF(attribute);
        out.writeByte(INDEX_READ_UNITS); out.writeLong(index.readCapacityUnits());
        out.writeByte(INDEX_WRITE_UNITS); out.writeLong(index.writeCapacityUnits());
        out.writeByte(INDEX_STATUS); out.writeUTF(index.status().name());
        out.writeByte(INDEX_END);
    }

    private static List<GlobalIndex> readIndexes(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<GlobalIndex> indexes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = null, projection = GlobalIndex.ALL;
            long storageId = 0, read = 0, write = 0;
            KeyAttribute hash = null, range = null;
            List<KeyAttribute> moreHash = List.of(), moreRange = List.of();
            List<String> nonKey = new ArrayList<>();
            GlobalIndex.Status status = GlobalIndex.Status.ACTIVE;
            for (int tag = in.readUnsignedByte(); tag != INDEX_END; tag = in.readUnsignedByte()) {
                switch (tag) {
                    case INDEX_NAME -> name = in.readUTF();
                    case INDEX_STORAGE_ID -> storageId = in.readLong();
                    case INDEX_HASH_KEY -> hash = new KeyAttribute(in.readUTF(), in.readUTF());
                    case INDEX_RANGE_KEY -> range = new KeyAttribute(in.readUTF(), in.readUTF());
                    case INDEX_PROJECTION -> projection = in.readUTF();
                    case INDEX_NON_KEY_ATTRIBUTES -> {
                        int count = in.readInt();
                        for (int j = 0; j < count; j++) nonKey.add(in.readUTF());
                    }
                    case INDEX_READ_UNITS -> read = in.readLong();
                    case INDEX_WRITE_UNITS -> write = in.readLong();
                    case INDEX_STATUS -> status = GlobalIndex.Status.valueOf(in.readUTF());
                    case INDEX_MORE_HASH_KEYS -> moreHash = readKeys(in);
                    case INDEX_MORE_RANGE_KEYS -> moreRange = readKeys(in);
                    default -> throw new IllegalStateException("unknown global secondary index field " + tag);
                }
            }
            indexes.add(new GlobalIndex(name, storageId, new KeySchema(joined(hash, moreHash), joined(range, moreRange)),
                    projection, nonKey, read, write, status));
        }
        return indexes;
    }

    /** The key attributes after the first, under {@code tag}; nothing when there are none. */
    private static void writeMoreKeys(DataOutputStream out, int tag, List<KeyAttribute> keys) throws IOException {
        if (keys.size() < 2) return;
        out.writeByte(tag);
        out.writeInt(keys.size() - 1);
        for (KeyAttribute k : keys.subList(1, keys.size())) {
            out.writeUTF(k.name());
            out.writeUTF(k.type());
        }
    }

    private static List<KeyAttribute> readKeys(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<KeyAttribute> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) keys.add(new KeyAttribute(in.readUTF(), in.readUTF()));
        return keys;
    }

    /** {@code first} (absent when null) followed by {@code more}. */
    private static List<KeyAttribute> joined(KeyAttribute first, List<KeyAttribute> more) {
        if (first == null) return List.of();
        List<KeyAttribute> keys = new ArrayList<>(1 + more.size());
        keys.add(first);
        keys.addAll(more);
        return keys;
    }

    private static void writeLocalIndex(DataOutputStream out, LocalIndex index) throws IOException {
        out.writeByte(LOCAL_NAME); out.writeUTF(index.name());
        out.writeByte(LOCAL_STORAGE_ID); out.writeLong(index.storageId());
        KeySchema key = index.keySchema();
        out.writeByte(LOCAL_HASH_KEY); out.writeUTF(key.hashKey().name()); out.writeUTF(key.hashKey().type());
        out.writeByte(LOCAL_RANGE_KEY); out.writeUTF(key.rangeKey().name()); out.writeUTF(key.rangeKey().type());
        out.writeByte(LOCAL_PROJECTION); out.writeUTF(index.projectionType());
        out.writeByte(LOCAL_NON_KEY_ATTRIBUTES);
        out.writeInt(index.nonKeyAttributes().size());
        for (String attribute : index.nonKeyAttributes()) out.writeUTF(attribute);
        out.writeByte(LOCAL_END);
    }

    private static List<LocalIndex> readLocalIndexes(DataInputStream in) throws IOException {
        int n = in.readInt();
        List<LocalIndex> indexes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String name = null, projection = SecondaryIndex.ALL;
            long storageId = 0;
            KeyAttribute hash = null, range = null;
            List<String> nonKey = new ArrayList<>();
            for (int tag = in.readUnsignedByte(); tag != LOCAL_END; tag = in.readUnsignedByte()) {
                switch (tag) {
                    case LOCAL_NAME -> name = in.readUTF();
                    case LOCAL_STORAGE_ID -> storageId = in.readLong();
                    case LOCAL_HASH_KEY -> hash = new KeyAttribute(in.readUTF(), in.readUTF());
                    case LOCAL_RANGE_KEY -> range = new KeyAttribute(in.readUTF(), in.readUTF());
                    case LOCAL_PROJECTION -> projection = in.readUTF();
                    case LOCAL_NON_KEY_ATTRIBUTES -> {
                        int count = in.readInt();
                        for (int j = 0; j < count; j++) nonKey.add(in.readUTF());
                    }
                    default -> throw new IllegalStateException("unknown local secondary index field " + tag);
                }
            }
            indexes.add(new LocalIndex(name, storageId, new KeySchema(hash, range), projection, nonKey));
        }
        return indexes;
    }

    private static void writeInstant(DataOutputStream out, int tag, Instant instant) throws IOException {
        if (instant == null) return;
        out.writeByte(tag);
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
        out.writeInt(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            out.writeUTF(e.getKey());
            out.writeUTF(e.getValue());
        }
    }

    private static Map<String, String> readMap(DataInputStream in) throws IOException {
        int n = in.readInt();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) map.put(in.readUTF(), in.readUTF());
        return map;
    }
}

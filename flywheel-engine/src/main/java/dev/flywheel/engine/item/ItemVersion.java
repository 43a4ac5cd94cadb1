package dev.flywheel.engine.item;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The version of an item of a global table: when and where the write that made it was made. Versions
 * are totally ordered, by timestamp and then by region name, so every region picks the same winner
 * between two writes of an item (last writer wins) whatever order they arrive in.
 *
 * <p>Persisted (a row of the table's versions companion table) and sent between regions:
 * {@code format (1 byte, 1) | flags (1 byte: 1 the item is deleted, a tombstone) | timestamp (8 bytes,
 * epoch milliseconds) | region (UTF-8, the rest)}. Never change it; a new format gets a new first byte.
 *
 * @param deleted whether the write deleted the item: a tombstone, kept so that an older write arriving
 *     later cannot bring the item back
 */
public record ItemVersion(long timestamp, String region, boolean deleted) {
    private static final int FORMAT_V1 = 1;
    private static final int DELETED = 1;

    /** True when this version wins over {@code other} (null: the item has no version yet, older than any). */
    public boolean isNewerThan(ItemVersion other) {
        if (other == null) return true;
        if (timestamp != other.timestamp) return timestamp > other.timestamp;
        return region.compareTo(other.region) > 0;
    }

    public byte[] encode() {
        byte[] name = region.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + 8 + name.length).put((byte) FORMAT_V1).put((byte) (deleted ? DELETED : 0))
                .putLong(timestamp).put(name).array();
    }

    public static ItemVersion decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != FORMAT_V1) throw new IllegalStateException("unknown item version format " + format);
        boolean deleted = (in.get() & DELETED) != 0;
        long timestamp = in.getLong();
        return new ItemVersion(timestamp, new String(bytes, in.position(), in.remaining(), StandardCharsets.UTF_8), deleted);
    }
}

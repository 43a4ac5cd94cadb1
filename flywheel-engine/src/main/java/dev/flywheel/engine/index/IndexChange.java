package dev.flywheel.engine.index;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A record of the log {@code gsi/<table storage id>}: an item of the table changed from {@code oldItem}
 * to {@code newItem} (stored forms, {@link dev.flywheel.engine.item.ItemCodec}; null when absent). It
 * is an absolute statement about the item at that point of the log, so applying the log again from any
 * earlier point gives the same index (see {@link IndexApplier}).
 *
 * <p>A backfill record ({@link #backfill}) says the item is {@code item} and names the one index
 * ({@code targetIndex}, a storage id) being backfilled; other indexes already hold it. The record
 * that ends a backfill ({@link #backfilled}) carries no item: once it is applied, every record of the
 * backfill before it is too, and the index can be read.
 *
 * <p>Persisted format (never change it; a new format gets a new first byte):
 * <pre>
 *   format (1 byte, 1) | flags (1 byte: 1 old present, 2 new present, 4 new is old, 8 targeted,
 *                              16 backfill complete)
 *   | target index storage id (8 bytes, if targeted) | old length (4 bytes) | old | new (the rest)
 * </pre>
 */
record IndexChange(long targetIndex, byte[] oldItem, byte[] newItem, boolean backfillComplete) {
    static final long ALL_INDEXES = 0;
    private static final int FORMAT_V1 = 1;
    private static final int OLD = 1, NEW = 2, NEW_IS_OLD = 4, TARGETED = 8, BACKFILL_COMPLETE = 16;

    static IndexChange of(byte[] oldItem, byte[] newItem) {
        return new IndexChange(ALL_INDEXES, oldItem, newItem, false);
    }

    static IndexChange backfill(long targetIndex, byte[] item) {
        return new IndexChange(targetIndex, item, item, false);
    }

    static IndexChange backfilled(long targetIndex) {
        return new IndexChange(targetIndex, null, null, true);
    }

    /** True for a record that restates the item rather than changing it (a backfill's). */
    boolean restates() {
        return oldItem != null && oldItem == newItem;
    }

    boolean appliesTo(long indexStorageId) {
        return targetIndex == ALL_INDEXES || targetIndex == indexStorageId;
    }

    byte[] encode() {
        boolean same = restates();
        int flags = (oldItem != null ? OLD : 0) | (newItem != null ? NEW : 0) | (same ? NEW_IS_OLD : 0)
                | (targetIndex != ALL_INDEXES ? TARGETED : 0) | (backfillComplete ? BACKFILL_COMPLETE : 0);
        int size = 2 + (targetIndex != ALL_INDEXES ? 8 : 0) + (oldItem != null ? 4 + oldItem.length : 0)
                + (newItem != null && !same ? newItem.length : 0);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) FORMAT_V1).put((byte) flags);
        if (targetIndex != ALL_INDEXES) out.putLong(targetIndex);
        if (oldItem != null) out.putInt(oldItem.length).put(oldItem);
        if (newItem != null && !same) out.put(newItem);
        return out.array();
    }

    static IndexChange decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != FORMAT_V1) throw new IllegalStateException("unknown index change format " + format);
        int flags = in.get();
        long target = (flags & TARGETED) != 0 ? in.getLong() : ALL_INDEXES;
        byte[] oldItem = null, newItem = null;
        if ((flags & OLD) != 0) {
            oldItem = new byte[in.getInt()];
            in.get(oldItem);
        }
        if ((flags & NEW_IS_OLD) != 0) {
            newItem = oldItem;
        } else if ((flags & NEW) != 0) {
            newItem = Arrays.copyOfRange(bytes, in.position(), bytes.length);
        }
        return new IndexChange(target, oldItem, newItem, (flags & BACKFILL_COMPLETE) != 0);
    }
}

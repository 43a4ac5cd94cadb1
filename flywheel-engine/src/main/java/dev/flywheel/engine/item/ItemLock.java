package dev.flywheel.engine.item;

import dev.flywheel.storage.Expected;

/**
 * What a write of an item requires of its row in the table's lock table, and leaves there. A
 * transaction (package {@code transaction}) locks each of its items with a row holding its id, in a
 * companion table of the item's table at the item's own key: item bytes, and every reader, stay
 * untouched. Plain writes require the row to be absent ({@link #FREE}); a transaction puts it
 * ({@link #acquire}) and removes it with its final write of the item ({@link #release}).
 *
 * @param expected what the lock row must hold for the write to apply
 * @param newValue what the lock row holds after it (null: no lock)
 */
public record ItemLock(Expected expected, byte[] newValue) {
    /** A plain write: nobody may hold the item; nothing is locked after. */
    public static final ItemLock FREE = new ItemLock(Expected.ABSENT, null);

    /** Locks the item for {@code owner}, if nobody holds it. */
    public static ItemLock acquire(byte[] owner) {
        return new ItemLock(Expected.ABSENT, owner);
    }

    /** Releases {@code owner}'s lock with this write; refused if {@code owner} does not hold it. */
    public static ItemLock release(byte[] owner) {
        return new ItemLock(Expected.value(owner), null);
    }

    /** Whether this write ends a transaction's hold on the item (its commit or rollback), rather than starting one. */
    public boolean releases() {
        return newValue == null && expected instanceof Expected.Value;
    }
}

package dev.flywheel.engine.item;

import dev.flywheel.engine.table.TableDefinition;

/**
 * Asked by a write that meets an item's lock whether the lock's holder still wants it: a transaction
 * whose coordinator died or lost its storage leaves locks behind, which the transaction package
 * releases (or finishes the transaction) once they are abandoned, so that the write can go on.
 */
@FunctionalInterface
public interface AbandonedLocks {
    /** Never releases anything: every lock is held until its transaction releases it. */
    AbandonedLocks NONE = (table, key, holder) -> false;

    /**
     * @return true if {@code holder}'s lock on the item may be gone now (look again), false if its
     *     transaction is in flight
     */
    boolean releaseIfAbandoned(TableDefinition table, ItemKey key, byte[] holder);
}

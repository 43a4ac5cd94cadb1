package dev.flywheel.engine.table;

import java.util.concurrent.locks.StampedLock;

/**
 * Lets a change of table definitions wait for the item writes that may have acted on the definitions
 * it replaces. An item write holds the gate (shared) from the moment it looks up its table's current
 * definition until its storage write is done; {@link #awaitWritesInFlight} then returns only once every
 * write that started before it has ended, so every later write sees the new definitions.
 *
 * <p>Uses: an index being added must not be backfilled while a write that saw no index (and so logged
 * no change for it) is still in flight; a deleted table's rows and logs must not be dropped while a
 * write to it is still in flight.
 *
 * <p>Not reentrant: a thread holding the gate must not enter it again (a waiting
 * {@link #awaitWritesInFlight} would block the second entry, and the first would never end).
 */
final class WriteGate {
    private final StampedLock lock = new StampedLock();

    long enter() {
        return lock.readLock();
    }

    void exit(long stamp) {
        lock.unlockRead(stamp);
    }

    /** Waits until every write that entered before this call has exited. */
    void awaitWritesInFlight() {
        lock.unlockWrite(lock.writeLock());
    }
}

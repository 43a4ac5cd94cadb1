package dev.flywheel.accelerator;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A counter per table, bumped by every write to it (through the accelerator, or seen on its stream).
 *
 * <p>Why: a read that misses fetches from the target, and a write may land between that fetch and the
 * fill; filling then would cache the old value after the write's own update. A reader notes the
 * generation before fetching and fills only if it has not moved (the check runs inside the cache's
 * per-key compute, and writers bump before they update the entry, so the two cannot interleave).
 * Query-cache keys carry the generation, so one bump makes every cached Query and Scan of the table
 * unreachable at once (they age out under the TTL and the byte bound).
 *
 * <p>Thread-safe.
 */
final class TableGenerations {
    private final ConcurrentMap<String, AtomicLong> generations = new ConcurrentHashMap<>();

    long current(String table) {
        return counter(table).get();
    }

    /** Moves {@code table}'s generation on and returns the new one. */
    long bump(String table) {
        return counter(table).incrementAndGet();
    }

    /** Every table's counter: for writes whose tables are not known (PartiQL). */
    void bumpAll() {
        generations.values().forEach(AtomicLong::incrementAndGet);
    }

    private AtomicLong counter(String table) {
        AtomicLong counter = generations.get(table);
        return counter != null ? counter : generations.computeIfAbsent(table, t -> new AtomicLong());
    }
}

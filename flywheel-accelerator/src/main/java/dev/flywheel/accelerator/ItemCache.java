package dev.flywheel.accelerator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.flywheel.model.AttributeValue;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The item cache: what eventually consistent GetItem and BatchGetItem answered, per item (table and
 * key) and projection, including "no such item" (negative entries, as DAX keeps them).
 *
 * <p>One cache entry per item holds its answers for every projection asked, so that a write drops them
 * all at once. An entry expires its TTL after it was created: answers for more projections added later
 * do not extend it, a write that replaces the entry starts a new one.
 *
 * <p>Concurrency: fills are conditional on the table's {@link TableGenerations generation} not having
 * moved since the fetch began, checked inside the entry's compute; writers bump the generation before
 * they replace or drop the entry. So a fill never overwrites a newer write. Thread-safe.
 */
final class ItemCache {

    /**
     * An item: its table (by name) and its key attributes, equal whatever the order the attributes came
     * in, and whatever the spelling of a number: {@code 1.0} and {@code 1} name the same item, so a
     * write naming one must drop what a read naming the other cached.
     */
    record Key(String table, Map<String, AttributeValue> key) {
        Key {
            key = Map.copyOf(key);
            for (AttributeValue value : key.values()) {
                if (value instanceof AttributeValue.N) {
                    key = normalized(key);
                    break;
                }
            }
        }

        private static Map<String, AttributeValue> normalized(Map<String, AttributeValue> key) {
            Map<String, AttributeValue> normalized = new HashMap<>(key);
            normalized.replaceAll((name, value) -> value instanceof AttributeValue.N n ? new AttributeValue.N(normal(n.value())) : value);
            return Map.copyOf(normalized);
        }

        private static String normal(String number) {
            try {
                return new BigDecimal(number).stripTrailingZeros().toPlainString();
            } catch (NumberFormatException e) {
                return number; // the target rejects it; nothing gets cached under it
            }
        }
    }

    /** What a read asked to see of an item; {@link #ALL} when it asked for no projection. */
    record Projection(String expression, Map<String, String> names, List<String> attributesToGet) {
        static final Projection ALL = new Projection(null, null, null);

        static Projection of(String expression, Map<String, String> names, List<String> attributesToGet) {
            if (expression == null && attributesToGet == null) {
                return ALL; // names without a projection expression project nothing
            }
            return new Projection(expression, names == null ? null : Map.copyOf(names),
                    attributesToGet == null ? null : List.copyOf(attributesToGet));
        }

        long size() {
            return 64 + (expression == null ? 0 : expression.length())
                    + (names == null ? 0 : names.toString().length())
                    + (attributesToGet == null ? 0 : attributesToGet.toString().length());
        }
    }

    /**
     * The answers known for one item: none of its projections exist when it is {@code absent}; else
     * the item as each projection showed it.
     */
    private record Entry(long createdNanos, boolean absent, Map<Projection, Map<String, AttributeValue>> answers) {
        long size() {
            long size = 64;
            for (Map.Entry<Projection, Map<String, AttributeValue>> answer : answers.entrySet()) {
                size += answer.getKey().size() + Sizes.item(answer.getValue());
            }
            return size;
        }
    }

    /** A lookup's outcome: {@code item} is null when the item is known not to exist. */
    record Hit(Map<String, AttributeValue> item) {}

    private final Cache<Key, Entry> cache;
    private final Ticker ticker;
    private final CacheMetrics.Counters metrics;

    ItemCache(Duration ttl, long maxBytes, Ticker ticker, CacheMetrics.Counters metrics) {
        this.ticker = ticker;
        this.metrics = metrics;
        long ttlNanos = ttl.toNanos();
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                // Maintenance on the calling thread: no background pool to size, and tests see evictions at once.
                .executor(Runnable::run)
                .maximumWeight(maxBytes)
                .weigher((Key key, Entry entry) -> Sizes.weight(Sizes.item(key.key()) + key.table().length() + entry.size()))
                .expireAfter(new Expiry<Key, Entry>() {
                    @Override public long expireAfterCreate(Key key, Entry entry, long now) {
                        return ttlNanos - (now - entry.createdNanos());
                    }
                    @Override public long expireAfterUpdate(Key key, Entry entry, long now, long remaining) {
                        return ttlNanos - (now - entry.createdNanos());
                    }
                    @Override public long expireAfterRead(Key key, Entry entry, long now, long remaining) {
                        return remaining;
                    }
                })
                .evictionListener((Key key, Entry entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) metrics.sizeEvictions.increment();
                    else if (cause == RemovalCause.EXPIRED) metrics.expirations.increment();
                })
                .build();
    }

    /** The cached answer for {@code projection} of {@code key}, or null (a miss, counted as such). */
    Hit get(Key key, Projection projection) {
        Entry entry = cache.getIfPresent(key);
        Hit hit = entry == null ? null
                : entry.absent() ? new Hit(null)
                : entry.answers().containsKey(projection) ? new Hit(entry.answers().get(projection))
                : null;
        (hit == null ? metrics.misses : metrics.hits).increment();
        return hit;
    }

    /**
     * Caches what the target answered for {@code projection} of {@code key} (null: no such item), unless
     * the table was written to since {@code generation} was read.
     */
    void fill(Key key, Projection projection, Map<String, AttributeValue> item, long generation, TableGenerations generations) {
        cache.asMap().compute(key, (k, old) -> {
            if (generations.current(k.table()) != generation) {
                return old;
            }
            if (item == null) {
                return new Entry(old == null ? ticker.read() : old.createdNanos(), true, Map.of());
            }
            if (old == null || old.absent()) {
                return new Entry(ticker.read(), false, Map.of(projection, item));
            }
            Map<Projection, Map<String, AttributeValue>> answers = new HashMap<>(old.answers());
            answers.put(projection, item);
            return new Entry(old.createdNanos(), false, Map.copyOf(answers));
        });
    }

    /**
     * After a write whose result is the whole {@code item}: later reads without projection see it. Only
     * if no other write to the table came after this one's ({@code generation} is the one its own bump
     * gave): two concurrent writers cannot tell which the target applied last, so then the item is dropped.
     */
    void replace(Key key, Map<String, AttributeValue> item, long generation, TableGenerations generations) {
        store(key, new Entry(ticker.read(), false, Map.of(Projection.ALL, item)), generation, generations);
    }

    /** After a write that deleted the item, under the same condition as {@link #replace}. */
    void markAbsent(Key key, long generation, TableGenerations generations) {
        store(key, new Entry(ticker.read(), true, Map.of()), generation, generations);
    }

    private void store(Key key, Entry fresh, long generation, TableGenerations generations) {
        cache.asMap().compute(key, (k, old) -> {
            if (old != null) metrics.invalidations.increment();
            return generations.current(k.table()) == generation ? fresh : null;
        });
    }

    /**
     * After a stream record of a write to the item: its entry is dropped unless it holds exactly the
     * record's new image ({@code newImage}, null for a removal or a stream without images), which is
     * the case when the accelerator's own write-through stored what the record reports. A record of an
     * older write never matches a newer entry by accident: the item differs, or, if it is equal, then
     * the entry is right for that older write and the newer one's record still follows.
     */
    void streamed(Key key, Map<String, AttributeValue> newImage, boolean removed) {
        cache.asMap().computeIfPresent(key, (k, old) -> {
            boolean same = removed ? old.absent()
                    : newImage != null && !old.absent() && old.answers().size() == 1 && newImage.equals(old.answers().get(Projection.ALL));
            if (!same) metrics.invalidations.increment();
            return same ? old : null;
        });
    }

    /** After a write whose result is not known. */
    void invalidate(Key key) {
        if (cache.asMap().remove(key) != null) metrics.invalidations.increment();
    }

    /** After a table was deleted or re-created. */
    void invalidateTable(String table) {
        cache.asMap().keySet().removeIf(key -> {
            boolean drop = key.table().equals(table);
            if (drop) metrics.invalidations.increment();
            return drop;
        });
    }

    void invalidateAll() {
        metrics.invalidations.increment(cache.estimatedSize());
        cache.invalidateAll();
    }

    /** Runs pending evictions and expirations; for tests and metrics. */
    void cleanUp() {
        cache.cleanUp();
    }

    long estimatedSize() {
        return cache.estimatedSize();
    }
}

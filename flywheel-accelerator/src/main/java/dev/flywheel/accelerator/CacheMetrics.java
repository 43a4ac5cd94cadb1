package dev.flywheel.accelerator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The accelerator's meters, per cache ({@code cache=item|query}): hits, misses, evictions (by size or
 * by TTL), invalidations (entries dropped or replaced because of a write, through the accelerator or
 * seen on the stream), and the stream's lag (how long after a write its record was seen).
 *
 * <p>Thread-safe (Micrometer's meters are).
 */
final class CacheMetrics {
    final Counters item;
    final Counters query;
    private final Counter streamRecords;
    private final AtomicLong streamLagMillis = new AtomicLong();

    CacheMetrics(MeterRegistry registry) {
        item = new Counters(registry, "item");
        query = new Counters(registry, "query");
        streamRecords = Counter.builder("accelerator.stream.records")
                .description("stream records read from the target").register(registry);
        registry.gauge("accelerator.stream.lag.millis", streamLagMillis, AtomicLong::doubleValue);
    }

    /** A stream record of a write made {@code lagMillis} ago was read. */
    void streamRecord(long lagMillis) {
        streamRecords.increment();
        streamLagMillis.set(Math.max(0, lagMillis));
    }

    /** The lag of the last stream record read, in milliseconds. */
    long streamLagMillis() {
        return streamLagMillis.get();
    }

    static final class Counters {
        final Counter hits;
        final Counter misses;
        final Counter sizeEvictions;
        final Counter expirations;
        final Counter invalidations;

        private Counters(MeterRegistry registry, String cache) {
            hits = counter(registry, "accelerator.cache.hits", cache, "answers served from the cache");
            misses = counter(registry, "accelerator.cache.misses", cache, "answers fetched from the target");
            sizeEvictions = Counter.builder("accelerator.cache.evictions").tag("cache", cache).tag("cause", "size")
                    .description("entries evicted to stay within the byte bound").register(registry);
            expirations = Counter.builder("accelerator.cache.evictions").tag("cache", cache).tag("cause", "expired")
                    .description("entries dropped at the end of their TTL").register(registry);
            invalidations = counter(registry, "accelerator.cache.invalidations", cache,
                    "entries dropped or replaced because of writes");
        }

        private static Counter counter(MeterRegistry registry, String name, String cache, String description) {
            return Counter.builder(name).tag("cache", cache).description(description).register(registry);
        }
    }
}

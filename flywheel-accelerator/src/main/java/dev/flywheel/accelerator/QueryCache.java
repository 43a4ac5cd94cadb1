package dev.flywheel.accelerator;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The query cache: what eventually consistent Query and Scan answered, keyed by the request as the
 * protocol's codec writes it (so equal requests are equal keys, whatever JSON spelling the client used)
 * and by the table's {@link TableGenerations generation}: any write to a table makes all its cached
 * pages unreachable at once, without an index of which entries belong to which table.
 *
 * <p>Thread-safe.
 */
final class QueryCache {

    /** A request: its operation, its table, the table's generation when it was answered, its JSON. */
    record Key(String operation, String table, long generation, ByteBuffer request) {}

    private final Cache<Key, Object> cache;
    private final CacheMetrics.Counters metrics;

    QueryCache(Duration ttl, long maxBytes, Ticker ticker, CacheMetrics.Counters metrics, ToLongFunction sizer) {
        this.metrics = metrics;
        this.cache = Caffeine.newBuilder()
                .ticker(ticker)
                .executor(Runnable::run)
                .maximumWeight(maxBytes)
                .weigher((Key key, Object answer) -> Sizes.weight(64 + key.request().capacity() + sizer.size(answer)))
                .expireAfterWrite(ttl)
                .evictionListener((Key key, Object answer, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) metrics.sizeEvictions.increment();
                    else if (cause == RemovalCause.EXPIRED) metrics.expirations.increment();
                })
                .build();
    }

    /** How many bytes an answer holds. */
    @FunctionalInterface
    interface ToLongFunction {
        long size(Object answer);
    }

    /** The cached answer, or null (a miss, counted as such). */
    Object get(Key key) {
        Object answer = cache.getIfPresent(key);
        (answer == null ? metrics.misses : metrics.hits).increment();
        return answer;
    }

    void put(Key key, Object answer) {
        cache.put(key, answer);
    }

    void invalidateAll() {
        cache.invalidateAll();
    }

    void cleanUp() {
        cache.cleanUp();
    }
}

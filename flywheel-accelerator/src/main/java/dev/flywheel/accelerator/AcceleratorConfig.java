package dev.flywheel.accelerator;

import java.time.Duration;
import java.util.Objects;

/**
 * How much the accelerator keeps, and for how long.
 *
 * @param itemTtl how long an item-cache entry (GetItem, BatchGetItem) is served after it was filled
 * @param queryTtl how long a query-cache entry (Query, Scan) is served after it was filled
 * @param maxBytes the memory the two caches may hold together (an estimate of their entries' sizes),
 *     split evenly between them; beyond it the least valuable entries are evicted (Caffeine's W-TinyLFU)
 * @param enableStreams turn on a (KEYS_ONLY) stream on target tables that have none, so that writes bypassing
 *     the accelerator are seen there too; off by default, because it changes the user's table (and a stream
 *     is billed on DynamoDB): without it such tables are cached as DAX does, until the TTL
 */
public record AcceleratorConfig(Duration itemTtl, Duration queryTtl, long maxBytes, boolean enableStreams) {

    /** DAX's default TTL for both caches. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(5);

    public static final long DEFAULT_MAX_BYTES = 256L * 1024 * 1024;

    public AcceleratorConfig {
        Objects.requireNonNull(itemTtl, "itemTtl");
        Objects.requireNonNull(queryTtl, "queryTtl");
        if (itemTtl.isNegative() || queryTtl.isNegative()) {
            throw new IllegalArgumentException("a TTL cannot be negative");
        }
        if (maxBytes < 2) {
            throw new IllegalArgumentException("maxBytes must be at least 2, not " + maxBytes);
        }
    }

    /** Five minutes for both caches (as DAX), 256 MiB, tables' streams used only where they exist. */
    public static AcceleratorConfig defaults() {
        return new AcceleratorConfig(DEFAULT_TTL, DEFAULT_TTL, DEFAULT_MAX_BYTES, false);
    }

    public AcceleratorConfig withTtl(Duration ttl) {
        return new AcceleratorConfig(ttl, ttl, maxBytes, enableStreams);
    }

    public AcceleratorConfig withMaxBytes(long newMaxBytes) {
        return new AcceleratorConfig(itemTtl, queryTtl, newMaxBytes, enableStreams);
    }

    public AcceleratorConfig withEnableStreams(boolean enable) {
        return new AcceleratorConfig(itemTtl, queryTtl, maxBytes, enable);
    }
}

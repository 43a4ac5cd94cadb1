package dev.flywheel.accelerator;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flywheel.client.RemoteDynamoDb;
import dev.flywheel.client.RemoteDynamoDbStreams;
import dev.flywheel.client.Target;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbStreamsApi;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;

/**
 * The accelerator, assembled: a {@link CachingDynamoDb} in front of a target's DynamoDB API, and the
 * follower of the target's streams that keeps it from serving writes that bypassed it. Serve
 * {@link #api()} with a {@code FlywheelServer} to give clients an endpoint.
 *
 * <p>{@link #close()} stops following the streams; thread-safe.
 */
public final class Accelerator implements AutoCloseable {
    private final CachingDynamoDb api;
    private final StreamFollower follower;

    /** An accelerator in front of {@code target}, following its streams, on the system clock. */
    public static Accelerator of(Target target, AcceleratorConfig config, MeterRegistry registry) {
        return new Accelerator(new RemoteDynamoDb(target), new RemoteDynamoDbStreams(target), config, registry,
                Ticker.systemTicker(), Clock.systemUTC());
    }

    /**
     * @param streams the target's streams API, or null to follow none (entries then live until their TTL) and
     *     answer DynamoDB Streams' operations with UnknownOperationException
     * @param ticker the caches' clock, for TTLs (tests advance a fake one)
     */
    public Accelerator(DynamoDbApi target, DynamoDbStreamsApi streams, AcceleratorConfig config,
            MeterRegistry registry, Ticker ticker, Clock clock) {
        CacheMetrics metrics = new CacheMetrics(registry);
        this.follower = streams == null ? StreamFollower.NONE
                : new DynamoDbStreamFollower(streams, metrics, clock, Duration.ofMillis(100));
        this.api = new CachingDynamoDb(target, streams, config, ticker, metrics, follower);
    }

    /** The caching API, to be served; it forwards DynamoDB Streams' operations too (it is a DynamoDbStreamsApi). */
    public DynamoDbApi api() {
        return api;
    }

    /** Runs the caches' pending evictions and expirations now (they otherwise run as requests come). */
    public void cleanUp() {
        api.cleanUp();
    }

    @Override
    public void close() {
        follower.close();
    }
}

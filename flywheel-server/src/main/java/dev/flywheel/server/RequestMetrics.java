package dev.flywheel.server;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The server's meters: one timer {@code flywheel.requests} per operation and outcome ({@code ok}, or the
 * error's code, e.g. {@code ConditionalCheckFailedException}), counting requests and their time from
 * the request read to the answer ready (authentication and the operation, not the network).
 *
 * <p>Tags come from operation names and error codes; unknown operations are counted as "unknown" by the
 * caller, and past {@value #MAX_OPERATIONS} names (more than every API has) the rest go under "other", so
 * no client can grow the number of series. The timers are looked up in maps of their own rather than through the registry's
 * builder on every request, which would allocate a tag list each time. Thread-safe.
 */
final class RequestMetrics {
    /** Records nothing: a server built without a registry. */
    static final RequestMetrics NONE = new RequestMetrics(null);

    static final String OK = "ok";
    static final int MAX_OPERATIONS = 128;

    private final MeterRegistry registry;
    private final ConcurrentMap<String, ConcurrentMap<String, Timer>> timers = new ConcurrentHashMap<>();

    RequestMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String operation, String outcome, long nanos) {
        if (registry == null) return;
        String name = timers.containsKey(operation) || timers.size() < MAX_OPERATIONS ? operation : "other";
        timers.computeIfAbsent(name, o -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Timer.builder("flywheel.requests")
                        .description("DynamoDB API requests answered, by operation and outcome")
                        .tag("operation", name)
                        .tag("outcome", outcome)
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}

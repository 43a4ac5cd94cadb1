package dev.flywheel.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class RequestMetricsTest {

    @Test
    void operationNamesBeyondTheCapShareOneSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        RequestMetrics metrics = new RequestMetrics(registry);
        for (int i = 0; i < 300; i++) metrics.record("Operation" + i, RequestMetrics.OK, 1_000);
        metrics.record("Operation0", RequestMetrics.OK, 1_000); // a known name keeps its own series

        assertThat(registry.get("flywheel.requests").timers()).hasSize(RequestMetrics.MAX_OPERATIONS + 1);
        assertThat(registry.get("flywheel.requests").tag("operation", "other").timer().count())
                .isEqualTo(300 - RequestMetrics.MAX_OPERATIONS);
        Timer first = registry.get("flywheel.requests").tag("operation", "Operation0").timer();
        assertThat(first.count()).isEqualTo(2);
    }
}

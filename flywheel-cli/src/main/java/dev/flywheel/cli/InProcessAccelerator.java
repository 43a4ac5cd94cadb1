package dev.flywheel.cli;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.flywheel.accelerator.Accelerator;
import dev.flywheel.accelerator.AcceleratorConfig;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.server.FlywheelServer;
import dev.flywheel.server.ServerConfig;
import dev.flywheel.server.access.AccessControl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code flywheel serve --accelerator-port P}: the accelerator in the server's own process, in front of
 * its engine without a network hop, on a port of its own with the server's credentials and policies.
 * Writes sent to the server's port bypass it: they are seen on the tables' streams when the engine
 * serves DynamoDB Streams, and otherwise only when the entries' TTL ends.
 */
final class InProcessAccelerator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger("flywheel");

    private final Accelerator accelerator;
    private final FlywheelServer server;

    /** @param registry where its cache and request meters go; null: measured but not shown */
    InProcessAccelerator(DynamoDbApi engine, ServerConfig serverConfig, AccessControl accessControl, int port,
            MeterRegistry registry) {
        // Through Object: the engine implements DynamoDB Streams from issue 9 on, and this compiles either way.
        Object api = engine;
        DynamoDbStreamsApi streams = api instanceof DynamoDbStreamsApi s ? s : null;
        MeterRegistry meters = registry == null ? new SimpleMeterRegistry() : registry;
        accelerator = new Accelerator(engine, streams, AcceleratorConfig.defaults(), meters, Ticker.systemTicker(),
                Clock.systemUTC());
        // Its requests are not counted in the registry: they would mix with the server's under the same names.
        server = new FlywheelServer(serverConfig.withPort(port), accelerator.api(), accessControl);
        InetSocketAddress bound = server.start();
        log.info("Accelerator listening on port {} in front of this server's engine (TTL {}, streams: {})",
                bound.getPort(), AcceleratorConfig.DEFAULT_TTL,
                streams == null ? "not served by this engine, entries live until their TTL" : "followed");
    }

    @Override
    public void close() {
        try {
            server.close();
        } finally {
            accelerator.close();
        }
    }
}

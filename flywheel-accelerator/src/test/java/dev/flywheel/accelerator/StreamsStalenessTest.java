package dev.flywheel.accelerator;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * {@link StalenessScenario} against a target with streams: DynamoDB Local when one is given
 * ({@code -Dflywheel.accelerator.streamsTarget=http://127.0.0.1:PORT}; see
 * {@code bench/accelerator-ddblocal.sh}, which starts one in a private network namespace), and
 * Flywheel itself.
 */
class StreamsStalenessTest {

    @Test
    void dynamoDbLocal() throws InterruptedException {
        String endpoint = System.getProperty("flywheel.accelerator.streamsTarget", "");
        assumeTrue(!endpoint.isEmpty(), "no -Dflywheel.accelerator.streamsTarget given");
        StalenessScenario.run(URI.create(endpoint), "local", "local");
    }

    @Test
    void flywheel() throws InterruptedException {
        try (FlywheelTarget target = new FlywheelTarget()) {
            StalenessScenario.run(target.endpoint(), FlywheelTarget.ACCESS_KEY, FlywheelTarget.SECRET_KEY);
        }
    }
}

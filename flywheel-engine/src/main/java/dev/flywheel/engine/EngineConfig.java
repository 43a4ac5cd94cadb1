package dev.flywheel.engine;

import java.time.Clock;

/**
 * What the engine needs to know about its deployment.
 *
 * @param region the region in ARNs (DynamoDB Local uses "ddblocal"; Flywheel a real region name)
 * @param accountId the account in ARNs
 * @param endpointAddress what DescribeEndpoints answers: this server's host:port
 * @param clock the source of CreationDateTime and other timestamps (injected for tests)
 * @param maintainIndexes whether the engine applies index changes in the background; false only for
 *     recovery tests, which need changes logged but not yet applied, as a crash can leave them
 */
public record EngineConfig(String region, String accountId, String endpointAddress, Clock clock, boolean maintainIndexes) {
    public EngineConfig(String region, String accountId, String endpointAddress, Clock clock) {
        this(region, accountId, endpointAddress, clock, true);
    }

    public static EngineConfig defaults() {
        return new EngineConfig("us-east-1", "000000000000", "localhost:8000", Clock.systemUTC());
    }

    public EngineConfig withoutIndexMaintenance() {
        return new EngineConfig(region, accountId, endpointAddress, clock, false);
    }
}

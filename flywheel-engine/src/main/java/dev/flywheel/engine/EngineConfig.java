package dev.flywheel.engine;

import dev.flywheel.model.replication.ReplicationApi;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * What the engine needs to know about its deployment.
 *
 * @param region the region in ARNs (DynamoDB Local uses "ddblocal"; Flywheel a real region name)
 * @param accountId the account in ARNs
 * @param endpointAddress what DescribeEndpoints answers: this server's host:port
 * @param clock the source of CreationDateTime and other timestamps (injected for tests)
 * @param maintainIndexes whether the engine applies index changes in the background; false only for
 *     recovery tests, which need changes logged but not yet applied, as a crash can leave them
 * @param timeToLiveInterval how often expired items are looked for (DynamoDB takes up to a few days;
 *     locally a minute keeps tests and development honest without a busy scan)
 * @param shardLifetime how long a stream shard stays open before it is closed and a child opened
 *     (DynamoDB: about four hours)
 * @param peers the other regions global tables may replicate to, by region name (see GlobalTables)
 */
public record EngineConfig(String region, String accountId, String endpointAddress, Clock clock, boolean maintainIndexes,
                           Duration timeToLiveInterval, Duration shardLifetime, Map<String, ReplicationApi> peers) {
    public EngineConfig {
        peers = Map.copyOf(peers);
    }

    public static final Duration DEFAULT_TIME_TO_LIVE_INTERVAL = Duration.ofMinutes(1);
    public static final Duration DEFAULT_SHARD_LIFETIME = Duration.ofHours(4);

    public EngineConfig(String region, String accountId, String endpointAddress, Clock clock) {
        this(region, accountId, endpointAddress, clock, true, DEFAULT_TIME_TO_LIVE_INTERVAL, DEFAULT_SHARD_LIFETIME, Map.of());
    }

    public EngineConfig withTimeToLiveInterval(Duration interval) {
        return new EngineConfig(region, accountId, endpointAddress, clock, maintainIndexes, interval, shardLifetime, peers);
    }

    public EngineConfig withShardLifetime(Duration lifetime) {
        return new EngineConfig(region, accountId, endpointAddress, clock, maintainIndexes, timeToLiveInterval, lifetime, peers);
    }

    public static EngineConfig defaults() {
        return new EngineConfig("us-east-1", "000000000000", "localhost:8000", Clock.systemUTC());
    }

    public EngineConfig withoutIndexMaintenance() {
        return new EngineConfig(region, accountId, endpointAddress, clock, false, timeToLiveInterval, shardLifetime, peers);
    }

    /** This configuration with {@code newPeers} as the regions global tables may replicate to. */
    public EngineConfig withPeers(Map<String, ReplicationApi> newPeers) {
        return new EngineConfig(region, accountId, endpointAddress, clock, maintainIndexes, timeToLiveInterval,
                shardLifetime, newPeers);
    }
}

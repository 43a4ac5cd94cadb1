package dev.flywheel.engine.query;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;

/** {@link ReadConsistencyTest} with encryption at rest between the engine and storage: it passes the consistency on. */
class EncryptedReadConsistencyTest extends ReadConsistencyTest {
    @Override
    protected FlywheelEngine engineOver(ConsistencyRecordingStorage storage) {
        return new FlywheelEngine(Encryption.open(storage, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000"),
                EngineConfig.defaults());
    }
}

package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.encryption.MasterKey;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.NonBlocking;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TreeMapStorage;
import dev.flywheel.storage.rocksdb.RocksDbConfig;
import dev.flywheel.storage.rocksdb.RocksDbStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GetItem under {@link NonBlocking#attempt}: answered from memory, or refused with WouldBlock, never waiting. */
class NonBlockingGetItemTest {
    private static final Map<String, AttributeValue> KEY = Map.of("id", AttributeValue.s("a"));

    private static void createAndPut(FlywheelEngine engine) {
        engine.createTable(CreateTableInput.builder().tableName("things").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("id", "S")))
                .keySchema(List.of(new KeySchemaElement("id", "HASH"))).build());
        engine.putItem(PutItemInput.builder().tableName("things").item(Map.of("id", AttributeValue.s("a"), "v", AttributeValue.n(1))).build());
    }

    private static GetItemInput get(String table) {
        return GetItemInput.builder().tableName(table).key(KEY).build();
    }

    @Test
    void anItemInRocksDbsMemoryIsAnsweredUnderEncryption() {
        try (Storage rocks = RocksDbStorage.open(new RocksDbConfig(null, true, false))) {
            Encryption encryption = Encryption.open(rocks, MasterKey.of(MasterKey.generate()), "us-east-1", "000000000000");
            try (FlywheelEngine engine = new FlywheelEngine(encryption, EngineConfig.defaults())) {
                createAndPut(engine);
                assertThat(NonBlocking.attempt(() -> engine.getItem(get("things"))).item()).containsEntry("v", AttributeValue.n(1));
                // An absent item is an answer too.
                assertThat(NonBlocking.attempt(() -> engine.getItem(GetItemInput.builder().tableName("things")
                        .key(Map.of("id", AttributeValue.s("b"))).build())).item()).isNull();
            }
        }
    }

    @Test
    void aStorageThatCannotTellWithoutWaitingRefuses() {
        try (FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(), EngineConfig.defaults())) {
            createAndPut(engine);
            assertThatThrownBy(() -> NonBlocking.attempt(() -> engine.getItem(get("things"))))
                    .isSameAs(NonBlocking.WouldBlock.INSTANCE);
            assertThat(engine.getItem(get("things")).item()).isNotNull(); // where it may wait, it answers
        }
    }

    @Test
    void aTableThisServerDoesNotKnowIsLookedUpOnlyWhereWaitingIsFine() {
        try (FlywheelEngine engine = new FlywheelEngine(new TreeMapStorage(), EngineConfig.defaults())) {
            assertThatThrownBy(() -> NonBlocking.attempt(() -> engine.getItem(get("unknown"))))
                    .isSameAs(NonBlocking.WouldBlock.INSTANCE);
        }
    }
}

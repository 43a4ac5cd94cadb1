package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.Arns;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.DeleteTableInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Index maintenance through the engine, over the storage oracle, looking at the index rows themselves. */
class GlobalIndexMaintenanceTest {
    private static final String TABLE = "orders";
    private final Storage storage = new TreeMapStorage();
    private FlywheelEngine engine = new FlywheelEngine(storage, EngineConfig.defaults());

    @AfterEach
    void close() {
        engine.close();
    }

    static AttributeValue s(String v) { return new AttributeValue.S(v); }

    static AttributeValue n(String v) { return new AttributeValue.N(v); }

    /** Table orders (pk S) with index by-g on g (S) and r (N), keys only. */
    void createTable() {
        engine.createTable(CreateTableInput.builder().tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("g", "S"),
                        new AttributeDefinition("r", "N")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndex.builder().indexName("by-g")
                        .keySchema(List.of(new KeySchemaElement("g", "HASH"), new KeySchemaElement("r", "RANGE")))
                        .projection(new Projection("KEYS_ONLY", null)).build()))
                .build());
    }

    /** The catalog as stored (the engine's own is not reachable from here). */
    Catalog catalog() {
        return new Catalog(storage, new Arns("us-east-1", "000000000000"));
    }

    GlobalIndex index() {
        return catalog().require(TABLE).globalIndex("by-g");
    }

    List<Row> indexRows() throws InterruptedException {
        assertThat(engine.awaitIndexes(Duration.ofSeconds(30))).isTrue();
        return storage.scan(index().storageId(), 0, 1, null, ReadLimits.NONE).rows();
    }

    void put(Map<String, AttributeValue> item) {
        engine.putItem(PutItemInput.builder().tableName(TABLE).item(item).build());
    }

    @Test
    void anEntryFollowsItsItemAndHoldsWhatTheIndexProjects() throws Exception {
        createTable();
        put(Map.of("pk", s("a"), "g", s("x"), "r", n("1"), "other", s("not projected")));
        List<Row> rows = indexRows();
        assertThat(rows).hasSize(1);
        Row row = rows.getFirst();
        assertThat(row.partitionKey()).isEqualTo(KeyEncoding.encode(s("x")));
        assertThat(CompositeKey.decode(row.sortKey())).containsExactly(KeyEncoding.encode(n("1")), KeyEncoding.encode(s("a")));
        assertThat(ItemCodec.decode(row.value())).isEqualTo(Map.of("pk", s("a"), "g", s("x"), "r", n("1")));

        // The index key moves: the old entry goes, the new one comes.
        engine.updateItem(UpdateItemInput.builder().tableName(TABLE).key(Map.of("pk", s("a")))
                .updateExpression("SET g = :g").expressionAttributeValues(Map.of(":g", s("y"))).build());
        rows = indexRows();
        assertThat(rows).singleElement().satisfies(r -> assertThat(r.partitionKey()).isEqualTo(KeyEncoding.encode(s("y"))));

        // The index key disappears: so does the entry (a sparse index).
        engine.updateItem(UpdateItemInput.builder().tableName(TABLE).key(Map.of("pk", s("a")))
                .updateExpression("REMOVE r").build());
        assertThat(indexRows()).isEmpty();

        put(Map.of("pk", s("a"), "g", s("x"), "r", n("2")));
        put(Map.of("pk", s("b"), "g", s("x"), "r", n("2")));
        put(Map.of("pk", s("c"), "other", s("no index key")));
        assertThat(indexRows()).hasSize(2);
        engine.deleteItem(DeleteItemInput.builder().tableName(TABLE).key(Map.of("pk", s("a"))).build());
        assertThat(indexRows()).singleElement().satisfies(r -> assertThat(ItemCodec.decode(r.value()).get("pk")).isEqualTo(s("b")));
    }

    @Test
    void theLogIsCheckpointedAndTrimmed() throws Exception {
        createTable();
        for (int i = 0; i < IndexMaintenance.LOG_BATCH + 10; i++) {
            put(Map.of("pk", s("k" + i), "g", s("x"), "r", n(Integer.toString(i))));
        }
        assertThat(indexRows()).hasSize(IndexMaintenance.LOG_BATCH + 10);
        TableDefinition table = catalog().require(TABLE);
        assertThat(storage.readLog(GlobalIndexLog.name(table.id()), 0, 10)).isEmpty();
        assertThat(storage.getMeta("gsi-applied/" + table.id())).isNotNull();
    }

    @Test
    void recordsLeftByAStoppedEngineAreAppliedByTheNextOne() throws Exception {
        engine.close();
        // As a crash leaves them: items written with their records, which nothing applied yet.
        engine = new FlywheelEngine(storage, EngineConfig.defaults().withoutIndexMaintenance());
        createTable();
        put(Map.of("pk", s("a"), "g", s("x"), "r", n("1")));
        put(Map.of("pk", s("b"), "g", s("x"), "r", n("1")));
        TableDefinition table = catalog().require(TABLE);
        assertThat(storage.readLog(GlobalIndexLog.name(table.id()), 0, 10)).hasSize(2);
        assertThat(storage.scan(index().storageId(), 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
        engine.close();

        engine = new FlywheelEngine(storage, EngineConfig.defaults());
        assertThat(indexRows()).hasSize(2);
    }

    @Test
    void deletingATableDropsItsIndexEntriesAndLog() throws Exception {
        createTable();
        put(Map.of("pk", s("a"), "g", s("x"), "r", n("1")));
        GlobalIndex index = index();
        TableDefinition table = catalog().require(TABLE);
        assertThat(indexRows()).hasSize(1);
        engine.deleteTable(new DeleteTableInput(TABLE));
        assertThat(engine.awaitIndexes(Duration.ofSeconds(30))).isTrue();
        assertThat(storage.scan(index.storageId(), 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
        assertThat(storage.listMeta("dropped/")).isEmpty();
        assertThat(storage.getMeta("gsi-applied/" + table.id())).isNull();
    }
}

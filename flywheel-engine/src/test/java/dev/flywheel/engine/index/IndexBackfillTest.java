package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.Arns;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BatchWriteItemInput;
import dev.flywheel.model.shapes.CreateGlobalSecondaryIndexAction;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndexUpdate;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutRequest;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.UpdateTableInput;
import dev.flywheel.model.shapes.WriteRequest;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Backfilling an index added to a table that has items, against the storage oracle. */
class IndexBackfillTest {
    private static final String TABLE = "orders";
    private static final int ITEMS = 600;
    private final Storage storage = new TreeMapStorage();
    /** Its index maintenance stopped: the test drives the backfill. */
    private FlywheelEngine engine = new FlywheelEngine(storage, EngineConfig.defaults().withoutIndexMaintenance());

    @AfterEach
    void close() {
        engine.close();
    }

    Catalog catalog() {
        return new Catalog(storage, new Arns("us-east-1", "000000000000"));
    }

    static AttributeValue s(String v) { return new AttributeValue.S(v); }

    /** A table of ITEMS items, two thirds with g; then index by-g added, and not backfilled yet. */
    void tableWithACreatingIndex() {
        engine.createTable(CreateTableInput.builder().tableName(TABLE).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"))).build());
        for (int i = 0; i < ITEMS; i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (int j = i; j < i + 25; j++) {
                Map<String, AttributeValue> item = j % 3 == 0 ? Map.of("pk", s("k" + j)) : Map.of("pk", s("k" + j), "g", s("g" + j % 4));
                batch.add(new WriteRequest(new PutRequest(item), null));
            }
            engine.batchWriteItem(BatchWriteItemInput.builder().requestItems(Map.of(TABLE, batch)).build());
        }
        engine.updateTable(UpdateTableInput.builder().tableName(TABLE)
                .attributeDefinitions(List.of(new AttributeDefinition("g", "S")))
                .globalSecondaryIndexUpdates(List.of(GlobalSecondaryIndexUpdate.builder().create(
                        CreateGlobalSecondaryIndexAction.builder().indexName("by-g")
                                .keySchema(List.of(new KeySchemaElement("g", "HASH")))
                                .projection(new Projection("ALL", null)).build()).build()))
                .build());
    }

    List<Row> indexRows(GlobalIndex index) {
        return storage.scan(index.storageId(), 0, 1, null, ReadLimits.NONE).rows();
    }

    @Test
    void aCreatingIndexCannotBeReadAndABackfillResumesWhereItStopped() throws Exception {
        tableWithACreatingIndex();
        assertThatThrownBy(() -> engine.query(QueryInput.builder().tableName(TABLE).indexName("by-g")
                .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", s("g1"))).build()))
                .hasMessage("Cannot read from backfilling global secondary index: by-g");

        TableDefinition table = catalog().require(TABLE);
        GlobalIndex index = table.globalIndex("by-g");
        assertThat(index.status()).isEqualTo(GlobalIndex.Status.CREATING);
        // One page, then a crash: the next process resumes after the last row scanned.
        assertThat(new IndexBackfill(catalog(), storage).step(table, index)).isTrue();
        assertThat(storage.getMeta("gsi-backfill/" + index.storageId())).isNotNull();

        engine.close();
        engine = new FlywheelEngine(storage, EngineConfig.defaults());
        assertThat(engine.awaitIndexes(Duration.ofSeconds(30))).isTrue();
        assertThat(catalog().require(TABLE).globalIndex("by-g").status()).isEqualTo(GlobalIndex.Status.ACTIVE);
        assertThat(indexRows(index)).hasSize(ITEMS - ITEMS / 3);
        assertThat(storage.getMeta("gsi-backfill/" + index.storageId())).isNull();
        assertThat(engine.query(QueryInput.builder().tableName(TABLE).indexName("by-g")
                .keyConditionExpression("g = :g").expressionAttributeValues(Map.of(":g", s("g1"))).build()).count())
                .isEqualTo((int) java.util.stream.IntStream.range(0, ITEMS).filter(j -> j % 3 != 0 && j % 4 == 1).count());
    }

    @Test
    void aRestatementOfAValueTheItemNoLongerHoldsAppendsNothing() throws Exception {
        tableWithACreatingIndex();
        TableDefinition table = catalog().require(TABLE);
        GlobalIndex index = table.globalIndex("by-g");
        Row scanned = storage.scan(table.id(), 0, 1, null, ReadLimits.rows(1)).rows().getFirst();
        Map<String, AttributeValue> before = ItemCodec.decode(scanned.value());
        // The item changes between the scan and the restatement (its write logs its own change).
        Map<String, AttributeValue> changed = Map.of("pk", before.get("pk"), "g", s("moved"));
        engine.putItem(PutItemInput.builder().tableName(TABLE).item(changed).build());
        String log = GlobalIndexLog.name(table.id());
        int records = storage.readLog(log, 0, 10_000).size();

        new IndexBackfill(catalog(), storage).restate(table, index, scanned);

        assertThat(storage.readLog(log, 0, 10_000)).hasSize(records);
        assertThat(storage.get(table.id(), scanned.partitionKey(), scanned.sortKey())).isEqualTo(ItemCodec.encode(changed));
    }

    @Test
    void itemsOfAPartitionAreRestatedTogetherAndAloneWhereOneChanged() {
        engine.createTable(CreateTableInput.builder().tableName("lines").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE"))).build());
        // Three partitions of five items; the item sk=3 of each has no g (a sparse index skips it).
        for (String pk : List.of("a", "b", "c")) {
            for (int sk = 0; sk < 5; sk++) {
                Map<String, AttributeValue> item = new java.util.HashMap<>(Map.of("pk", s(pk), "sk", new AttributeValue.N(Integer.toString(sk))));
                if (sk != 3) item.put("g", s(pk + sk));
                engine.putItem(PutItemInput.builder().tableName("lines").item(item).build());
            }
        }
        engine.updateTable(UpdateTableInput.builder().tableName("lines")
                .attributeDefinitions(List.of(new AttributeDefinition("g", "S")))
                .globalSecondaryIndexUpdates(List.of(GlobalSecondaryIndexUpdate.builder().create(
                        CreateGlobalSecondaryIndexAction.builder().indexName("by-g")
                                .keySchema(List.of(new KeySchemaElement("g", "HASH")))
                                .projection(new Projection("KEYS_ONLY", null)).build()).build()))
                .build());
        TableDefinition table = catalog().require("lines");
        GlobalIndex index = table.globalIndex("by-g");
        List<Row> page = storage.scan(table.id(), 0, 1, null, ReadLimits.NONE).rows();
        assertThat(page).hasSize(15);
        // One item of partition b changes after the scan: its partition's write is refused whole, and its
        // other items are restated one by one.
        Map<String, AttributeValue> changed = Map.of("pk", s("b"), "sk", new AttributeValue.N("1"), "g", s("moved"));
        engine.putItem(PutItemInput.builder().tableName("lines").item(changed).build());
        String log = GlobalIndexLog.name(table.id());
        int records = storage.readLog(log, 0, 10_000).size();

        new IndexBackfill(catalog(), storage).restateAll(table, index, page);

        List<String> restated = new ArrayList<>();
        for (var entry : storage.readLog(log, 0, 10_000).subList(records, records + 11)) {
            IndexChange change = IndexChange.decode(entry.payload());
            assertThat(change.restates()).isTrue();
            Map<String, AttributeValue> item = ItemCodec.decode(change.newItem());
            restated.add(((AttributeValue.S) item.get("g")).value());
        }
        assertThat(storage.readLog(log, 0, 10_000)).hasSize(records + 11);
        assertThat(restated).containsExactlyInAnyOrder("a0", "a1", "a2", "a4", "b0", "b2", "b4", "c0", "c1", "c2", "c4");
    }
}

package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.table.Arns;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.StreamCatalog;
import dev.flywheel.engine.table.TableOperations;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ItemCollectionSizeLimitExceededException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.LocalSecondaryIndex;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The item collection limit, with a limit of 4 KB instead of DynamoDB's 10 GB: items and their local
 * index entries count; a write that would grow a collection past it is refused, one that shrinks it is not.
 */
class ItemCollectionsTest {
    private static final long LIMIT = 4096;
    private final TreeMapStorage storage = new TreeMapStorage();
    private final Catalog catalog = new Catalog(storage, new Arns("us-east-1", "000000000000"));
    private final ItemOperations items = new ItemOperations(catalog,
            new ItemStore(storage, catalog, ItemChangeLog.NONE, new ItemCollections(storage, LIMIT), null), new ParsedExpressions());

    ItemCollectionsTest() {
        new TableOperations(catalog, new StreamCatalog(storage, catalog), storage, Clock.systemUTC(), null).createTable(CreateTableInput.builder()
                .tableName("orders").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N"),
                        new AttributeDefinition("date", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                .localSecondaryIndexes(List.of(LocalSecondaryIndex.builder().indexName("by-date")
                        .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("date", "RANGE")))
                        .projection(new Projection("ALL", null)).build()))
                .build());
    }

    /** An item of about 1 KB, twice that with its index entry. */
    private void put(String pk, int sk) {
        items.putItem(PutItemInput.builder().tableName("orders").item(Map.of("pk", new AttributeValue.S(pk),
                "sk", new AttributeValue.N(Integer.toString(sk)), "date", new AttributeValue.S("2024"),
                "body", new AttributeValue.S("x".repeat(1000)))).build());
    }

    private Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", new AttributeValue.S(pk), "sk", new AttributeValue.N(Integer.toString(sk)));
    }

    @Test
    void aWriteThatWouldGrowACollectionPastTheLimitIsRefused() {
        put("a", 1);
        put("a", 2);
        assertThatThrownBy(() -> put("a", 3)).isInstanceOf(ItemCollectionSizeLimitExceededException.class)
                .hasMessage("Collection size exceeded.");
        put("b", 1);

        // Shrinking is always allowed (an item leaving the index, an item deleted), and makes room.
        items.updateItem(UpdateItemInput.builder().tableName("orders").key(key("a", 2)).updateExpression("REMOVE #d")
                .expressionAttributeNames(Map.of("#d", "date")).build());
        items.deleteItem(DeleteItemInput.builder().tableName("orders").key(key("a", 1)).build());
        put("a", 3);
        assertThatThrownBy(() -> put("a", 4)).isInstanceOf(ItemCollectionSizeLimitExceededException.class);
    }

    @Test
    void theSizeIsReadFromStorageWhenNotKnown() {
        put("a", 1);
        put("a", 2);
        // A fresh store knows nothing of the collection: it reads it.
        ItemOperations fresh = new ItemOperations(catalog,
                new ItemStore(storage, catalog, ItemChangeLog.NONE, new ItemCollections(storage, LIMIT), null), new ParsedExpressions());
        assertThatThrownBy(() -> fresh.putItem(PutItemInput.builder().tableName("orders").item(Map.of(
                "pk", new AttributeValue.S("a"), "sk", new AttributeValue.N("3"), "date", new AttributeValue.S("2024"),
                "body", new AttributeValue.S("x".repeat(1000)))).build()))
                .isInstanceOf(ItemCollectionSizeLimitExceededException.class);
        assertThat(fresh.putItem(PutItemInput.builder().tableName("orders").item(key("a", 3))
                .returnItemCollectionMetrics("SIZE").build()).itemCollectionMetrics().sizeEstimateRangeGB())
                .containsExactly(0.0, 1.0);
    }
}

package dev.flywheel.engine.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BatchGetItemInput;
import dev.flywheel.model.shapes.BatchGetItemOutput;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.KeysAndAttributes;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.storage.TreeMapStorage;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bugs that issue 5 (Query, Scan and batch operations at scale) found.
 *
 * <p>A Query resumed from an ExclusiveStartKey that its own key condition does not select was
 * answered instead of rejected: with {@code sk > 5} and a start key {@code sk = 1} the engine returned
 * the whole range again (forward) or nothing (backward), where DynamoDB answers a ValidationException.
 * A start key in another partition was rejected, but with the message for a malformed key. The
 * messages are DynamoDB's as dynalite's query tests record them from the service; DynamoDB Local
 * 3.3.1 answers the first ("does not match the range key predicate") for both cases.
 *
 * <p>BatchGetItem's 16 MB limit let the item that crosses it into the response.
 */
class Issue5Test {
    private FlywheelEngine engine;

    @BeforeEach
    void createTables() {
        engine = new FlywheelEngine(new TreeMapStorage(), EngineConfig.defaults());
        engine.createTable(CreateTableInput.builder().tableName("ranged").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE"))).build());
        engine.createTable(CreateTableInput.builder().tableName("hashed").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"))).build());
        for (int i = 0; i < 10; i++) {
            engine.putItem(PutItemInput.builder().tableName("ranged")
                    .item(Map.of("pk", AttributeValue.s("a"), "sk", AttributeValue.n(i))).build());
            engine.putItem(PutItemInput.builder().tableName("hashed").item(Map.of("pk", AttributeValue.s("k" + i))).build());
        }
    }

    private QueryInput.Builder skAbove5(Map<String, AttributeValue> start) {
        return QueryInput.builder().tableName("ranged").keyConditionExpression("pk = :p AND sk > :s")
                .expressionAttributeValues(Map.of(":p", AttributeValue.s("a"), ":s", AttributeValue.n(5)))
                .exclusiveStartKey(start);
    }

    private static Map<String, AttributeValue> key(String pk, long sk) {
        return Map.of("pk", AttributeValue.s(pk), "sk", AttributeValue.n(sk));
    }

    /**
     * BatchGetItem answered 41 items of 400 KB, 16.8 MB, where DynamoDB answers "up to 16 MB" (API
     * Reference) and DynamoDB Local 40: the item that would cross the limit was returned with it.
     */
    @Test
    void batchGetItemNeverAnswersMoreThan16Megabytes() {
        String payload = "x".repeat(409_400);
        List<Map<String, AttributeValue>> keys = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            engine.putItem(PutItemInput.builder().tableName("ranged").item(Map.of("pk", AttributeValue.s("big"),
                    "sk", AttributeValue.n(i), "payload", AttributeValue.s(payload))).build());
            keys.add(key("big", i));
        }
        BatchGetItemOutput out = engine.batchGetItem(BatchGetItemInput.builder()
                .requestItems(Map.of("ranged", KeysAndAttributes.builder().keys(keys).build())).build());
        assertThat(out.responses().get("ranged")).hasSize(40);
        assertThat(out.unprocessedKeys().get("ranged").keys()).isEqualTo(keys.subList(40, 50));
    }

    @Test
    void aStartKeyOutsideTheSortKeyConditionIsRejected() {
        for (boolean forward : new boolean[] {true, false}) {
            assertThatThrownBy(() -> engine.query(skAbove5(key("a", 1)).scanIndexForward(forward).build()))
                    .isInstanceOf(ValidationException.class)
                    .hasMessage("The provided starting key does not match the range key predicate");
        }
        // The bound itself is outside "sk > 5".
        assertThatThrownBy(() -> engine.query(skAbove5(key("a", 5)).build()))
                .hasMessage("The provided starting key does not match the range key predicate");
    }

    @Test
    void aStartKeyInAnotherPartitionIsRejected() {
        assertThatThrownBy(() -> engine.query(skAbove5(key("b", 7)).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("The provided starting key is outside query boundaries based on provided conditions");
        assertThatThrownBy(() -> engine.query(QueryInput.builder().tableName("hashed").keyConditionExpression("pk = :p")
                        .expressionAttributeValues(Map.of(":p", AttributeValue.s("k1")))
                        .exclusiveStartKey(Map.of("pk", AttributeValue.s("k2"))).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("The provided starting key is outside query boundaries based on provided conditions");
    }

    @Test
    void aStartKeyInsideTheConditionResumesAfterIt() {
        // Any key the condition selects will do, whether or not an item has it.
        assertThat(engine.query(skAbove5(Map.of("pk", AttributeValue.s("a"), "sk", AttributeValue.n("7.5"))).build())
                .items()).extracting(i -> i.get("sk")).containsExactly(AttributeValue.n(8), AttributeValue.n(9));
        assertThat(engine.query(skAbove5(key("a", 7)).scanIndexForward(false).build()).items())
                .extracting(i -> i.get("sk")).containsExactly(AttributeValue.n(6));
        assertThat(engine.query(QueryInput.builder().tableName("hashed").keyConditionExpression("pk = :p")
                .expressionAttributeValues(Map.of(":p", AttributeValue.s("k1")))
                .exclusiveStartKey(Map.of("pk", AttributeValue.s("k1"))).build()).items()).isEmpty();
    }
}

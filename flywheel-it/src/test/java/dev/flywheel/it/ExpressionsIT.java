package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/** Condition, update, projection, filter and key-condition expressions through the SDK. */
class ExpressionsIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static String table;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        table = TablesIT.uniqueName("expr");
        ddb.createTable(TablesIT.hashAndRange(table).build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    static AttributeValue s(String v) { return AttributeValue.fromS(v); }
    static AttributeValue n(String v) { return AttributeValue.fromN(v); }
    static Map<String, AttributeValue> key(String pk, String sk) { return Map.of("pk", s(pk), "sk", n(sk)); }

    @Test
    void conditionalPutAndDelete() {
        ddb.putItem(b -> b.tableName(table).item(key("cond", "1")).conditionExpression("attribute_not_exists(pk)"));
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(key("cond", "1"))
                .conditionExpression("attribute_not_exists(pk)")))
                .isInstanceOf(ConditionalCheckFailedException.class)
                .hasMessageStartingWith("The conditional request failed");

        ConditionalCheckFailedException failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                ConditionalCheckFailedException.class,
                () -> ddb.deleteItem(b -> b.tableName(table).key(key("cond", "1"))
                        .conditionExpression("#s = :v").expressionAttributeNames(Map.of("#s", "status"))
                        .expressionAttributeValues(Map.of(":v", s("done")))
                        .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        assertThat(failed.item()).isEqualTo(key("cond", "1"));

        ddb.deleteItem(b -> b.tableName(table).key(key("cond", "1")).conditionExpression("attribute_exists(sk)"));
        assertThat(ddb.getItem(b -> b.tableName(table).key(key("cond", "1"))).hasItem()).isFalse();
    }

    @Test
    void updateExpressions() {
        Map<String, AttributeValue> k = key("upd", "1");
        UpdateItemResponse r = ddb.updateItem(b -> b.tableName(table).key(k)
                .updateExpression("SET #c = if_not_exists(#c, :zero) + :one, tags = :tags, profile = :p ADD visits :one")
                .expressionAttributeNames(Map.of("#c", "count"))
                .expressionAttributeValues(Map.of(":zero", n("0"), ":one", n("1"),
                        ":tags", AttributeValue.fromL(List.of(s("a"))), ":p", AttributeValue.fromM(Map.of("name", s("x")))))
                .returnValues(ReturnValue.ALL_NEW));
        assertThat(r.attributes()).containsEntry("count", n("1")).containsEntry("visits", n("1"));

        UpdateItemResponse second = ddb.updateItem(b -> b.tableName(table).key(k)
                .updateExpression("SET tags = list_append(tags, :more), profile.age = :age REMOVE visits")
                .expressionAttributeValues(Map.of(":more", AttributeValue.fromL(List.of(s("b"))), ":age", n("42")))
                .returnValues(ReturnValue.UPDATED_NEW));
        assertThat(second.attributes()).containsOnlyKeys("tags", "profile");
        assertThat(second.attributes().get("tags").l()).extracting(AttributeValue::s).containsExactly("a", "b");
        assertThat(second.attributes().get("profile").m()).containsOnlyKeys("age");

        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(k)
                .projectionExpression("tags[1], profile.#n").expressionAttributeNames(Map.of("#n", "name"))).item();
        assertThat(item).isEqualTo(Map.of("tags", AttributeValue.fromL(List.of(s("b"))),
                "profile", AttributeValue.fromM(Map.of("name", s("x")))));

        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).updateExpression("SET pk = :v")
                .expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Cannot update attribute pk."
                        + " This attribute is part of the key");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).updateExpression("SET a = :v")))
                .hasMessageStartingWith("Invalid UpdateExpression: An expression attribute value used in expression is"
                        + " not defined; attribute value: :v");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).updateExpression("SET status = :v")
                .expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageStartingWith("Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).updateExpression("SET a = :v")
                .expressionAttributeValues(Map.of(":v", s("x"), ":unused", s("y")))))
                .hasMessageStartingWith("Value provided in ExpressionAttributeValues unused in expressions: keys: {:unused}");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).updateExpression("SET a = :v")
                .attributeUpdates(Map.of("b", AttributeValueUpdate.builder().value(s("x")).build()))
                .expressionAttributeValues(Map.of(":v", s("x")))))
                .hasMessageStartingWith("Can not use both expression and non-expression parameters in the same request:"
                        + " Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}");
    }

    @Test
    void legacyExpectedStillWorks() {
        Map<String, AttributeValue> k = key("legacy", "1");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("legacy"), "sk", n("1"), "v", n("1"))));
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("legacy"), "sk", n("1"), "v", n("2")))
                .expected(Map.of("v", ExpectedAttributeValue.builder().value(n("1")).build())));
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(k)
                .expected(Map.of("v", ExpectedAttributeValue.builder().comparisonOperator(ComparisonOperator.GT)
                        .attributeValueList(n("5")).build()))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        ddb.deleteItem(b -> b.tableName(table).key(k)
                .expected(Map.of("v", ExpectedAttributeValue.builder().exists(true).value(n("2")).build())));
    }

    @Test
    void conditionalOperatorNeedsALegacyCondition() {
        String message = "ConditionalOperator can only be used when Expected or KeyConditions or QueryFilter or"
                + " ScanFilter is present";
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(key("op", "1"))
                .conditionalOperator(ConditionalOperator.OR)))
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(key("op", "1"))
                .conditionalOperator(ConditionalOperator.AND)))
                .hasMessageStartingWith(message);
        assertThatThrownBy(() -> ddb.scan(b -> b.tableName(table).conditionalOperator(ConditionalOperator.AND)))
                .hasMessageStartingWith(message);
        // With KeyConditions it is accepted, as the message says.
        ddb.query(b -> b.tableName(table).conditionalOperator(ConditionalOperator.AND)
                .keyConditions(Map.of("pk", Condition.builder().comparisonOperator(ComparisonOperator.EQ)
                        .attributeValueList(s("op")).build())));
    }

    @Test
    void queryWithKeyConditionFilterAndProjection() {
        for (int i = 0; i < 10; i++) {
            String sk = Integer.toString(i);
            ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("q"), "sk", n(sk), "even", AttributeValue.fromBool(Integer.parseInt(sk) % 2 == 0),
                    "label", s("item-" + sk))));
        }
        QueryResponse r = ddb.query(b -> b.tableName(table)
                .keyConditionExpression("pk = :p AND sk BETWEEN :lo AND :hi")
                .filterExpression("even = :t")
                .projectionExpression("sk, label")
                .expressionAttributeValues(Map.of(":p", s("q"), ":lo", n("2"), ":hi", n("7"), ":t", AttributeValue.fromBool(true))));
        assertThat(r.items()).extracting(i -> i.get("label").s()).containsExactly("item-2", "item-4", "item-6");
        assertThat(r.items().getFirst()).containsOnlyKeys("sk", "label");
        assertThat(r.count()).isEqualTo(3);
        assertThat(r.scannedCount()).isEqualTo(6);

        QueryResponse beginsWith = ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p AND sk < :x")
                .scanIndexForward(false).expressionAttributeValues(Map.of(":p", s("q"), ":x", n("3"))));
        assertThat(beginsWith.items()).extracting(i -> i.get("sk").n()).containsExactly("2", "1", "0");

        assertThatThrownBy(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p OR sk = :x")
                .expressionAttributeValues(Map.of(":p", s("q"), ":x", n("3")))))
                .hasMessageStartingWith("Invalid operator used in KeyConditionExpression: OR");
        assertThatThrownBy(() -> ddb.query(b -> b.tableName(table).keyConditionExpression("pk = :p").filterExpression("sk > :x")
                .expressionAttributeValues(Map.of(":p", s("q"), ":x", n("3")))))
                .hasMessageStartingWith("Filter Expression can only contain non-primary key attributes: Primary key attribute: sk");

        ScanResponse scan = ddb.scan(b -> b.tableName(table).filterExpression("begins_with(label, :l) AND sk >= :five")
                .expressionAttributeValues(Map.of(":l", s("item-"), ":five", n("5"))));
        assertThat(scan.count()).isEqualTo(5);
    }
}

package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/** The item operations through the AWS SDK for Java v2 (sync and async), against a server in this JVM. */
class ItemsIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static String table;
    private static String hashOnly;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        table = TablesIT.uniqueName("items");
        ddb.createTable(TablesIT.hashAndRange(table).build());
        hashOnly = TablesIT.uniqueName("hash");
        ddb.createTable(b -> b.tableName(hashOnly).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.B))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH)));
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    static AttributeValue s(String v) { return AttributeValue.fromS(v); }
    static AttributeValue n(String v) { return AttributeValue.fromN(v); }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of("pk", s(pk), "sk", n(sk));
    }

    @Test
    void allTenTypesRoundTrip() {
        Map<String, AttributeValue> item = new HashMap<>(key("types", "1"));
        item.put("s", s("héllo \uD83D\uDE00"));
        item.put("n", n("123.456"));
        item.put("b", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {0, 1, (byte) 0xFF})));
        item.put("ss", AttributeValue.fromSs(List.of("a", "b")));
        item.put("ns", AttributeValue.fromNs(List.of("1", "-2.5")));
        item.put("bs", AttributeValue.fromBs(List.of(SdkBytes.fromUtf8String("x"), SdkBytes.fromUtf8String("y"))));
        item.put("m", AttributeValue.fromM(Map.of("nested", AttributeValue.fromL(List.of(s("deep"), AttributeValue.fromNul(true))))));
        item.put("l", AttributeValue.fromL(List.of(n("1"), s("two"), AttributeValue.fromBool(false))));
        item.put("nul", AttributeValue.fromNul(true));
        item.put("bool", AttributeValue.fromBool(true));
        ddb.putItem(b -> b.tableName(table).item(item));

        Map<String, AttributeValue> got = ddb.getItem(b -> b.tableName(table).key(key("types", "1")).consistentRead(true)).item();
        assertThat(got).isEqualTo(item);
    }

    @Test
    void numbersAreNormalizedAndKeysCompareByValue() {
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("num"), "sk", n("1.50"), "v", n("0001e3"),
                "set", AttributeValue.fromNs(List.of("1.0", "20")))));
        Map<String, AttributeValue> got = ddb.getItem(b -> b.tableName(table).key(key("num", "1.5"))).item();
        assertThat(got.get("sk").n()).isEqualTo("1.5");
        assertThat(got.get("v").n()).isEqualTo("1000");
        assertThat(got.get("set").ns()).containsExactlyInAnyOrder("1", "20");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("num"), "sk", n("1"),
                "big", n("1" + "0".repeat(10) + "1" + "0".repeat(30) + ".5")))))
                .hasMessageStartingWith("Attempting to store more than 38 significant digits in a Number");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("num"), "sk", n("1"), "x", n("1E126")))))
                .hasMessageStartingWith("Number overflow.");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("num"), "sk", n("one")))))
                .hasMessageStartingWith("The parameter cannot be converted to a numeric value: one");
    }

    @Test
    void keysAreValidatedAsDynamoDbDoes() {
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("k")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Missing the key sk in the item");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", n("1"), "sk", n("1")))))
                .hasMessageStartingWith("One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N");
        assertThatThrownBy(() -> ddb.getItem(b -> b.tableName(table).key(Map.of("pk", s("k")))))
                .hasMessageStartingWith("The provided key element does not match the schema");
        assertThatThrownBy(() -> ddb.getItem(b -> b.tableName(table).key(Map.of("pk", s("k"), "sk", n("1"), "x", s("y")))))
                .hasMessageStartingWith("The provided key element does not match the schema");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s(""), "sk", n("1")))))
                .hasMessageStartingWith("One or more parameter values are not valid. The AttributeValue for a key attribute"
                        + " cannot contain an empty string value. Key: pk");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("x".repeat(2049)), "sk", n("1")))))
                .hasMessageContaining("Size of hashkey has exceeded the maximum size limit of2048 bytes");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("x".repeat(2048)), "sk", n("1"))));
        assertThatThrownBy(() -> ddb.getItem(b -> b.tableName("no-such-table").key(key("a", "1"))))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found");
    }

    @Test
    void setsMustBeNonEmptyAndDistinct() {
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("set"), "sk", n("1"),
                "ss", AttributeValue.fromSs(List.of())))))
                .hasMessageStartingWith("One or more parameter values were invalid: An string set  may not be empty");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("set"), "sk", n("1"),
                "ss", AttributeValue.fromSs(List.of("a", "a"))))))
                .hasMessageStartingWith("One or more parameter values were invalid: Input collection [a, a] contains duplicates.");
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("set"), "sk", n("1"),
                "ns", AttributeValue.fromNs(List.of("1", "1.0"))))))
                .hasMessageStartingWith("Input collection contains duplicates");
    }

    @Test
    void itemsLargerThan400KbAreRefused() {
        String big = "x".repeat(400 * 1024 - 20);
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "sk", n("1"), "d", s(big))));
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("big"), "sk", n("2"),
                "d", s(big + "x".repeat(100))))))
                .hasMessageStartingWith("Item size has exceeded the maximum allowed size");
    }

    @Test
    void returnValuesAndConsumedCapacity() {
        Map<String, AttributeValue> first = Map.of("pk", s("rv"), "sk", n("1"), "v", s("one"));
        PutItemResponse put = ddb.putItem(b -> b.tableName(table).item(first).returnValues(ReturnValue.ALL_OLD)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(put.hasAttributes()).isFalse();
        assertThat(put.consumedCapacity().capacityUnits()).isEqualTo(1.0);
        assertThat(put.consumedCapacity().tableName()).isEqualTo(table);

        PutItemResponse replaced = ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("rv"), "sk", n("1"), "v", s("two")))
                .returnValues(ReturnValue.ALL_OLD));
        assertThat(replaced.attributes()).isEqualTo(first);

        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(table).item(first).returnValues(ReturnValue.ALL_NEW)))
                .hasMessageStartingWith("ReturnValues can only be ALL_OLD or NONE");

        GetItemResponse eventually = ddb.getItem(b -> b.tableName(table).key(key("rv", "1"))
                .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
        assertThat(eventually.consumedCapacity().capacityUnits()).isEqualTo(0.5);
        assertThat(eventually.consumedCapacity().table().capacityUnits()).isEqualTo(0.5);
        GetItemResponse strongly = ddb.getItem(b -> b.tableName(table).key(key("rv", "1")).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        assertThat(strongly.consumedCapacity().capacityUnits()).isEqualTo(1.0);

        String twoKb = "y".repeat(2000);
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("rv"), "sk", n("2"), "d", s(twoKb))));
        PutItemResponse bigPut = ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("rv"), "sk", n("2")))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        // A write is charged for the larger of the old and new item: ~2 KB -> 2 units.
        assertThat(bigPut.consumedCapacity().capacityUnits()).isEqualTo(2.0);

        DeleteItemResponse deleted = ddb.deleteItem(b -> b.tableName(table).key(key("rv", "1")).returnValues(ReturnValue.ALL_OLD));
        assertThat(deleted.attributes().get("v").s()).isEqualTo("two");
        assertThat(ddb.getItem(b -> b.tableName(table).key(key("rv", "1"))).hasItem()).isFalse();
    }

    @Test
    void attributesToGetProjectsTopLevelAttributes() {
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", s("proj"), "sk", n("1"), "a", s("1"), "b", s("2"))));
        Map<String, AttributeValue> got = ddb.getItem(b -> b.tableName(table).key(key("proj", "1")).attributesToGet("a", "missing")).item();
        assertThat(got).containsOnlyKeys("a");
    }

    @Test
    void updateItemWithAttributeUpdates() {
        Map<String, AttributeValue> k = key("upd", "1");
        UpdateItemResponse created = ddb.updateItem(b -> b.tableName(table).key(k)
                .attributeUpdates(Map.of(
                        "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("5")).build(),
                        "tags", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromSs(List.of("a", "b"))).build(),
                        "name", AttributeValueUpdate.builder().value(s("first")).build()))
                .returnValues(ReturnValue.ALL_NEW));
        assertThat(created.attributes()).containsEntry("count", n("5")).containsEntry("name", s("first"))
                .containsEntry("pk", s("upd"));

        UpdateItemResponse updated = ddb.updateItem(b -> b.tableName(table).key(k)
                .attributeUpdates(Map.of(
                        "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(n("-1.5")).build(),
                        "tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE).value(AttributeValue.fromSs(List.of("a"))).build(),
                        "name", AttributeValueUpdate.builder().action(AttributeAction.DELETE).build()))
                .returnValues(ReturnValue.UPDATED_OLD));
        assertThat(updated.attributes()).containsOnlyKeys("count", "tags", "name");
        assertThat(updated.attributes().get("count").n()).isEqualTo("5");

        Map<String, AttributeValue> now = ddb.getItem(b -> b.tableName(table).key(k)).item();
        assertThat(now.get("count").n()).isEqualTo("3.5");
        assertThat(now.get("tags").ss()).containsExactly("b");
        assertThat(now).doesNotContainKey("name");

        ddb.updateItem(b -> b.tableName(table).key(k).attributeUpdates(Map.of(
                "tags", AttributeValueUpdate.builder().action(AttributeAction.DELETE).value(AttributeValue.fromSs(List.of("b"))).build())));
        assertThat(ddb.getItem(b -> b.tableName(table).key(k)).item()).doesNotContainKey("tags");

        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).attributeUpdates(Map.of(
                "pk", AttributeValueUpdate.builder().value(s("x")).build()))))
                .hasMessageStartingWith("One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).attributeUpdates(Map.of(
                "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(s("x")).build()))))
                .hasMessageStartingWith("One or more parameter values were invalid: ADD action is not supported for the type S");
        assertThatThrownBy(() -> ddb.updateItem(b -> b.tableName(table).key(k).attributeUpdates(Map.of(
                "count", AttributeValueUpdate.builder().action(AttributeAction.ADD).value(AttributeValue.fromSs(List.of("z"))).build()))))
                .hasMessageContaining("Type mismatch for attribute to update");
    }

    @Test
    void binaryHashKeyTable() {
        Map<String, AttributeValue> k = Map.of("id", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[] {1, 2, 3})));
        ddb.putItem(b -> b.tableName(hashOnly).item(k));
        assertThat(ddb.getItem(b -> b.tableName(hashOnly).key(k)).item()).isEqualTo(k);
        assertThatThrownBy(() -> ddb.putItem(b -> b.tableName(hashOnly).item(Map.of("id", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[0]))))))
                .hasMessageContaining("cannot contain an empty binary value. Key: id");
    }

    @Test
    void itemCountReflectsWrites() {
        String t = TablesIT.uniqueName("count");
        ddb.createTable(TablesIT.hashAndRange(t).build());
        for (int i = 0; i < 3; i++) {
            String sk = Integer.toString(i);
            ddb.putItem(b -> b.tableName(t).item(key("c", sk)));
        }
        TableDescription d = ddb.describeTable(b -> b.tableName(t)).table();
        assertThat(d.itemCount()).isEqualTo(3);
        assertThat(d.tableSizeBytes()).isPositive();
    }

    @Test
    void asyncClientWorksToo() throws Exception {
        try (DynamoDbAsyncClient async = Clients.async(server.endpoint())) {
            async.putItem(b -> b.tableName(table).item(Map.of("pk", s("async"), "sk", n("1"), "v", s("x")))).get();
            GetItemResponse got = async.getItem(b -> b.tableName(table).key(key("async", "1"))).get();
            assertThat(got.item().get("v").s()).isEqualTo("x");
            assertThat(async.listTables().get().tableNames()).contains(table);
        }
    }
}

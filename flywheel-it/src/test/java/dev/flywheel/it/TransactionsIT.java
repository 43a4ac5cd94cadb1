package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.Document;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** TransactWriteItems and TransactGetItems through the SDK v2 and its Enhanced Client. */
class TransactionsIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static String table;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        table = TablesIT.uniqueName("txn");
        ddb.createTable(TablesIT.hashAndRange(table).build());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    private static Map<String, AttributeValue> key(String pk, int sk) {
        return Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN(Integer.toString(sk)));
    }

    private static Map<String, AttributeValue> get(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(key).consistentRead(true)).item();
        return item.isEmpty() ? null : item;
    }

    @Test
    void putUpdateDeleteAndConditionCheckApplyTogether() {
        String pk = TablesIT.uniqueName("p");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("2"),
                "n", AttributeValue.fromN("5"))));
        ddb.putItem(b -> b.tableName(table).item(key(pk, 3)));
        TransactWriteItemsResponse response = ddb.transactWriteItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                .transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk),
                                "sk", AttributeValue.fromN("1"), "v", AttributeValue.fromS("new")))
                                .conditionExpression("attribute_not_exists(pk)")).build(),
                        TransactWriteItem.builder().update(u -> u.tableName(table).key(key(pk, 2))
                                .updateExpression("SET n = n + :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build(),
                        TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(pk, 3))).build(),
                        TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(pk, 4))
                                .conditionExpression("attribute_not_exists(pk)")).build()));
        assertThat(get(key(pk, 1))).containsEntry("v", AttributeValue.fromS("new"));
        assertThat(get(key(pk, 2))).containsEntry("n", AttributeValue.fromN("6"));
        assertThat(get(key(pk, 3))).isNull();
        assertThat(get(key(pk, 4))).isNull();
        assertThat(response.consumedCapacity()).singleElement()
                .satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(8.0)); // 4 items, 2 units each
    }

    @Test
    void aFailedConditionCancelsTheTransactionWithReasonsInOrder() {
        String pk = TablesIT.uniqueName("p");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("2"),
                "state", AttributeValue.fromS("closed"))));
        TransactionCanceledException e = catchThrowableOfType(TransactionCanceledException.class,
                () -> ddb.transactWriteItems(b -> b.transactItems(
                        TransactWriteItem.builder().put(p -> p.tableName(table).item(key(pk, 1))).build(),
                        TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(pk, 2))
                                .conditionExpression("#s = :open").expressionAttributeNames(Map.of("#s", "state"))
                                .expressionAttributeValues(Map.of(":open", AttributeValue.fromS("open")))
                                .returnValuesOnConditionCheckFailure("ALL_OLD")).build())));
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(
                "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
        assertThat(e.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "ConditionalCheckFailed");
        assertThat(e.cancellationReasons().get(1).message()).isEqualTo("The conditional request failed");
        assertThat(e.cancellationReasons().get(1).item()).containsEntry("state", AttributeValue.fromS("closed"));
        assertThat(get(key(pk, 1))).isNull();
    }

    @Test
    void twoActionsOnOneItemAreRefused() {
        String pk = TablesIT.uniqueName("p");
        assertThatThrownBy(() -> ddb.transactWriteItems(b -> b.transactItems(
                TransactWriteItem.builder().put(p -> p.tableName(table).item(key(pk, 1))).build(),
                TransactWriteItem.builder().conditionCheck(c -> c.tableName(table).key(key(pk, 1))
                        .conditionExpression("attribute_not_exists(pk)")).build())))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("Transaction request cannot include multiple operations on one item");
    }

    @Test
    void aRepeatedClientRequestTokenAppliesOnce() {
        String pk = TablesIT.uniqueName("p");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("1"),
                "n", AttributeValue.fromN("0"))));
        TransactWriteItem increment = TransactWriteItem.builder().update(u -> u.tableName(table).key(key(pk, 1))
                .updateExpression("ADD n :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))).build();
        String token = TablesIT.uniqueName("token");
        ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(increment));
        ddb.transactWriteItems(b -> b.clientRequestToken(token).transactItems(increment));
        assertThat(get(key(pk, 1))).containsEntry("n", AttributeValue.fromN("1"));
        assertThatThrownBy(() -> ddb.transactWriteItems(b -> b.clientRequestToken(token)
                .transactItems(TransactWriteItem.builder().delete(d -> d.tableName(table).key(key(pk, 1))).build())))
                .isInstanceOf(IdempotentParameterMismatchException.class);
    }

    @Test
    void transactGetItemsAnswersInRequestOrderWithProjections() {
        String pk = TablesIT.uniqueName("p");
        ddb.putItem(b -> b.tableName(table).item(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromN("1"),
                "a", AttributeValue.fromS("x"), "b", AttributeValue.fromS("y"))));
        var response = ddb.transactGetItems(b -> b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).transactItems(
                t -> t.get(g -> g.tableName(table).key(key(pk, 2))),
                t -> t.get(g -> g.tableName(table).key(key(pk, 1)).projectionExpression("a"))));
        assertThat(response.responses()).hasSize(2);
        assertThat(response.responses().get(0).item()).isEmpty();
        assertThat(response.responses().get(1).item()).isEqualTo(Map.of("a", AttributeValue.fromS("x")));
        assertThat(response.consumedCapacity()).singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(4.0));
    }

    @DynamoDbBean
    public static class Account {
        private String id;
        private long balance;

        @DynamoDbPartitionKey
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public long getBalance() { return balance; }
        public void setBalance(long balance) { this.balance = balance; }
    }

    private static Account account(String id, long balance) {
        Account a = new Account();
        a.setId(id);
        a.setBalance(balance);
        return a;
    }

    @Test
    void theEnhancedClientWritesAndReadsTransactionally() {
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build();
        DynamoDbTable<Account> accounts = enhanced.table(TablesIT.uniqueName("accounts"), TableSchema.fromBean(Account.class));
        accounts.createTable();
        enhanced.transactWriteItems(b -> b.addPutItem(accounts, account("alice", 100)).addPutItem(accounts, account("bob", 50)));
        List<Document> read = enhanced.transactGetItems(b -> b
                .addGetItem(accounts, Key.builder().partitionValue("alice").build())
                .addGetItem(accounts, Key.builder().partitionValue("bob").build()));
        assertThat(read).extracting(d -> d.getItem(accounts).getBalance()).containsExactly(100L, 50L);
    }
}

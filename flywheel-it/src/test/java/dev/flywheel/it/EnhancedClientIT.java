package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;
import software.amazon.awssdk.enhanced.dynamodb.extensions.annotations.DynamoDbVersionAttribute;
import software.amazon.awssdk.enhanced.dynamodb.model.PutItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/** The SDK's Enhanced Client: a bean schema, conditional puts, optimistic locking. */
class EnhancedClientIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;
    private static DynamoDbTable<Account> accounts;

    @DynamoDbBean
    public static class Account {
        private String id;
        private long balance;
        private Long version;

        @DynamoDbPartitionKey
        public String getId() { return id; }
        public void setId(String id) { this.id = id; }
        public long getBalance() { return balance; }
        public void setBalance(long balance) { this.balance = balance; }
        @DynamoDbVersionAttribute
        public Long getVersion() { return version; }
        public void setVersion(Long version) { this.version = version; }
    }

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
        DynamoDbEnhancedClient enhanced = DynamoDbEnhancedClient.builder().dynamoDbClient(ddb).build();
        accounts = enhanced.table(TablesIT.uniqueName("accounts"), TableSchema.fromBean(Account.class));
        accounts.createTable();
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    @Test
    void optimisticLockingRejectsAStaleWrite() {
        Account a = new Account();
        a.setId("alice");
        a.setBalance(10);
        accounts.putItem(a);
        Account first = accounts.getItem(Key.builder().partitionValue("alice").build());
        Account second = accounts.getItem(Key.builder().partitionValue("alice").build());
        assertThat(first.getVersion()).isEqualTo(1L);

        first.setBalance(20);
        accounts.updateItem(first);
        second.setBalance(30);
        assertThatThrownBy(() -> accounts.updateItem(second)).isInstanceOf(ConditionalCheckFailedException.class);

        Account now = accounts.getItem(Key.builder().partitionValue("alice").build());
        assertThat(now.getBalance()).isEqualTo(20);
        assertThat(now.getVersion()).isEqualTo(2L);
    }

    @Test
    void conditionalPut() {
        Account b = new Account();
        b.setId("bob");
        b.setBalance(5);
        accounts.putItem(b);
        Account replacement = new Account();
        replacement.setId("bob");
        replacement.setBalance(0);
        replacement.setVersion(1L);
        Expression onlyIfRich = Expression.builder().expression("balance > :min")
                .putExpressionValue(":min", AttributeValue.fromN("100")).build();
        assertThatThrownBy(() -> accounts.putItem(PutItemEnhancedRequest.builder(Account.class).item(replacement)
                .conditionExpression(onlyIfRich).build()))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThat(accounts.scan().items().stream().map(Account::getId)).contains("bob");
    }
}

package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Isolation under load: threads transfer amounts between accounts with TransactWriteItems while others
 * read every account with TransactGetItems and a plain writer touches the accounts beside the balance.
 * The total never changes, in any read and at the end; a plain write meets TransactionConflictException
 * or succeeds, never breaks a transaction.
 */
class TransactionConcurrencyIT {
    static final int ACCOUNTS = 6;
    static final long OPENING_BALANCE = 1_000;
    private static final int TRANSFERRERS = 4;
    private static final int TRANSFERS_EACH = 100;

    static void createAccounts(DynamoDbClient ddb, String table) {
        ddb.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("id").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("id").keyType(KeyType.HASH).build()));
        for (int i = 0; i < ACCOUNTS; i++) {
            String id = "acct" + i;
            ddb.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS(id),
                    "balance", AttributeValue.fromN(Long.toString(OPENING_BALANCE)))));
        }
    }

    static Map<String, AttributeValue> account(int i) {
        return Map.of("id", AttributeValue.fromS("acct" + i));
    }

    /** Moves a random amount between two random accounts; false if cancelled (a conflict, or too little money). */
    static boolean transfer(DynamoDbClient ddb, String table, Random random) {
        int from = random.nextInt(ACCOUNTS), to = (from + 1 + random.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
        String amount = Integer.toString(1 + random.nextInt(50));
        try {
            ddb.transactWriteItems(b -> b.transactItems(
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(account(from))
                            .updateExpression("SET balance = balance - :a").conditionExpression("balance >= :a")
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromN(amount)))).build(),
                    TransactWriteItem.builder().update(u -> u.tableName(table).key(account(to))
                            .updateExpression("SET balance = balance + :a")
                            .expressionAttributeValues(Map.of(":a", AttributeValue.fromN(amount)))).build()));
            return true;
        } catch (TransactionCanceledException cancelled) {
            return false;
        }
    }

    /** The sum of the balances as TransactGetItems reads them, or -1 if it was cancelled by a transaction in flight. */
    static long total(DynamoDbClient ddb, String table) {
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < ACCOUNTS; i++) {
            int n = i;
            gets.add(TransactGetItem.builder().get(g -> g.tableName(table).key(account(n))).build());
        }
        try {
            long sum = 0;
            for (ItemResponse r : ddb.transactGetItems(b -> b.transactItems(gets)).responses()) {
                sum += Long.parseLong(r.item().get("balance").n());
            }
            return sum;
        } catch (TransactionCanceledException conflict) {
            return -1;
        }
    }

    @Test
    void theTotalNeverChanges() throws Exception {
        try (InProcessServer server = new InProcessServer(); DynamoDbClient setup = Clients.sync(server.endpoint())) {
            String table = TablesIT.uniqueName("bank");
            createAccounts(setup, table);
            long expected = ACCOUNTS * OPENING_BALANCE;
            AtomicBoolean done = new AtomicBoolean();
            AtomicInteger committed = new AtomicInteger(), reads = new AtomicInteger(), conflicts = new AtomicInteger();
            Map<Long, Integer> wrongTotals = new HashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(TRANSFERRERS + 3);
            List<Future<?>> transferrers = new ArrayList<>();
            for (int t = 0; t < TRANSFERRERS; t++) {
                long seed = 42 + t;
                transferrers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                        for (int i = 0; i < TRANSFERS_EACH; i++) if (transfer(ddb, table, random)) committed.incrementAndGet();
                    }
                    return null;
                }));
            }
            List<Future<?>> others = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                others.add(pool.submit(() -> {
                    try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                        while (!done.get()) {
                            long total = total(ddb, table);
                            if (total < 0) continue;
                            reads.incrementAndGet();
                            if (total != expected) synchronized (wrongTotals) { wrongTotals.merge(total, 1, Integer::sum); }
                        }
                    }
                    return null;
                }));
            }
            others.add(pool.submit(() -> {
                Random random = new Random(7);
                try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                    while (!done.get()) {
                        try {
                            ddb.updateItem(b -> b.tableName(table).key(account(random.nextInt(ACCOUNTS)))
                                    .updateExpression("ADD visits :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                        } catch (TransactionConflictException expectedSometimes) {
                            conflicts.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
            for (Future<?> f : transferrers) f.get();
            done.set(true);
            for (Future<?> f : others) f.get();
            pool.shutdown();

            System.out.printf("transactions: %d committed of %d; %d consistent reads; %d plain writes refused%n",
                    committed.get(), TRANSFERRERS * TRANSFERS_EACH, reads.get(), conflicts.get());
            assertThat(wrongTotals).as("totals TransactGetItems saw besides %d", expected).isEmpty();
            assertThat(committed.get()).isPositive();
            assertThat(reads.get()).isPositive();
            assertThat(total(setup, table)).isEqualTo(expected);
            long scanned = setup.scan(b -> b.tableName(table).consistentRead(true)).items().stream()
                    .mapToLong(item -> Long.parseLong(item.get("balance").n())).sum();
            assertThat(scanned).isEqualTo(expected);
        }
    }
}

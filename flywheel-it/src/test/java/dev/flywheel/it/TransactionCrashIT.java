package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.IdempotentParameterMismatchException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * Transactions survive {@code kill -9}: under a load of transfers between accounts, the server is
 * killed; after the restart every transaction is all or nothing (the total is what it was), and no
 * item stays locked (plain writes and new transactions succeed on every account). ClientRequestTokens
 * survive it too.
 */
@Tag("slow")
class TransactionCrashIT {
    private static final int WRITERS = 4;
    private static final int TRANSFERS_BEFORE_KILL = 60;

    /** Rounds of load, kill -9, restart and check on the same data: each is a chance to kill a transaction in flight. */
    private static final int ROUNDS = 2;

    @Test
    void transactionsInFlightAtKill9AreAllOrNothingAfterRestart(@TempDir Path dataDir) throws Exception {
        try (ServerProcess server = ServerProcess.jar(dataDir); DynamoDbClient ddb = Clients.sync(server.endpoint())) {
            TransactionConcurrencyIT.createAccounts(ddb, "bank");
        }
        for (int round = 0; round < ROUNDS; round++) killUnderLoadThenCheck(dataDir);
    }

    /**
     * ClientRequestTokens are kept durably: a retry of a transaction that completed before kill -9 is
     * answered after the restart without running again, and the token with another request is refused.
     */
    @Test
    void aRetryWithItsClientRequestTokenAfterKill9DoesNotRunAgain(@TempDir Path dataDir) throws Exception {
        String table = "tokens";
        String token = "transfer-0001";
        try (ServerProcess server = ServerProcess.jar(dataDir); DynamoDbClient ddb = Clients.sync(server.endpoint())) {
            TransactionConcurrencyIT.createAccounts(ddb, table);
            ddb.transactWriteItems(move(table, token, "10"));
            server.kill();
        }
        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient ddb = Clients.sync(restarted.endpoint())) {
            ddb.transactWriteItems(move(table, token, "10"));
            assertThat(balance(ddb, table, 0)).isEqualTo(TransactionConcurrencyIT.OPENING_BALANCE - 10);
            assertThat(balance(ddb, table, 1)).isEqualTo(TransactionConcurrencyIT.OPENING_BALANCE + 10);
            assertThatThrownBy(() -> ddb.transactWriteItems(move(table, token, "20")))
                    .isInstanceOf(IdempotentParameterMismatchException.class);
        }
    }

    /**
     * A plain write to the account, retried on TransactionConflictException for up to {@code patience}:
     * it throws that if a transaction's lock outlives it.
     */
    private static void visit(DynamoDbClient ddb, String table, int account, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                ddb.updateItem(b -> b.tableName(table).key(TransactionConcurrencyIT.account(account))
                        .updateExpression("ADD visits :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
                return;
            } catch (TransactionConflictException locked) {
                if (System.nanoTime() > deadline) throw locked;
                Thread.sleep(500);
            }
        }
    }

    /** Moves {@code amount} from account 0 to account 1, with {@code token}. */
    private static TransactWriteItemsRequest move(String table, String token, String amount) {
        Map<String, AttributeValue> values = Map.of(":a", AttributeValue.fromN(amount));
        return TransactWriteItemsRequest.builder().clientRequestToken(token).transactItems(
                TransactWriteItem.builder().update(u -> u.tableName(table).key(TransactionConcurrencyIT.account(0))
                        .updateExpression("SET balance = balance - :a").expressionAttributeValues(values)).build(),
                TransactWriteItem.builder().update(u -> u.tableName(table).key(TransactionConcurrencyIT.account(1))
                        .updateExpression("SET balance = balance + :a").expressionAttributeValues(values)).build()).build();
    }

    private static long balance(DynamoDbClient ddb, String table, int account) {
        return Long.parseLong(ddb.getItem(b -> b.tableName(table).key(TransactionConcurrencyIT.account(account))
                .consistentRead(true)).item().get("balance").n());
    }

    private void killUnderLoadThenCheck(Path dataDir) throws Exception {
        String table = "bank";
        long expected = TransactionConcurrencyIT.ACCOUNTS * TransactionConcurrencyIT.OPENING_BALANCE;
        AtomicInteger committed = new AtomicInteger();
        try (ServerProcess server = ServerProcess.jar(dataDir)) {
            CountDownLatch enough = new CountDownLatch(WRITERS);
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                long seed = w;
                writers.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    try (DynamoDbClient ddb = Clients.sync(server.endpoint())) {
                        for (int i = 0; ; i++) {
                            if (TransactionConcurrencyIT.transfer(ddb, table, random)) committed.incrementAndGet();
                            if (i == TRANSFERS_BEFORE_KILL) enough.countDown();
                        }
                    } catch (RuntimeException killed) {
                        // the server died under us: stop
                    }
                    return null;
                }));
            }
            enough.await();
            server.kill();
            for (Future<?> f : writers) f.get();
            pool.shutdown();
        }
        assertThat(committed.get()).isPositive();

        try (ServerProcess restarted = ServerProcess.jar(dataDir);
             DynamoDbClient ddb = Clients.sync(restarted.endpoint())) {
            if (!InProcessServer.ON_CASSANDRA) {
                // The embedded storage has one server: it finishes every transaction record as it starts.
                long scanned = ddb.scan(b -> b.tableName(table).consistentRead(true)).items().stream()
                        .mapToLong(item -> Long.parseLong(item.get("balance").n())).sum();
                assertThat(scanned).as("total after kill -9 and restart").isEqualTo(expected);
            }
            // On Cassandra other servers may share the data, so a restarted one does not finish their
            // transactions: a lock holds until its transaction's lease (10 s) is over, then a write finishes it.
            Duration patience = InProcessServer.ON_CASSANDRA ? Duration.ofSeconds(60) : Duration.ZERO;
            for (int i = 0; i < TransactionConcurrencyIT.ACCOUNTS; i++) visit(ddb, table, i, patience);
            assertThat(TransactionConcurrencyIT.total(ddb, table)).as("total after kill -9 and restart").isEqualTo(expected);
            assertThat(TransactionConcurrencyIT.transfer(ddb, table, new Random(1))).isTrue();
            // Whether a transaction was caught in flight depends on timing: reported, not asserted.
            System.out.printf("%d transfers committed before kill -9; recovered at restart: %s%n", committed.get(),
                    restarted.output().lines().filter(line -> line.contains("by recovery")).toList());
        }
    }
}

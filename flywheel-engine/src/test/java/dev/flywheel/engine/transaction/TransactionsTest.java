package dev.flywheel.engine.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.flywheel.engine.EngineConfig;
import dev.flywheel.engine.FlywheelEngine;
import dev.flywheel.engine.MutableClock;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.IdempotentParameterMismatchException;
import dev.flywheel.model.DynamoDbException.InternalServerError;
import dev.flywheel.model.DynamoDbException.TransactionCanceledException;
import dev.flywheel.model.DynamoDbException.TransactionConflictException;
import dev.flywheel.model.DynamoDbException.TransactionInProgressException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BatchWriteItemInput;
import dev.flywheel.model.shapes.BatchWriteItemOutput;
import dev.flywheel.model.shapes.CancellationReason;
import dev.flywheel.model.shapes.ConditionCheck;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.Delete;
import dev.flywheel.model.shapes.Get;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Put;
import dev.flywheel.model.shapes.PutRequest;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.TransactGetItem;
import dev.flywheel.model.shapes.TransactGetItemsInput;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import dev.flywheel.model.shapes.TransactWriteItemsOutput;
import dev.flywheel.model.shapes.Update;
import dev.flywheel.model.shapes.WriteRequest;
import dev.flywheel.storage.StorageException;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TransactWriteItems and TransactGetItems on the engine: semantics, conflicts, and recovery after a crash at every step. */
class TransactionsTest {
    private final TreeMapStorage disk = new TreeMapStorage();
    private final CrashingStorage storage = new CrashingStorage(disk);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final EngineConfig config = new EngineConfig("us-east-1", "000000000000", "localhost:8000", clock);
    private FlywheelEngine engine;

    @BeforeEach
    void createTable() {
        engine = new FlywheelEngine(storage, config);
        engine.createTable(CreateTableInput.builder().tableName("accounts").billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("id", "S")))
                .keySchema(List.of(new KeySchemaElement("id", "HASH"))).build());
        for (String id : List.of("a", "b", "c")) {
            engine.putItem(PutItemInput.builder().tableName("accounts")
                    .item(Map.of("id", AttributeValue.s(id), "balance", AttributeValue.n(100))).build());
        }
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("id", AttributeValue.s(id));
    }

    private static TransactWriteItem add(String id, long amount) {
        return TransactWriteItem.builder().update(Update.builder().tableName("accounts").key(key(id))
                .updateExpression("SET balance = balance + :d").conditionExpression("balance >= :min")
                .expressionAttributeValues(Map.of(":d", AttributeValue.n(amount), ":min", AttributeValue.n(-amount)))
                .build()).build();
    }

    private static TransactWriteItemsInput transfer(long amount) {
        return TransactWriteItemsInput.builder().transactItems(List.of(add("a", -amount), add("b", amount),
                TransactWriteItem.builder().put(Put.builder().tableName("accounts")
                        .item(Map.of("id", AttributeValue.s("log"), "last", AttributeValue.n(amount))).build()).build())).build();
    }

    private long balance(FlywheelEngine e, String id) {
        Map<String, AttributeValue> item = e.getItem(GetItemInput.builder().tableName("accounts").key(key(id)).build()).item();
        return item == null ? -1 : Long.parseLong(((AttributeValue.N) item.get("balance")).value());
    }

    @Test
    void allActionsApplyTogether() {
        TransactWriteItemsOutput out = engine.transactWriteItems(transfer(30).toBuilder().returnConsumedCapacity("TOTAL").build());
        assertThat(balance(engine, "a")).isEqualTo(70);
        assertThat(balance(engine, "b")).isEqualTo(130);
        // Three items of under 1 KB, each written at twice the cost of a PutItem.
        assertThat(out.consumedCapacity()).singleElement().satisfies(c -> assertThat(c.capacityUnits()).isEqualTo(6.0));
        assertThat(records(disk)).isEmpty();
    }

    @Test
    void aFailedConditionCancelsEverythingWithOneReasonPerAction() {
        TransactWriteItemsInput request = TransactWriteItemsInput.builder().transactItems(List.of(add("a", 10),
                TransactWriteItem.builder().conditionCheck(ConditionCheck.builder().tableName("accounts").key(key("b"))
                        .conditionExpression("balance > :x").expressionAttributeValues(Map.of(":x", AttributeValue.n(1000)))
                        .returnValuesOnConditionCheckFailure("ALL_OLD").build()).build(),
                TransactWriteItem.builder().delete(Delete.builder().tableName("accounts").key(key("c"))
                        .conditionExpression("attribute_not_exists(id)").build()).build())).build();
        TransactionCanceledException e = catchThrowableOfType(TransactionCanceledException.class,
                () -> engine.transactWriteItems(request));
        assertThat(e.getMessage()).isEqualTo("Transaction cancelled, please refer cancellation reasons for specific reasons"
                + " [None, ConditionalCheckFailed, ConditionalCheckFailed]");
        assertThat(e.cancellationReasons()).extracting(CancellationReason::code)
                .containsExactly("None", "ConditionalCheckFailed", "ConditionalCheckFailed");
        assertThat(e.cancellationReasons().get(1).item()).containsEntry("balance", AttributeValue.n(100));
        assertThat(e.cancellationReasons().get(2).item()).isNull();
        assertThat(balance(engine, "a")).isEqualTo(100);
        assertThat(balance(engine, "c")).isEqualTo(100);
        // Nothing stays locked.
        engine.putItem(PutItemInput.builder().tableName("accounts").item(Map.of("id", AttributeValue.s("a"))).build());
    }

    @Test
    void oneItemTwiceIsRefused() {
        assertThatThrownBy(() -> engine.transactWriteItems(TransactWriteItemsInput.builder()
                .transactItems(List.of(add("a", 1), add("a", 2))).build()))
                .isInstanceOf(ValidationException.class)
                .hasMessage("Transaction request cannot include multiple operations on one item");
    }

    @Test
    void aClientRequestTokenMakesTheRequestIdempotent() {
        TransactWriteItemsInput request = transfer(5).toBuilder().clientRequestToken("token-1").build();
        engine.transactWriteItems(request);
        engine.transactWriteItems(request);
        assertThat(balance(engine, "a")).isEqualTo(95);
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(6).toBuilder().clientRequestToken("token-1").build()))
                .isInstanceOf(IdempotentParameterMismatchException.class);
    }

    @Test
    void aClientRequestTokenOutlivesARestartForTenMinutes() {
        TransactWriteItemsInput request = transfer(5).toBuilder().clientRequestToken("token-2")
                .returnConsumedCapacity("TOTAL").build();
        assertThat(engine.transactWriteItems(request).consumedCapacity()).singleElement()
                .satisfies(c -> assertThat(c.writeCapacityUnits()).isEqualTo(6.0));
        engine.close();
        engine = new FlywheelEngine(storage, config);
        // A retry after the restart is answered without running again; it reports reading the items.
        TransactWriteItemsOutput again = engine.transactWriteItems(request);
        assertThat(balance(engine, "a")).isEqualTo(95);
        assertThat(again.consumedCapacity()).singleElement().satisfies(c -> {
            assertThat(c.capacityUnits()).isEqualTo(3.0);
            assertThat(c.readCapacityUnits()).isEqualTo(3.0);
        });
        // Any other parameter differing is another request (API Reference).
        assertThatThrownBy(() -> engine.transactWriteItems(request.toBuilder().returnConsumedCapacity("NONE").build()))
                .isInstanceOf(IdempotentParameterMismatchException.class);

        clock.advance(Duration.ofMinutes(10));
        assertThat(engine.forgetExpiredTokensNow()).isEqualTo(1);
        engine.transactWriteItems(request); // expired: it runs again
        assertThat(balance(engine, "a")).isEqualTo(90);
    }

    @Test
    void aTokenWhoseTransactionIsInFlightIsRefusedUntilItsLeasePasses() {
        TransactWriteItemsInput request = transfer(5).toBuilder().clientRequestToken("token-3").build();
        storage.crashAfter(1 + 3); // the coordinator dies with every item locked
        assertThatThrownBy(() -> engine.transactWriteItems(request)).isInstanceOf(StorageException.class);
        storage.heal();

        assertThatThrownBy(() -> engine.transactWriteItems(request))
                .isInstanceOf(TransactionInProgressException.class)
                .hasMessage("Transaction from previous request is still in progress");
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(6).toBuilder().clientRequestToken("token-3").build()))
                .isInstanceOf(IdempotentParameterMismatchException.class);

        clock.advance(TransactionCoordinator.LEASE);
        engine.transactWriteItems(request); // the abandoned one is rolled back first, then this one runs
        assertThat(balance(engine, "a")).isEqualTo(95);
        assertThat(balance(engine, "b")).isEqualTo(105);
        assertThat(records(disk)).isEmpty();
    }

    @Test
    void locksAStorageFailureLeftBehindAreReleasedOnceTheLeasePasses() {
        storage.crashAfter(1 + 3); // the storage fails between the locks and the commit point, for good
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        storage.heal();
        PutItemInput write = PutItemInput.builder().tableName("accounts")
                .item(Map.of("id", AttributeValue.s("a"), "balance", AttributeValue.n(1))).build();
        assertThatThrownBy(() -> engine.putItem(write)).isInstanceOf(TransactionConflictException.class);

        clock.advance(TransactionCoordinator.LEASE);
        engine.putItem(write); // meets the abandoned lock: its transaction is rolled back, the write goes on
        assertThat(balance(engine, "a")).isEqualTo(1);
        assertThat(balance(engine, "b")).isEqualTo(100);
        assertThat(records(disk)).isEmpty();
        engine.putItem(PutItemInput.builder().tableName("accounts").item(Map.of("id", AttributeValue.s("b"))).build());
    }

    @Test
    void aCommittedTransactionAStorageFailureInterruptedIsCompletedByTheRecoveryPass() {
        storage.crashAfter(1 + 3 + 1 + 1); // committed, one item written, then the storage fails for good
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        storage.heal();
        assertThat(engine.recoverAbandonedTransactions()).isZero(); // within its lease: left to its coordinator

        clock.advance(TransactionCoordinator.LEASE);
        engine.recoverAbandonedTransactions(); // (or the engine's own recovery thread, which runs too)
        assertThat(records(disk)).isEmpty();
        assertThat(balance(engine, "a")).isEqualTo(90);
        assertThat(balance(engine, "b")).isEqualTo(110);
        assertThat(logged(engine)).isEqualTo(10);
    }

    @Test
    void aCoordinatorThatOutlivesItsLeaseLosesItsTransaction() {
        // Just before the commit point, the lease has passed and recovery rolls the transaction back.
        storage.beforeChange(1 + 3, () -> {
            clock.advance(TransactionCoordinator.LEASE);
            engine.recoverAbandonedTransactions();
        });
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10)))
                .isInstanceOf(InternalServerError.class);
        assertThat(balance(engine, "a")).isEqualTo(100);
        assertThat(balance(engine, "b")).isEqualTo(100);
        assertThat(logged(engine)).isEqualTo(-1);
        assertThat(records(disk)).isEmpty();
        for (String id : List.of("a", "b", "log")) {
            engine.putItem(PutItemInput.builder().tableName("accounts").item(Map.of("id", AttributeValue.s(id))).build());
        }
    }

    @Test
    void aLockWhoseTransactionWasRolledBackUnderItIsReleasedByTheNextWrite() {
        // Recovery rolls the transaction back after its first lock; its coordinator takes a second lock,
        // then dies: that lock belongs to no recorded transaction.
        storage.beforeChange(1 + 1, () -> {
            clock.advance(TransactionCoordinator.LEASE);
            engine.recoverAbandonedTransactions();
            storage.crashAfter(1);
        });
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        storage.heal();
        assertThat(records(disk)).isEmpty();
        engine.putItem(PutItemInput.builder().tableName("accounts")
                .item(Map.of("id", AttributeValue.s("b"), "balance", AttributeValue.n(7))).build());
        assertThat(balance(engine, "b")).isEqualTo(7);
    }

    @Test
    void aServerStartingOnASharedStorageLeavesTheTransactionsOfOthersInFlightAlone() {
        engine.close();
        storage.share();
        engine = new FlywheelEngine(storage, config);
        // Between its locks and its commit point, another server starts over the same storage.
        FlywheelEngine[] other = new FlywheelEngine[1];
        storage.beforeChange(1 + 3, () -> other[0] = new FlywheelEngine(storage, config));
        try {
            engine.transactWriteItems(transfer(10));
        } finally {
            if (other[0] != null) other[0].close();
        }
        assertThat(other[0]).isNotNull();
        assertThat(balance(engine, "a")).isEqualTo(90);
        assertThat(balance(engine, "b")).isEqualTo(110);
        assertThat(records(disk)).isEmpty();
    }

    @Test
    void aBatchWriteReturnsTheItemsATransactionHoldsAsUnprocessed() {
        storage.crashAfter(1 + 3);
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        storage.heal();
        WriteRequest toA = WriteRequest.builder().putRequest(PutRequest.builder()
                .item(Map.of("id", AttributeValue.s("a"), "balance", AttributeValue.n(1))).build()).build();
        WriteRequest toC = WriteRequest.builder().putRequest(PutRequest.builder()
                .item(Map.of("id", AttributeValue.s("c"), "balance", AttributeValue.n(2))).build()).build();
        BatchWriteItemOutput out = engine.batchWriteItem(BatchWriteItemInput.builder()
                .requestItems(Map.of("accounts", List.of(toA, toC))).build());
        assertThat(out.unprocessedItems()).isEqualTo(Map.of("accounts", List.of(toA)));
        assertThat(balance(engine, "a")).isEqualTo(100);
        assertThat(balance(engine, "c")).isEqualTo(2);
    }

    @Test
    void anItemHeldByATransactionInFlightRefusesPlainWritesAndOtherTransactions() {
        // The coordinator dies between its locks and its commit point: the items stay locked (until recovery).
        storage.crashAfter(1 + 3);
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        storage.heal();

        assertThatThrownBy(() -> engine.putItem(PutItemInput.builder().tableName("accounts")
                .item(Map.of("id", AttributeValue.s("a"))).build()))
                .isInstanceOf(TransactionConflictException.class).hasMessage("Transaction is ongoing for the item");
        TransactionCanceledException write = catchThrowableOfType(TransactionCanceledException.class,
                () -> engine.transactWriteItems(TransactWriteItemsInput.builder().transactItems(List.of(add("c", 1), add("b", 1))).build()));
        assertThat(write.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "TransactionConflict");
        TransactionCanceledException read = catchThrowableOfType(TransactionCanceledException.class,
                () -> engine.transactGetItems(TransactGetItemsInput.builder().transactItems(List.of(
                        new TransactGetItem(Get.builder().tableName("accounts").key(key("c")).build()),
                        new TransactGetItem(Get.builder().tableName("accounts").key(key("a")).build()))).build()));
        assertThat(read.cancellationReasons()).extracting(CancellationReason::code).containsExactly("None", "TransactionConflict");
        // Plain reads are never blocked: they see the committed image.
        assertThat(balance(engine, "a")).isEqualTo(100);
        assertThat(balance(engine, "c")).isEqualTo(100); // its transaction was cancelled
    }

    @Test
    void aPassingStorageFailureAfterTheCommitPointStillCompletesTheTransaction() {
        storage.failOnceAfter(1 + 3 + 1 + 1); // the second item's final write fails, once
        engine.transactWriteItems(transfer(10));
        assertThat(balance(engine, "a")).isEqualTo(90);
        assertThat(balance(engine, "b")).isEqualTo(110);
        assertThat(records(disk)).isEmpty();
    }

    @Test
    void aPassingStorageFailureBeforeTheCommitPointCancelsCleanly() {
        storage.failOnceAfter(1 + 1); // the second lock fails, once
        assertThatThrownBy(() -> engine.transactWriteItems(transfer(10))).isInstanceOf(StorageException.class);
        assertThat(balance(engine, "a")).isEqualTo(100);
        assertThat(records(disk)).isEmpty();
        engine.putItem(PutItemInput.builder().tableName("accounts").item(Map.of("id", AttributeValue.s("a"))).build());
    }

    /**
     * The protocol's changes: the PREPARING record, three locks, the COMMITTED record, three writes, the
     * record's deletion. A crash before any of them, then a restart: all or nothing, nothing locked.
     */
    @Test
    void aCrashAtAnyStepIsCompletedOrRolledBackByTheNextStart() {
        int steps = 1 + 3 + 1 + 3 + 1;
        List<String> outcomes = new ArrayList<>();
        for (int crashAfter = 0; crashAfter <= steps; crashAfter++) {
            TreeMapStorage disk = new TreeMapStorage();
            CrashingStorage crashing = new CrashingStorage(disk);
            try (FlywheelEngine first = new FlywheelEngine(crashing, EngineConfig.defaults().withoutIndexMaintenance())) {
                first.createTable(CreateTableInput.builder().tableName("accounts").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(List.of(new AttributeDefinition("id", "S")))
                        .keySchema(List.of(new KeySchemaElement("id", "HASH"))).build());
                for (String id : List.of("a", "b")) {
                    first.putItem(PutItemInput.builder().tableName("accounts")
                            .item(Map.of("id", AttributeValue.s(id), "balance", AttributeValue.n(100))).build());
                }
                crashing.crashAfter(crashAfter);
                try {
                    first.transactWriteItems(transfer(10));
                } catch (StorageException crashed) {
                    // the process "died" here
                }
            }
            try (FlywheelEngine restarted = new FlywheelEngine(disk, EngineConfig.defaults().withoutIndexMaintenance())) {
                long a = balance(restarted, "a"), b = balance(restarted, "b"), log = logged(restarted);
                boolean applied = a == 90 && b == 110 && log == 10;
                boolean untouched = a == 100 && b == 100 && log == -1;
                assertThat(applied || untouched).as("crash after %d changes: a=%d b=%d log=%d", crashAfter, a, b, log).isTrue();
                assertThat(records(disk)).isEmpty();
                for (String id : List.of("a", "b", "log")) {
                    restarted.putItem(PutItemInput.builder().tableName("accounts").item(Map.of("id", AttributeValue.s(id))).build());
                }
                outcomes.add(applied ? "applied" : "rolled back");
            }
        }
        // Before the commit point rolled back, from it on completed.
        assertThat(outcomes.subList(0, 5)).containsOnly("rolled back");
        assertThat(outcomes.subList(5, outcomes.size())).containsOnly("applied");
    }

    /**
     * With a ClientRequestToken, one more change (the token recorded as completed): after a crash at
     * any step and a restart, the client's retry with the token completes the transfer exactly once.
     */
    @Test
    void aRetryWithItsTokenAfterACrashAtAnyStepAppliesTheTransactionExactlyOnce() {
        int steps = 1 + 3 + 1 + 3 + 1 + 1;
        for (int crashAfter = 0; crashAfter <= steps; crashAfter++) {
            TreeMapStorage disk = new TreeMapStorage();
            CrashingStorage crashing = new CrashingStorage(disk);
            TransactWriteItemsInput request = transfer(10).toBuilder().clientRequestToken("retry-me").build();
            try (FlywheelEngine first = new FlywheelEngine(crashing, EngineConfig.defaults().withoutIndexMaintenance())) {
                first.createTable(CreateTableInput.builder().tableName("accounts").billingMode("PAY_PER_REQUEST")
                        .attributeDefinitions(List.of(new AttributeDefinition("id", "S")))
                        .keySchema(List.of(new KeySchemaElement("id", "HASH"))).build());
                for (String id : List.of("a", "b")) {
                    first.putItem(PutItemInput.builder().tableName("accounts")
                            .item(Map.of("id", AttributeValue.s(id), "balance", AttributeValue.n(100))).build());
                }
                crashing.crashAfter(crashAfter);
                try {
                    first.transactWriteItems(request);
                } catch (StorageException crashed) {
                    // the process "died" here
                }
            }
            try (FlywheelEngine restarted = new FlywheelEngine(disk, EngineConfig.defaults().withoutIndexMaintenance())) {
                restarted.transactWriteItems(request);
                assertThat(List.of(balance(restarted, "a"), balance(restarted, "b"), logged(restarted)))
                        .as("crash after %d changes", crashAfter).containsExactly(90L, 110L, 10L);
                assertThat(records(disk)).isEmpty();
            }
        }
    }

    /** The transaction records left in storage. */
    private static List<dev.flywheel.storage.Row> records(TreeMapStorage disk) {
        return disk.scan(TransactionCoordinator.RECORDS_TABLE, 0, 1, null, dev.flywheel.storage.ReadLimits.NONE).rows();
    }

    private static long logged(FlywheelEngine e) {
        Map<String, AttributeValue> item = e.getItem(GetItemInput.builder().tableName("accounts").key(key("log")).build()).item();
        return item == null ? -1 : Long.parseLong(((AttributeValue.N) item.get("last")).value());
    }
}

package dev.flywheel.engine.transaction;

import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.capacity.ConsumedCapacities;
import dev.flywheel.engine.expressions.ParameterRules;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.expressions.RequestExpressions;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemSize;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.expression.Projection;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.IdempotentParameterMismatchException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.CancellationReason;
import dev.flywheel.model.shapes.ConsumedCapacity;
import dev.flywheel.model.shapes.Get;
import dev.flywheel.model.shapes.ItemResponse;
import dev.flywheel.model.shapes.TransactGetItem;
import dev.flywheel.model.shapes.TransactGetItemsInput;
import dev.flywheel.model.shapes.TransactGetItemsOutput;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import dev.flywheel.model.shapes.TransactWriteItemsOutput;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * TransactWriteItems and TransactGetItems (API Reference, Developer Guide "Amazon DynamoDB
 * Transactions"): up to 100 actions on distinct items of any tables, validated whole before any I/O;
 * writes all or nothing ({@link TransactionCoordinator}), reads serializable with respect to them;
 * each item costs twice the capacity of its single-item operation.
 */
public final class TransactionOperations {
    /** The aggregate size of a transaction's request (DynamoDB says "transaction payload"). */
    static final long MAX_REQUEST_BYTES = 4L * 1024 * 1024;
    /** How often TransactGetItems reads again when it meets a transaction in flight, before it gives up. */
    private static final int READ_ATTEMPTS = 20;

    private final Catalog catalog;
    private final ItemStore items;
    private final ParsedExpressions parsed;
    private final TransactionCoordinator coordinator;
    private final ClientRequestTokens tokens;

    public TransactionOperations(Storage storage, Catalog catalog, ItemStore items, ParsedExpressions parsed, Clock clock) {
        this.catalog = catalog;
        this.items = items;
        this.parsed = parsed;
        this.tokens = new ClientRequestTokens(storage, clock);
        this.coordinator = new TransactionCoordinator(storage, catalog, items, tokens, clock);
        items.releaseAbandonedLocksWith(coordinator::releaseIfAbandoned);
    }

    /**
     * Finishes the transactions a previous run left in flight (see {@link TransactionCoordinator#recover}):
     * call once, before serving. With {@code shared}, other servers may be running transactions on the
     * same storage: only those older than the lease are finished (the rest by {@link #recoverAbandoned}).
     *
     * @return how many there were
     */
    public int recover(boolean shared) {
        return coordinator.recover(!shared);
    }

    /** Finishes the transactions older than the lease: their coordinator died or lost its storage. */
    public int recoverAbandoned() {
        return coordinator.recover(false);
    }

    /**
     * How often {@link #recoverAbandoned} should run: half the lease, so no lock outlives it by much;
     * on a storage other servers share (Cassandra), once a minute, because a scan there lists every
     * transaction record key ever written (its scan index keeps entries of emptied partitions), so its
     * cost grows with the transactions run (issue 8). Locks are released sooner anyway by whoever
     * meets them, and retries of a token by the claim.
     */
    public static Duration recoveryPeriod(boolean shared) {
        return shared ? Duration.ofMinutes(1) : TransactionCoordinator.LEASE.dividedBy(2);
    }

    /** Deletes the ClientRequestTokens that expired: run every few minutes. */
    public int forgetExpiredTokens() {
        return tokens.sweep();
    }

    public TransactWriteItemsOutput transactWriteItems(TransactWriteItemsInput request) {
        List<TransactWriteItem> requested = request.transactItems() == null ? List.of() : request.transactItems();
        List<WriteAction> actions = new ArrayList<>(requested.size());
        for (TransactWriteItem item : requested) actions.add(WriteAction.of(item, catalog, parsed));
        Set<ByteBuffer> seen = new HashSet<>();
        long requestBytes = 0;
        for (WriteAction action : actions) {
            if (!seen.add(identity(action.table(), action.key()))) {
                throw new ValidationException("Transaction request cannot include multiple operations on one item");
            }
            requestBytes += action.requestBytes();
        }
        if (requestBytes > MAX_REQUEST_BYTES) {
            // DynamoDB's wording is not documented; alternator's tests match "size cannot exceed" (guess).
            throw new ValidationException("Transaction request size cannot exceed 4 MB");
        }
        String token = request.clientRequestToken();
        // The rest of the request, down to ReturnConsumedCapacity, must match for a retry (API Reference).
        TransactionCoordinator.Token claim = token == null ? null
                : new TransactionCoordinator.Token(token, RequestDigest.of(request.toBuilder().clientRequestToken(null).build()));
        List<TransactionCoordinator.Outcome> outcomes;
        do {
            if (claim != null) {
                TransactWriteItemsOutput earlier = answerAgain(claim, request);
                if (earlier != null) return earlier;
            }
            outcomes = coordinator.run(actions, claim);
        } while (outcomes == null); // a transaction with the token completed meanwhile: answer as for it
        Map<String, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            TransactionCoordinator.Outcome o = outcomes.get(i);
            long size = Math.max(o.oldItem() == null ? 0 : ItemSize.of(o.oldItem()), o.newItem() == null ? 0 : ItemSize.of(o.newItem()));
            // A transactional write costs two writes of the item (Developer Guide, "Capacity management for transactions").
            units.merge(actions.get(i).table().name(), 2 * CapacityUnits.write(size), Double::sum);
        }
        return new TransactWriteItemsOutput(consumed(request.returnConsumedCapacity(), units, false), null);
    }

    /**
     * The answer to a retry of a transaction that completed with this token in the last ten minutes
     * (null: none did): nothing runs again, and the capacity reported is that of reading the items
     * (API Reference, TransactWriteItems ClientRequestToken).
     *
     * @throws IdempotentParameterMismatchException if that transaction's request was another
     */
    private TransactWriteItemsOutput answerAgain(TransactionCoordinator.Token claim, TransactWriteItemsInput request) {
        ClientRequestTokens.Completed completed = tokens.find(claim.token());
        if (completed == null) return null;
        if (!Arrays.equals(completed.digest(), claim.digest())) {
            throw new IdempotentParameterMismatchException(ClientRequestTokens.MISMATCH);
        }
        return new TransactWriteItemsOutput(consumed(request.returnConsumedCapacity(), completed.readUnits(), true), null);
    }

    private record PlannedGet(TableDefinition table, ItemKey key, ProjectionExpression projection) {}

    public TransactGetItemsOutput transactGetItems(TransactGetItemsInput request) {
        List<TransactGetItem> requested = request.transactItems() == null ? List.of() : request.transactItems();
        List<PlannedGet> gets = new ArrayList<>(requested.size());
        for (TransactGetItem item : requested) {
            Get get = item.get();
            ParameterRules.check().projection(get.projectionExpression()).done(get.expressionAttributeNames(), null);
            RequestExpressions expressions = RequestExpressions.of(parsed, get.expressionAttributeNames(), null);
            ProjectionExpression projection = expressions.projection(get.projectionExpression());
            expressions.checkAllUsed();
            TableDefinition table = catalog.require(get.tableName());
            gets.add(new PlannedGet(table, ItemKey.ofKey(table, get.key()), projection));
        }
        byte[][] stored = readSerializable(gets);
        List<ItemResponse> responses = new ArrayList<>(gets.size());
        Map<String, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < gets.size(); i++) {
            PlannedGet get = gets.get(i);
            Map<String, AttributeValue> item = stored[i] == null ? null : ItemCodec.decode(stored[i]);
            units.merge(get.table().name(), 2 * CapacityUnits.read(item == null ? 0 : ItemSize.of(item), true), Double::sum);
            responses.add(new ItemResponse(item == null || get.projection() == null ? item : Projection.apply(get.projection(), item)));
        }
        return new TransactGetItemsOutput(consumed(request.returnConsumedCapacity(), units, true), responses);
    }

    /**
     * The items' stored forms as of one moment between TransactWriteItems: read everything, then read it
     * again; if no item was locked by a transaction in flight at either reading and every item read the
     * same both times, no transaction wrote between them (a transaction locks all its items before it
     * writes any, and unlocks each with its write), so the first reading is a state between transactions.
     * Otherwise read again, a few times, before cancelling with TransactionConflict (as DynamoDB does).
     */
    private byte[][] readSerializable(List<PlannedGet> gets) {
        boolean[] locked = new boolean[gets.size()];
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            byte[][] first = read(gets, locked);
            if (first != null) {
                byte[][] second = read(gets, locked);
                if (second != null && Arrays.deepEquals(first, second)) return first;
            }
            releaseAbandoned(gets, locked);
            LockSupport.parkNanos(attempt * 100_000L); // let the transaction in flight finish
        }
        CancellationReason[] reasons = new CancellationReason[gets.size()];
        for (int i = 0; i < reasons.length; i++) {
            reasons[i] = locked[i]
                    ? CancellationReason.builder().code("TransactionConflict").message(ItemStore.TRANSACTION_ONGOING).build()
                    : CancellationReason.builder().code("None").build();
        }
        throw TransactionCoordinator.cancelled(reasons);
    }

    /** Releases the locks met that no transaction wants any more (their transaction's coordinator died). */
    private void releaseAbandoned(List<PlannedGet> gets, boolean[] locked) {
        for (int i = 0; i < gets.size(); i++) {
            if (!locked[i]) continue;
            PlannedGet get = gets.get(i);
            byte[] holder = items.lockOwner(get.table(), get.key());
            if (holder != null) coordinator.releaseIfAbandoned(get.table(), get.key(), holder);
        }
    }

    /** Each item's stored form, its lock checked first; null if one is locked (marked in {@code locked}). */
    private byte[][] read(List<PlannedGet> gets, boolean[] locked) {
        byte[][] stored = new byte[gets.size()][];
        boolean anyLocked = false;
        for (int i = 0; i < gets.size(); i++) {
            PlannedGet get = gets.get(i);
            locked[i] = items.lockOwner(get.table(), get.key()) != null;
            anyLocked |= locked[i];
            stored[i] = items.getStored(get.table(), get.key());
        }
        return anyLocked ? null : stored;
    }

    private static List<ConsumedCapacity> consumed(String mode, Map<String, Double> units, boolean read) {
        if (mode == null || mode.equals("NONE")) return null;
        List<ConsumedCapacity> out = new ArrayList<>();
        units.forEach((table, u) -> out.add(read ? ConsumedCapacities.read(mode, table, u) : ConsumedCapacities.write(mode, table, u)));
        return out;
    }

    /** An item's identity across tables: table id, then its key's storage bytes. */
    private static ByteBuffer identity(TableDefinition table, ItemKey key) {
        return ByteBuffer.allocate(8 + 4 + key.partitionKey().length + key.sortKey().length)
                .putLong(table.id()).putInt(key.partitionKey().length).put(key.partitionKey()).put(key.sortKey()).flip();
    }
}

package dev.flywheel.engine.transaction;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemLock;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.engine.transaction.TransactionRecord.Effect;
import dev.flywheel.engine.transaction.TransactionRecord.Entry;
import dev.flywheel.engine.transaction.TransactionRecord.State;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ConditionalCheckFailedException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.TransactionCanceledException;
import dev.flywheel.model.DynamoDbException.TransactionConflictException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.CancellationReason;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs TransactWriteItems atomically over single-partition conditional writes and a durable
 * {@link TransactionRecord}, so that every storage backend gets transactions (DESIGN.md).
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Record the transaction PREPARING with every item's key.
 *   <li>Prepare each item, in request order: read it, evaluate the action on it (condition, update),
 *       and lock it with one conditional write that requires the item to be unchanged and unlocked
 *       ({@link ItemLock#acquire}); an item changed meanwhile is read and evaluated again. Nothing is
 *       waited for: an item another transaction holds cancels this one (TransactionConflict), as
 *       DynamoDB does. Any failure cancels: the locks taken are released, the record deleted.
 *   <li>Rewrite the record COMMITTED with every new image: <b>the commit point</b>.
 *   <li>Write each item's new image through {@link ItemStore#write} (so derived records, index
 *       entries and later stream records, come with it), releasing its lock in the same write.
 *   <li>Delete the record.
 * </ol>
 * While an item is locked, plain writes to it are refused (TransactionConflictException) and no other
 * transaction prepares it, so what a transaction evaluated stays true until it writes; plain reads
 * are never blocked and see the image before or after, never a mix within an item.
 *
 * <h2>Recovery</h2>
 * {@link #recover} (at startup, before any request) finishes every recorded transaction: COMMITTED
 * ones are rolled forward (an item whose lock is already gone was written), PREPARING ones rolled back
 * (their locks released). So nothing stays locked, and a transaction interrupted by {@code kill -9} is
 * all or nothing. A write done twice by recovery is harmless: it is refused once the lock is gone.
 *
 * <p>Records are rows of the storage table {@value #RECORDS_TABLE} (an id no table is ever given:
 * tables count from 1, lock tables are negative), keyed by the transaction's id: written as any item
 * is, they are exactly as durable as the writes they order (synced only with {@code --sync-writes}),
 * where metadata is always synced, which would cost every transaction three fsyncs.
 *
 * <p>Thread-safe; transactions on disjoint items run in parallel.
 */
final class TransactionCoordinator {
    static final long RECORDS_TABLE = 0;
    private static final byte[] NO_SORT_KEY = new byte[0];
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final Storage storage;
    private final Catalog catalog;
    private final ItemStore items;

    TransactionCoordinator(Storage storage, Catalog catalog, ItemStore items) {
        this.storage = storage;
        this.catalog = catalog;
        this.items = items;
    }

    /** An item's image before the transaction and the image it writes (null: absent / deleted). */
    record Outcome(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {}

    /**
     * Runs the actions as one transaction.
     *
     * @return each action's outcome, in order
     * @throws TransactionCanceledException with one reason per action when a condition fails, an item is
     *     held by another transaction, or an update is invalid on the item it meets; nothing is written then
     */
    List<Outcome> run(List<WriteAction> actions) {
        String id = UUID.randomUUID().toString();
        byte[] owner = id.getBytes(StandardCharsets.UTF_8);
        putRecord(owner, preparing(actions));
        Outcome[] outcomes = new Outcome[actions.size()];
        List<Integer> locked = new ArrayList<>(actions.size());
        // Once the COMMITTED record may have been written (a write that failed may have landed, on a
        // distributed backend), only the record read back says whether to roll forward or back.
        boolean committing = false;
        try {
            CancellationReason[] reasons = prepare(actions, owner, outcomes, locked);
            if (reasons != null) throw cancelled(reasons);
            TransactionRecord record = committed(actions, outcomes);
            committing = true;
            putRecord(owner, record);
            apply(record, owner);
        } catch (RuntimeException failure) {
            try {
                if (!committing) {
                    release(actions, locked, owner);
                    putRecord(owner, null);
                } else if (finish(owner) == State.COMMITTED) {
                    return List.of(outcomes); // a passing failure: the transaction is complete after all
                }
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // the record stays: recovery at the next start finishes it
            }
            throw failure;
        }
        putRecord(owner, null);
        return List.of(outcomes);
    }

    /** Locks every item; null when all are prepared, else the reasons to cancel (the locks taken are in {@code locked}). */
    private CancellationReason[] prepare(List<WriteAction> actions, byte[] owner, Outcome[] outcomes, List<Integer> locked) {
        CancellationReason[] reasons = new CancellationReason[actions.size()];
        boolean failed = false;
        for (int i = 0; i < actions.size(); i++) {
            WriteAction action = actions.get(i);
            try {
                if (failed) {
                    // Already cancelled: evaluate without locking, so every failing condition is reported.
                    action.apply(items.get(action.table(), action.key()));
                } else {
                    Outcome[] seen = new Outcome[1];
                    items.write(action.table(), action.key(), old -> {
                        seen[0] = new Outcome(old, action.apply(old));
                        return old; // the item itself changes at commit
                    }, ItemLock.acquire(owner));
                    locked.add(i);
                    outcomes[i] = seen[0];
                }
                reasons[i] = CancellationReason.builder().code("None").build();
            } catch (ConditionalCheckFailedException e) {
                failed = true;
                reasons[i] = CancellationReason.builder().code("ConditionalCheckFailed").message(e.getMessage())
                        .item(e.item()).build();
            } catch (TransactionConflictException e) {
                failed = true;
                reasons[i] = CancellationReason.builder().code("TransactionConflict")
                        .message("Transaction is ongoing for the item").build();
            } catch (ValidationException e) {
                failed = true;
                reasons[i] = CancellationReason.builder().code("ValidationError").message(e.getMessage()).build();
            }
        }
        return failed ? reasons : null;
    }

    static TransactionCanceledException cancelled(CancellationReason[] reasons) {
        StringBuilder codes = new StringBuilder();
        for (CancellationReason reason : reasons) {
            if (!codes.isEmpty()) codes.append(", ");
            codes.append(reason.code());
        }
        return new TransactionCanceledException("Transaction cancelled, please refer cancellation reasons for specific"
                + " reasons [" + codes + "]", Arrays.asList(reasons));
    }

    /** Releases the locks of the prepared items, leaving the items as they were. */
    private void release(List<WriteAction> actions, List<Integer> locked, byte[] owner) {
        for (int i : locked) {
            WriteAction action = actions.get(i);
            releaseUnchanged(action.table(), action.key(), owner);
        }
    }

    private void releaseUnchanged(TableDefinition table, ItemKey key, byte[] owner) {
        try {
            items.write(table, key, old -> old, ItemLock.release(owner));
        } catch (TransactionConflictException | ResourceNotFoundException gone) {
            // released already (recovery ran twice), or the table was deleted with its locks
        }
    }

    /** Writes every item's new image and releases its lock; an item whose lock is gone was written already. */
    private void apply(TransactionRecord record, byte[] owner) {
        for (Entry entry : record.entries()) {
            TableDefinition table = catalog.find(entry.tableName());
            if (table == null || table.id() != entry.tableId()) continue; // deleted with its items and locks
            ItemKey key = new ItemKey(entry.partitionKey(), entry.sortKey(), Map.of());
            Map<String, AttributeValue> image = entry.effect() == Effect.PUT ? ItemCodec.decode(entry.image()) : null;
            try {
                items.write(table, key, old -> entry.effect() == Effect.KEEP ? old : image, ItemLock.release(owner));
            } catch (TransactionConflictException | ResourceNotFoundException done) {
                // written and released before (recovery of a transaction that had partly applied)
            }
        }
    }

    /**
     * Finishes every transaction left by a previous run: COMMITTED ones rolled forward, PREPARING ones
     * rolled back. Call before serving requests.
     *
     * @return how many transactions were finished
     */
    int recover() {
        int finished = 0;
        for (Row stored : storage.scan(RECORDS_TABLE, 0, 1, null, ReadLimits.NONE).rows()) {
            State state = finish(stored.partitionKey());
            log.info("Transaction {} {} after a restart", new String(stored.partitionKey(), StandardCharsets.UTF_8),
                    state == State.COMMITTED ? "completed" : "rolled back");
            finished++;
        }
        return finished;
    }

    /**
     * Finishes the transaction {@code owner} as its stored record says: COMMITTED rolled forward,
     * PREPARING rolled back; then deletes the record.
     *
     * @return the state it was finished from (null: no record)
     */
    private State finish(byte[] owner) {
        byte[] stored = storage.get(RECORDS_TABLE, owner, NO_SORT_KEY);
        if (stored == null) return null;
        TransactionRecord record = TransactionRecord.decode(stored);
        if (record.state() == State.COMMITTED) {
            apply(record, owner);
        } else {
            for (Entry entry : record.entries()) {
                TableDefinition table = catalog.find(entry.tableName());
                if (table == null || table.id() != entry.tableId()) continue;
                releaseUnchanged(table, new ItemKey(entry.partitionKey(), entry.sortKey(), Map.of()), owner);
            }
        }
        putRecord(owner, null);
        return record.state();
    }

    /** Writes (null: deletes) the record of the transaction {@code owner}. */
    private void putRecord(byte[] owner, TransactionRecord record) {
        RowWrite row = record == null ? RowWrite.delete(NO_SORT_KEY, Expected.ANY)
                : RowWrite.put(NO_SORT_KEY, record.encode(), Expected.ANY);
        storage.write(PartitionWrite.of(RECORDS_TABLE, owner, row));
    }

    private static TransactionRecord preparing(List<WriteAction> actions) {
        List<Entry> entries = new ArrayList<>(actions.size());
        for (WriteAction a : actions) {
            entries.add(new Entry(a.table().id(), a.table().name(), a.key().partitionKey(), a.key().sortKey(), Effect.KEEP, null));
        }
        return new TransactionRecord(State.PREPARING, entries);
    }

    private static TransactionRecord committed(List<WriteAction> actions, Outcome[] outcomes) {
        List<Entry> entries = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            WriteAction a = actions.get(i);
            Map<String, AttributeValue> image = outcomes[i].newItem();
            Effect effect = a.kind() == WriteAction.Kind.CONDITION_CHECK ? Effect.KEEP : image == null ? Effect.DELETE : Effect.PUT;
            entries.add(new Entry(a.table().id(), a.table().name(), a.key().partitionKey(), a.key().sortKey(), effect,
                    effect == Effect.PUT ? ItemCodec.encode(image) : null));
        }
        return new TransactionRecord(State.COMMITTED, entries);
    }
}

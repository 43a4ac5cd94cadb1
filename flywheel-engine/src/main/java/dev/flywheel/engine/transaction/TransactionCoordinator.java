package dev.flywheel.engine.transaction;

import dev.flywheel.engine.capacity.CapacityUnits;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemLock;
import dev.flywheel.engine.item.ItemSize;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.engine.transaction.TransactionRecord.Effect;
import dev.flywheel.engine.transaction.TransactionRecord.Entry;
import dev.flywheel.engine.transaction.TransactionRecord.State;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ConditionalCheckFailedException;
import dev.flywheel.model.DynamoDbException.IdempotentParameterMismatchException;
import dev.flywheel.model.DynamoDbException.InternalServerError;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.model.DynamoDbException.TransactionCanceledException;
import dev.flywheel.model.DynamoDbException.TransactionConflictException;
import dev.flywheel.model.DynamoDbException.TransactionInProgressException;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.CancellationReason;
import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.WriteOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs TransactWriteItems atomically over single-partition conditional writes and a durable
 * {@link TransactionRecord}, so that every storage backend gets transactions (DESIGN.md).
 *
 * <h2>Protocol</h2>
 * <ol>
 *   <li>Record the transaction PREPARING with every item's key, under a key no other record has
 *       ({@link TransactionKeys}; for a ClientRequestToken, a second request with it finds the key taken).
 *   <li>Prepare each item, in request order: read it, evaluate the action on it (condition, update),
 *       and lock it with one conditional write that requires the item to be unchanged and unlocked
 *       ({@link ItemLock#acquire}); an item changed meanwhile is read and evaluated again. Nothing is
 *       waited for: an item another transaction holds cancels this one (TransactionConflict), as
 *       DynamoDB does. Any failure cancels: the locks taken are released, the record deleted.
 *   <li>Rewrite the record COMMITTED with every new image, only if it is still the PREPARING record
 *       written in step 1: <b>the commit point</b>.
 *   <li>Write each item's new image through {@link ItemStore#write} (so derived records, index
 *       entries and later stream records, come with it), releasing its lock in the same write.
 *   <li>Record the ClientRequestToken as completed, if any; delete the record.
 * </ol>
 * While an item is locked, plain writes to it are refused (TransactionConflictException) and no other
 * transaction prepares it, so what a transaction evaluated stays true until it writes; plain reads
 * are never blocked and see the image before or after, never a mix within an item.
 *
 * <h2>Recovery</h2>
 * A transaction whose record is older than {@link #LEASE} is taken for abandoned (its coordinator
 * died, or lost its storage), and anyone may finish it ({@link #finish}): a COMMITTED one is rolled
 * forward (an item whose lock is already gone was written; a write done twice is refused once the lock
 * is gone), a PREPARING one rolled back: its record deleted, only if unchanged, then its locks
 * released. The commit point and the rollback are both conditional on the PREPARING record, so exactly
 * one of them happens; a coordinator that loses fails its request with InternalServerError.
 * Who finishes: {@link #recover} at startup (every record, when no other server shares the storage)
 * and periodically; and whoever meets a lock ({@link #releaseIfAbandoned}), which also releases a lock
 * whose transaction has no record (one taken by a coordinator that lost its transaction as above).
 * So a transaction interrupted by {@code kill -9} or a storage failure is all or nothing, and nothing
 * stays locked longer than the lease.
 *
 * <p>Records are rows of the storage table {@value #RECORDS_TABLE} (an id no table is ever given:
 * tables count from 1, lock tables are negative): written as any item is, they are exactly as durable
 * as the writes they order (synced only with {@code --sync-writes}), where metadata is always synced,
 * which would cost every transaction three fsyncs.
 *
 * <p>Thread-safe; transactions on disjoint items run in parallel.
 */
final class TransactionCoordinator {
    static final long RECORDS_TABLE = 0;
    /**
     * How long a transaction may take before anyone may finish it for its coordinator. Far above any
     * transaction's running time (100 items take milliseconds), short enough that locks a failure left
     * behind do not refuse writes for long.
     */
    static final Duration LEASE = Duration.ofSeconds(10);
    private static final byte[] NO_SORT_KEY = new byte[0];
    private static final Logger log = LoggerFactory.getLogger(TransactionCoordinator.class);

    private final Storage storage;
    private final Catalog catalog;
    private final ItemStore items;
    private final ClientRequestTokens tokens;
    private final Clock clock;

    TransactionCoordinator(Storage storage, Catalog catalog, ItemStore items, ClientRequestTokens tokens, Clock clock) {
        this.storage = storage;
        this.catalog = catalog;
        this.items = items;
        this.tokens = tokens;
        this.clock = clock;
    }

    /** An item's image before the transaction and the image it writes (null: absent / deleted). */
    record Outcome(Map<String, AttributeValue> oldItem, Map<String, AttributeValue> newItem) {}

    /** A request's ClientRequestToken and the {@link RequestDigest} of the rest of the request. */
    record Token(String token, byte[] digest) {}

    /**
     * Runs the actions as one transaction.
     *
     * @param token the request's token, or null
     * @return each action's outcome, in order; null when a transaction with {@code token} completed
     *     since the caller looked (answer as for a retry)
     * @throws TransactionCanceledException with one reason per action when a condition fails, an item is
     *     held by another transaction, or an update is invalid on the item it meets; nothing is written then
     * @throws IdempotentParameterMismatchException if a transaction with {@code token} but another
     *     request is in flight
     * @throws TransactionInProgressException if one with {@code token} and this request is in flight
     */
    List<Outcome> run(List<WriteAction> actions, Token token) {
        byte[] key = TransactionKeys.recordKey(token == null ? null : token.token());
        byte[] owner = TransactionKeys.newOwner(key);
        TransactionRecord preparing = new TransactionRecord(State.PREPARING, owner, clock.millis(),
                token == null ? null : token.token(), token == null ? null : token.digest(), preparingEntries(actions));
        byte[] preparingBytes = preparing.encode();
        if (!claim(key, preparing, preparingBytes)) return null;
        Outcome[] outcomes = new Outcome[actions.size()];
        List<Integer> locked = new ArrayList<>(actions.size());
        TransactionRecord committed;
        try {
            CancellationReason[] reasons = prepare(actions, owner, outcomes, locked);
            if (reasons != null) throw cancelled(reasons);
            committed = preparing.with(State.COMMITTED, committedEntries(actions, outcomes));
        } catch (RuntimeException failure) {
            try {
                // A lock write that failed may have landed all the same (a distributed backend's
                // timeout): after such a failure, every item's lock is released if it is ours.
                release(actions, failure instanceof TransactionCanceledException ? locked : allOf(actions), owner);
                remove(key, preparingBytes);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // the record stays: recovery finishes it after the lease
            }
            throw failure;
        }
        byte[] committedBytes = committed.encode();
        boolean committedHere;
        try {
            committedHere = replace(key, preparingBytes, committedBytes);
            if (committedHere) complete(key, committed, committedBytes, token == null ? null : readUnits(actions, outcomes));
        } catch (RuntimeException failure) {
            // The commit may have landed (a timeout) and the writes partly: the record read back decides.
            try {
                if (finish(key, owner) == State.COMMITTED) return List.of(outcomes);
            } catch (RuntimeException alsoFailed) {
                failure.addSuppressed(alsoFailed); // the record stays: recovery finishes it after the lease
            }
            throw failure;
        }
        if (!committedHere) {
            // Past its lease, the transaction was taken for abandoned and rolled back: it did not happen.
            release(actions, allOf(actions), owner);
            throw new InternalServerError("The transaction took too long and was rolled back; it may be retried");
        }
        return List.of(outcomes);
    }

    /**
     * Writes the PREPARING record under its key, if the key is free. A token's key held by an abandoned
     * transaction is finished first; one in flight refuses this request.
     *
     * @return false if the token completed meanwhile (nothing claimed then)
     */
    private boolean claim(byte[] key, TransactionRecord mine, byte[] bytes) {
        while (!write(key, RowWrite.put(NO_SORT_KEY, bytes, Expected.ABSENT))) {
            byte[] stored = storage.get(RECORDS_TABLE, key, NO_SORT_KEY);
            if (stored == null) continue; // finished meanwhile
            TransactionRecord other = TransactionRecord.decode(key, stored);
            if (abandoned(other)) {
                finish(key, other.owner());
            } else if (!Arrays.equals(other.digest(), mine.digest())) {
                throw new IdempotentParameterMismatchException(ClientRequestTokens.MISMATCH);
            } else {
                throw new TransactionInProgressException(ClientRequestTokens.IN_PROGRESS);
            }
        }
        // A transaction with the token may have completed between the caller's look and the claim (it
        // records its token before deleting its record, so a look after the claim sees it).
        if (mine.token() != null && tokens.find(mine.token()) != null) {
            remove(key, bytes);
            return false;
        }
        return true;
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

    private static List<Integer> allOf(List<WriteAction> actions) {
        List<Integer> all = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) all.add(i);
        return all;
    }

    private void releaseUnchanged(TableDefinition table, ItemKey key, byte[] owner) {
        try {
            items.write(table, key, old -> old, ItemLock.release(owner));
        } catch (TransactionConflictException | ResourceNotFoundException gone) {
            // released already (recovery ran twice), or the table was deleted with its locks
        }
    }

    /**
     * Finishes a COMMITTED transaction: writes every item's new image, releasing its lock (an item whose
     * lock is gone was written already), records its token as completed, deletes its record.
     */
    private void complete(byte[] key, TransactionRecord record, byte[] stored, Map<String, Double> readUnits) {
        for (Entry entry : record.entries()) {
            TableDefinition table = tableOf(entry);
            if (table == null) continue; // deleted with its items and locks
            ItemKey itemKey = new ItemKey(entry.partitionKey(), entry.sortKey(), Map.of());
            Map<String, AttributeValue> image = entry.effect() == Effect.PUT ? ItemCodec.decode(entry.image()) : null;
            try {
                items.write(table, itemKey, old -> entry.effect() == Effect.KEEP ? old : image, ItemLock.release(record.owner()));
            } catch (TransactionConflictException | ResourceNotFoundException done) {
                // written and released before (recovery of a transaction that had partly applied)
            }
        }
        if (record.token() != null) {
            tokens.complete(record.token(), record.digest(), readUnits != null ? readUnits : readUnits(record));
        }
        remove(key, stored);
    }

    /** What a retry with the transaction's token reports: reading each of its items, strongly consistent. */
    private static Map<String, Double> readUnits(List<WriteAction> actions, Outcome[] outcomes) {
        Map<String, Double> units = new LinkedHashMap<>();
        for (int i = 0; i < actions.size(); i++) {
            Map<String, AttributeValue> item = outcomes[i].newItem() != null ? outcomes[i].newItem() : outcomes[i].oldItem();
            units.merge(actions.get(i).table().name(), CapacityUnits.read(item == null ? 0 : ItemSize.of(item), true), Double::sum);
        }
        return units;
    }

    /** As {@link #readUnits(List, Outcome[])}, from the record alone (recovery): deleted and checked items count as empty. */
    private static Map<String, Double> readUnits(TransactionRecord record) {
        Map<String, Double> units = new LinkedHashMap<>();
        for (Entry entry : record.entries()) {
            long size = entry.effect() == Effect.PUT ? ItemSize.of(ItemCodec.decode(entry.image())) : 0;
            units.merge(entry.tableName(), CapacityUnits.read(size, true), Double::sum);
        }
        return units;
    }

    /** The entry's table, or null if it was deleted (or replaced by a table of the same name) since. */
    private TableDefinition tableOf(Entry entry) {
        TableDefinition table = catalog.find(entry.tableName());
        return table == null || table.id() != entry.tableId() ? null : table;
    }

    /**
     * Finishes the transactions whose records are older than the lease, or every one when
     * {@code everything} (at startup, when no other server shares the storage, none can be running).
     *
     * @return how many were finished
     */
    int recover(boolean everything) {
        int finished = 0;
        for (Row stored : storage.scan(RECORDS_TABLE, 0, 1, null, ReadLimits.NONE).rows()) {
            TransactionRecord record = TransactionRecord.decode(stored.partitionKey(), stored.value());
            if (!everything && !abandoned(record)) continue;
            String id = new String(stored.partitionKey(), StandardCharsets.UTF_8);
            try {
                State state = finish(stored.partitionKey(), record.owner());
                if (state == null) continue; // its coordinator finished it meanwhile
                log.info("Transaction {} {} by recovery", id, state == State.COMMITTED ? "completed" : "rolled back");
                finished++;
            } catch (RuntimeException e) {
                // A table whose encryption key is disabled, say: its items stay locked (plain writes
                // refused) until a later pass finishes the transaction.
                log.warn("Transaction {} could not be finished; its items stay locked until a later try", id, e);
            }
        }
        return finished;
    }

    /**
     * Called by whoever meets {@code holder}'s lock on an item: releases the lock if no transaction
     * wants it any more (its record is gone, or belongs to a later run of its token), or finishes its
     * transaction if that was abandoned.
     *
     * @return true if the lock may be gone now (look again), false if its transaction is in flight
     */
    boolean releaseIfAbandoned(TableDefinition table, ItemKey itemKey, byte[] holder) {
        byte[] key = TransactionKeys.recordKeyOf(holder);
        byte[] stored = storage.get(RECORDS_TABLE, key, NO_SORT_KEY);
        TransactionRecord record = stored == null ? null : TransactionRecord.decode(key, stored);
        if (record == null || !Arrays.equals(record.owner(), holder)) {
            log.info("Releasing a lock its transaction {} no longer holds", new String(holder, StandardCharsets.UTF_8));
            releaseUnchanged(table, itemKey, holder);
            return true;
        }
        if (!abandoned(record)) return false;
        State state = finish(key, holder);
        if (state != null) {
            log.info("Transaction {} {}: it had outlived its lease", new String(key, StandardCharsets.UTF_8),
                    state == State.COMMITTED ? "completed" : "rolled back");
        }
        return true;
    }

    /**
     * Finishes the transaction recorded under {@code key}, if {@code owner} runs it, as its record
     * says: COMMITTED rolled forward; PREPARING rolled back, its record deleted first (so that its
     * commit can no longer happen), then its locks released.
     *
     * @return the state it was finished from (null: no record of {@code owner}'s)
     */
    private State finish(byte[] key, byte[] owner) {
        while (true) {
            byte[] stored = storage.get(RECORDS_TABLE, key, NO_SORT_KEY);
            if (stored == null) return null;
            TransactionRecord record = TransactionRecord.decode(key, stored);
            if (!Arrays.equals(record.owner(), owner)) return null;
            if (record.state() == State.COMMITTED) {
                complete(key, record, stored, null);
                return State.COMMITTED;
            }
            if (remove(key, stored)) {
                for (Entry entry : record.entries()) {
                    TableDefinition table = tableOf(entry);
                    if (table != null) releaseUnchanged(table, new ItemKey(entry.partitionKey(), entry.sortKey(), Map.of()), owner);
                }
                return State.PREPARING;
            }
            // Its coordinator committed it meanwhile: read it again.
        }
    }

    private boolean abandoned(TransactionRecord record) {
        return clock.millis() - record.startMillis() >= LEASE.toMillis();
    }

    /** Replaces the record under {@code key} if it still holds {@code expected}. */
    private boolean replace(byte[] key, byte[] expected, byte[] record) {
        return write(key, RowWrite.put(NO_SORT_KEY, record, Expected.value(expected)));
    }

    /** Deletes the record under {@code key} if it still holds {@code expected}. */
    private boolean remove(byte[] key, byte[] expected) {
        return write(key, RowWrite.delete(NO_SORT_KEY, Expected.value(expected)));
    }

    private boolean write(byte[] key, RowWrite row) {
        return storage.write(PartitionWrite.of(RECORDS_TABLE, key, row)) == WriteOutcome.APPLIED;
    }

    private static List<Entry> preparingEntries(List<WriteAction> actions) {
        List<Entry> entries = new ArrayList<>(actions.size());
        for (WriteAction a : actions) {
            entries.add(new Entry(a.table().id(), a.table().name(), a.key().partitionKey(), a.key().sortKey(), Effect.KEEP, null));
        }
        return entries;
    }

    private static List<Entry> committedEntries(List<WriteAction> actions, Outcome[] outcomes) {
        List<Entry> entries = new ArrayList<>(actions.size());
        for (int i = 0; i < actions.size(); i++) {
            WriteAction a = actions.get(i);
            Map<String, AttributeValue> image = outcomes[i].newItem();
            Effect effect = a.kind() == WriteAction.Kind.CONDITION_CHECK ? Effect.KEEP : image == null ? Effect.DELETE : Effect.PUT;
            entries.add(new Entry(a.table().id(), a.table().name(), a.key().partitionKey(), a.key().sortKey(), effect,
                    effect == Effect.PUT ? ItemCodec.encode(image) : null));
        }
        return entries;
    }
}

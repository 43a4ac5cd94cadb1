package dev.flywheel.engine.ttl;

import dev.flywheel.engine.PeriodicTask;
import dev.flywheel.engine.item.ChangeOrigin;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.engine.table.TimeToLiveSettings;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired items of tables with time to live enabled: one daemon thread that scans each such
 * table every interval, a page at a time, and deletes each item whose time-to-live attribute is a
 * Number of epoch seconds at or before now, unless it lies more than five years in the past (DynamoDB
 * ignores those, as it ignores values that are not Numbers).
 *
 * <p>Each deletion is an ordinary item write (read, check, compare-and-set) whose check is the expiry
 * itself, so an item updated meanwhile with a later expiry survives; global secondary indexes follow
 * through the write's derived records, and the stream shows a REMOVE by the service. It costs no table
 * capacity, and the one thread never deletes more than one item at a time and reads at most
 * {@value #MAX_ROWS_PER_SECOND} rows a second, so the foreground load keeps the rest of the machine (a
 * table of ten million items takes about two minutes a pass; DynamoDB itself may take days).
 */
public final class TimeToLiveSweeper implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TimeToLiveSweeper.class);
    private static final int PAGE_ROWS = 256;
    static final int MAX_ROWS_PER_SECOND = 100_000;
    private static final long FIVE_YEARS_SECONDS = Duration.ofDays(5 * 365).toSeconds();

    private final Catalog catalog;
    private final Storage storage;
    private final ItemStore items;
    private final Clock clock;
    private final PeriodicTask task;
    private final AtomicLong deleted = new AtomicLong();

    public TimeToLiveSweeper(Catalog catalog, Storage storage, ItemStore items, Clock clock, Duration interval) {
        this.catalog = catalog;
        this.storage = storage;
        this.items = items;
        this.clock = clock;
        this.task = new PeriodicTask("ttl-sweeper", interval, this::sweep);
    }

    public void start() {
        task.start();
    }

    /** How many expired items this sweeper deleted since it started. */
    public long deletedItems() {
        return deleted.get();
    }

    /** One pass over every table with time to live enabled. */
    public void sweep() {
        for (TableDefinition table : catalog.tables()) {
            if (task.isClosed()) return;
            TimeToLiveSettings ttl = table.timeToLive();
            if (ttl != null && ttl.enabled()) sweep(table, ttl.attributeName());
        }
    }

    private void sweep(TableDefinition table, String attribute) {
        Set<String> names = new HashSet<>();
        names.add(attribute);
        for (KeyAttribute key : table.keyAttributes()) names.add(key.name());
        RowKey after = null;
        long count = 0, rows = 0, started = System.nanoTime();
        while (!task.isClosed()) {
            pace(rows, started);
            Page page = storage.scan(table.id(), 0, 1, after, ReadLimits.rows(PAGE_ROWS));
            rows += page.rows().size();
            long nowSeconds = clock.instant().getEpochSecond();
            for (Row row : page.rows()) {
                Map<String, AttributeValue> item = ItemCodec.decode(row.value(), names);
                if (isExpired(item.get(attribute), nowSeconds) && delete(table, attribute, item)) count++;
            }
            if (!page.mayHaveMore() || page.rows().isEmpty()) break;
            after = page.rows().getLast().key();
        }
        if (count > 0) {
            deleted.addAndGet(count);
            log.info("Time to live deleted {} expired items of table {}", count, table.name());
        }
    }

    /** Sleeps until reading {@code rows} rows since {@code started} keeps within {@link #MAX_ROWS_PER_SECOND}. */
    private static void pace(long rows, long started) {
        long due = started + rows * 1_000_000_000L / MAX_ROWS_PER_SECOND;
        long wait = due - System.nanoTime();
        if (wait > 0) java.util.concurrent.locks.LockSupport.parkNanos(wait);
    }

    /** Deletes the item if it is still expired when the write applies; false if it was not deleted. */
    private boolean delete(TableDefinition table, String attribute, Map<String, AttributeValue> key) {
        try {
            ItemStore.Change change = items.write(table, ItemKey.ofItem(table, key), current -> {
                if (current == null || !isExpired(current.get(attribute), clock.instant().getEpochSecond())) {
                    throw StillAlive.INSTANCE;
                }
                return null;
            }, ChangeOrigin.TIME_TO_LIVE);
            return change.oldItem() != null;
        } catch (StillAlive e) {
            return false;
        } catch (DynamoDbException.ResourceNotFoundException e) {
            return false; // the table was deleted meanwhile
        } catch (DynamoDbException.TransactionConflictException e) {
            return false; // a transaction holds the item: the next pass sees how it ended
        }
    }

    /** DynamoDB's rule: a Number of epoch seconds, not in the future, and not more than five years in the past. */
    static boolean isExpired(AttributeValue value, long nowSeconds) {
        if (!(value instanceof AttributeValue.N n)) return false;
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(n.value());
        } catch (NumberFormatException e) {
            return false;
        }
        return seconds.compareTo(BigDecimal.valueOf(nowSeconds)) <= 0
                && seconds.compareTo(BigDecimal.valueOf(nowSeconds - FIVE_YEARS_SECONDS)) >= 0;
    }

    @Override
    public void close() {
        task.close();
    }

    /** Abandons a deletion: the item was updated meanwhile and is no longer expired. */
    private static final class StillAlive extends RuntimeException {
        static final StillAlive INSTANCE = new StillAlive();

        private StillAlive() {
            super(null, null, false, false);
        }
    }
}

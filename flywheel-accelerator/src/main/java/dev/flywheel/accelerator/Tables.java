package dev.flywheel.accelerator;

import dev.flywheel.model.NonBlocking;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.StreamSpecification;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.shapes.UpdateTableInput;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the accelerator knows of the target's tables: their key attributes (to find the key of an item
 * a write or a BatchGetItem names only by its attributes) and their stream, learnt with DescribeTable
 * the first time a table is used and again every minute, in the background (a table may be re-created
 * behind the accelerator's back, with another stream).
 *
 * <p>A table is handed to the stream follower before anything of it is cached, so every write after a
 * cached read is seen. When asked to, a table without a stream gets one (KEYS_ONLY: the keys are all the
 * follower needs) the first time it is described; where the target refuses (a table being updated, a
 * caller not allowed UpdateTable, a target without streams), the table is cached until the TTL, and the
 * next description, a minute later, tries again. Thread-safe.
 */
final class Tables {

    /** A table's key attribute names (partition key first) and its latest stream's ARN, or null. */
    record Table(String name, List<String> keyNames, String streamArn) {
        /** The key attributes of {@code item}; null when it lacks one (a projection left it out). */
        Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> key = new HashMap<>(4);
            for (String name : keyNames) {
                AttributeValue value = item.get(name);
                if (value == null) return null;
                key.put(name, value);
            }
            return key;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Tables.class);

    private final DynamoDbApi target;
    private final boolean enableStreams;
    private final LoadingCache<String, Table> known;
    private final Consumer<Table> onDescribed;

    Tables(DynamoDbApi target, boolean enableStreams, Consumer<Table> onDescribed) {
        this.target = target;
        this.enableStreams = enableStreams;
        this.onDescribed = onDescribed;
        // Refreshed in the background: reads keep the known description meanwhile, rather than all
        // waiting on one DescribeTable (a stall of every request of the table, once a minute).
        this.known = Caffeine.newBuilder()
                .refreshAfterWrite(Duration.ofMinutes(1))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build(this::describe);
    }

    /**
     * The table named {@code name} (a name, not an ARN), or null when the target will not describe it
     * (it does not exist, or the accelerator may not see it): then nothing of it is cached.
     */
    Table get(String name) {
        if (NonBlocking.attempting()) {
            // Loading describes the table at the target, and waits for a load in flight: not here.
            Table table = known.getIfPresent(name);
            if (table == null) throw NonBlocking.WouldBlock.INSTANCE;
            return table;
        }
        return known.get(name);
    }

    /** After a table was created, deleted or changed through the accelerator. */
    void forget(String name) {
        known.invalidate(name);
    }

    private Table describe(String name) {
        TableDescription description;
        try {
            description = target.describeTable(DescribeTableInput.builder().tableName(name).build()).table();
        } catch (DynamoDbException e) {
            return null;
        }
        if (description == null || description.keySchema() == null) {
            return null;
        }
        List<String> keyNames = description.keySchema().stream()
                .sorted((a, b) -> "HASH".equals(a.keyType()) ? -1 : "HASH".equals(b.keyType()) ? 1 : 0)
                .map(KeySchemaElement::attributeName)
                .toList();
        boolean streaming = description.streamSpecification() != null
                && Boolean.TRUE.equals(description.streamSpecification().streamEnabled());
        String streamArn = streaming ? description.latestStreamArn() : enableStreams ? enableStream(name) : null;
        Table table = new Table(name, keyNames, streamArn);
        onDescribed.accept(table);
        return table;
    }

    /** Turns on a KEYS_ONLY stream on {@code name}; its ARN, or null where the target refuses. */
    private String enableStream(String name) {
        try {
            TableDescription updated = target.updateTable(UpdateTableInput.builder().tableName(name)
                    .streamSpecification(StreamSpecification.builder().streamEnabled(true).streamViewType("KEYS_ONLY").build())
                    .build()).tableDescription();
            String arn = updated == null ? null : updated.latestStreamArn();
            if (arn != null) log.info("Turned on a KEYS_ONLY stream on table {} to see the writes that bypass the accelerator", name);
            return arn;
        } catch (DynamoDbException e) {
            log.warn("Cannot turn on a stream on table {} ({}: {}); trying again in a minute", name, e.code(), e.getMessage());
            return null;
        }
    }

    /** The table name in {@code nameOrArn}: DynamoDB accepts a table's ARN wherever it takes its name. */
    static String nameOf(String nameOrArn) {
        if (nameOrArn == null || !nameOrArn.startsWith("arn:")) {
            return nameOrArn;
        }
        int table = nameOrArn.indexOf(":table/");
        if (table < 0) return nameOrArn;
        String rest = nameOrArn.substring(table + ":table/".length());
        int slash = rest.indexOf('/');
        return slash < 0 ? rest : rest.substring(0, slash);
    }
}

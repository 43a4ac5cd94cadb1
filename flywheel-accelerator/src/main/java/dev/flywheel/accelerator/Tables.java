package dev.flywheel.accelerator;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.TableDescription;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * What the accelerator knows of the target's tables: their key attributes (to find the key of an item
 * a write or a BatchGetItem names only by its attributes) and their stream, learnt with DescribeTable
 * the first time a table is used and again every minute, in the background (a table may be re-created
 * behind the accelerator's back, with another stream).
 *
 * <p>A table is handed to the stream follower before anything of it is cached, so every write after a
 * cached read is seen. Thread-safe.
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

    private final DynamoDbApi target;
    private final LoadingCache<String, Table> known;
    private final Consumer<Table> onDescribed;

    Tables(DynamoDbApi target, Consumer<Table> onDescribed) {
        this.target = target;
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
        Table table = new Table(name, keyNames, streaming ? description.latestStreamArn() : null);
        onDescribed.accept(table);
        return table;
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

package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ResourceInUseException;
import dev.flywheel.model.DynamoDbException.ResourceNotFoundException;
import dev.flywheel.storage.Storage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.UnaryOperator;

/**
 * The tables of this Flywheel: their definitions, persisted in the storage's metadata
 * ({@code table/<name>}) and held in memory for every request.
 *
 * <p>Reads are lock-free; changes are serialized by this object's monitor and written to storage
 * before they become visible, so a definition a request saw is always durable.
 */
public final class Catalog {
    private static final String TABLE_PREFIX = "table/";
    private static final String NEXT_TABLE_ID = "next-table-id";

    private final Storage storage;
    private final Arns arns;
    private final ConcurrentSkipListMap<String, TableDefinition> tables = new ConcurrentSkipListMap<>();

    public Catalog(Storage storage, Arns arns) {
        this.storage = storage;
        this.arns = arns;
        for (byte[] bytes : storage.listMeta(TABLE_PREFIX).values()) {
            TableDefinition t = TableDefinitionFormat.read(bytes);
            tables.put(t.name(), t);
        }
    }

    public Arns arns() { return arns; }

    /**
     * The table named by {@code nameOrArn} (DynamoDB accepts a table ARN wherever a TableName goes).
     *
     * @throws ResourceNotFoundException with DynamoDB's data-plane message when there is none
     */
    public TableDefinition require(String nameOrArn) {
        TableDefinition t = find(nameOrArn);
        if (t == null) throw new ResourceNotFoundException("Requested resource not found");
        return t;
    }

    /** As {@link #require}, with the message DynamoDB's control-plane operations answer. */
    public TableDefinition requireForControlPlane(String nameOrArn) {
        TableDefinition t = find(nameOrArn);
        if (t == null) {
            throw new ResourceNotFoundException(
                    "Requested resource not found: Table: " + arns.tableName(nameOrArn) + " not found");
        }
        return t;
    }

    /** The table named by a valid name or an ARN, or null; an invalid name is a ValidationException. */
    public TableDefinition find(String nameOrArn) {
        String name = arns.tableName(nameOrArn);
        TableDefinition table = tables.get(name);
        // Only a name that names no table can be invalid: check it off the hot path.
        if (table == null && name.equals(nameOrArn)) TableNames.validate(name);
        return table;
    }

    /** Table names in order, starting after {@code exclusiveStart} (null: from the first). */
    public List<String> names(String exclusiveStart, int limit) {
        Map<String, TableDefinition> tail = exclusiveStart == null ? tables : tables.tailMap(exclusiveStart, false);
        List<String> names = new ArrayList<>(Math.min(limit, tail.size()));
        for (String name : tail.keySet()) {
            if (names.size() == limit) break;
            names.add(name);
        }
        return names;
    }

    public boolean hasTableAfter(String name) {
        return tables.higherKey(name) != null;
    }

    /** Allocates a storage id that no table has used before. */
    public synchronized long allocateId() {
        byte[] current = storage.getMeta(NEXT_TABLE_ID);
        long id = current == null ? 1 : ByteBuffer.wrap(current).getLong();
        storage.putMeta(NEXT_TABLE_ID, ByteBuffer.allocate(8).putLong(id + 1).array());
        return id;
    }

    public synchronized void create(TableDefinition table) {
        if (tables.containsKey(table.name())) {
            throw new ResourceInUseException("Table already exists: " + table.name());
        }
        storage.putMeta(TABLE_PREFIX + table.name(), TableDefinitionFormat.write(table));
        tables.put(table.name(), table);
    }

    /** Replaces a table's definition with {@code change} applied to the current one. */
    public synchronized TableDefinition update(String name, UnaryOperator<TableDefinition> change) {
        TableDefinition current = requireForControlPlane(name);
        TableDefinition updated = change.apply(current);
        storage.putMeta(TABLE_PREFIX + updated.name(), TableDefinitionFormat.write(updated));
        tables.put(updated.name(), updated);
        return updated;
    }

    /** Forgets the table and drops its rows. */
    public synchronized void delete(TableDefinition table) {
        storage.putMeta(TABLE_PREFIX + table.name(), null);
        tables.remove(table.name());
        storage.dropTable(table.id());
    }
}

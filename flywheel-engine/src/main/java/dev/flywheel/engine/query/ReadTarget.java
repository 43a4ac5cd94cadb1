package dev.flywheel.engine.query;

import dev.flywheel.engine.index.CompositeKey;
import dev.flywheel.engine.index.KeyTuple;
import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.engine.item.ItemKey;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.engine.table.LocalIndex;
import dev.flywheel.engine.table.SecondaryIndex;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.expression.Condition;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.storage.KeyRange;
import dev.flywheel.storage.ReadConsistency;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.Storage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What a Query or Scan reads: a table's items, or the entries of one of its global or local secondary
 * indexes (see {@link dev.flywheel.engine.index.IndexEntry} for their layout). Both are rows of a storage
 * table; they differ in their key schema, in how a sort key condition and a start key map to storage
 * keys, and in what a LastEvaluatedKey holds.
 */
sealed interface ReadTarget {
    String INVALID = "One or more parameter values were invalid: ";

    long storageId();

    /** The keys a Query's key condition names, and its filter may not. */
    KeySchema keySchema();

    /** Storage's range of sort keys for a key condition's sort key values (encoded by {@link KeyEncoding}). */
    KeyRange sortKeys(KeyConditions key);

    /** The row a page starts after, from a request's ExclusiveStartKey (validated). */
    RowKey startAfter(Map<String, AttributeValue> exclusiveStartKey);

    /** The LastEvaluatedKey of a page that ended with {@code item}. */
    Map<String, AttributeValue> lastEvaluatedKey(Map<String, AttributeValue> item);

    /** The key attributes a LastEvaluatedKey holds: the table's, or the index's then the table's. */
    List<KeyAttribute> keyAttributes();

    /**
     * How recent the rows read must be: what the request's ConsistentRead asks (eventual unless true, as
     * DynamoDB's default); a global index is always read eventually consistently (its entries follow the
     * table's writes asynchronously anyway, and DynamoDB refuses a consistent read of one).
     */
    default ReadConsistency consistency(Boolean consistentRead) {
        return ItemStore.consistency(consistentRead);
    }

    static ReadTarget of(Storage storage, TableDefinition table, String indexName) {
        if (indexName == null) return new Table(table);
        LocalIndex local = table.localIndex(indexName);
        if (local != null) return new Local(table, local);
        GlobalIndex index = table.globalIndex(indexName);
        if (index == null || !index.isMaintained()) {
            throw new ValidationException("The table does not have the specified index: " + indexName);
        }
        return new Index(storage, table, index);
    }

    /** A table's items. */
    record Table(TableDefinition table) implements ReadTarget {
        @Override public List<KeyAttribute> keyAttributes() { return table.keyAttributes(); }
        @Override public long storageId() { return table.id(); }

        @Override public KeySchema keySchema() { return table.keySchema(); }

        @Override public KeyRange sortKeys(KeyConditions key) { return key.sortKeyRange(); }

        @Override
        public RowKey startAfter(Map<String, AttributeValue> exclusiveStartKey) {
            ItemKey key = startKey(() -> ItemKey.ofKey(table, exclusiveStartKey));
            return new RowKey(key.partitionKey(), key.sortKey());
        }

        @Override
        public Map<String, AttributeValue> lastEvaluatedKey(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            for (KeyAttribute k : table.keyAttributes()) key.put(k.name(), item.get(k.name()));
            return key;
        }
    }

    /**
     * A global secondary index's entries. Its start keys and LastEvaluatedKeys hold the index's keys and
     * the table's (DynamoDB's too), since only together do they identify an entry.
     */
    record Index(Storage storage, TableDefinition table, GlobalIndex index) implements ReadTarget {
        @Override public long storageId() { return index.storageId(); }

        /** Always eventual ({@link #checkConsistency} refuses a request for more). */
        @Override public ReadConsistency consistency(Boolean consistentRead) { return ReadConsistency.EVENTUAL; }

        @Override public KeySchema keySchema() { return index.keySchema(); }

        @Override
        public KeyRange sortKeys(KeyConditions key) {
            // Without a sort key the index has no sort key condition: all of a partition's entries.
            if (index.keySchema().rangeKeys().isEmpty()) return key.sortKeyRange();
            return CompositeKey.componentIn(key.sortKeyPrefix(), key.sortKeyRange());
        }

        @Override
        public List<KeyAttribute> keyAttributes() {
            List<KeyAttribute> keys = new ArrayList<>(index.keySchema().attributes());
            for (KeyAttribute k : table.keyAttributes()) {
                if (!index.keySchema().contains(k.name())) keys.add(k);
            }
            return keys;
        }

        @Override
        public RowKey startAfter(Map<String, AttributeValue> exclusiveStartKey) {
            List<KeyAttribute> keys = keyAttributes();
            if (exclusiveStartKey.size() != keys.size()) throw invalidStartKey();
            for (KeyAttribute k : keys) {
                AttributeValue v = exclusiveStartKey.get(k.name());
                if (v == null || !v.type().equals(k.type())) throw invalidStartKey();
            }
            ItemKey tableKey = startKey(() -> ItemKey.ofKey(table, tableKeyOf(exclusiveStartKey)));
            List<byte[]> sort = KeyTuple.components(valuesOf(index.keySchema().rangeKeys(), exclusiveStartKey));
            sort.add(storage.partitionKeyInSortKey(table.id(), tableKey.partitionKey()));
            if (table.rangeKey() != null) sort.add(tableKey.sortKey());
            byte[] partition = KeyTuple.partitionKey(valuesOf(index.keySchema().hashKeys(), exclusiveStartKey));
            return new RowKey(partition, CompositeKey.encode(sort));
        }

        private static List<AttributeValue> valuesOf(List<KeyAttribute> keys, Map<String, AttributeValue> key) {
            List<AttributeValue> values = new ArrayList<>(keys.size());
            for (KeyAttribute k : keys) values.add(normalized(key.get(k.name())));
            return values;
        }

        private Map<String, AttributeValue> tableKeyOf(Map<String, AttributeValue> key) {
            Map<String, AttributeValue> tableKey = new LinkedHashMap<>();
            for (KeyAttribute k : table.keyAttributes()) tableKey.put(k.name(), key.get(k.name()));
            return tableKey;
        }

        @Override
        public Map<String, AttributeValue> lastEvaluatedKey(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            for (KeyAttribute k : keyAttributes()) key.put(k.name(), item.get(k.name()));
            return key;
        }

        /** A global secondary index is updated asynchronously: it cannot be read consistently. */
        void checkConsistency(Boolean consistentRead) {
            if (Boolean.TRUE.equals(consistentRead)) {
                throw new ValidationException("Consistent reads are not supported on global secondary indexes");
            }
        }

        /**
         * An index holds only what it projects, and is readable only once backfilled. The order of the
         * checks is dynalite's, written against DynamoDB.
         */
        void checkRead(Selection selection, Condition filter) {
            if (selection.allAttributes() && !index.projectsAll()) {
                throw new ValidationException(INVALID + "Select type ALL_ATTRIBUTES is not supported for global secondary"
                        + " index " + index.name() + " because its projection type is not ALL");
            }
            List<String> unprojected = unprojected(selection.topLevelNames());
            if (!unprojected.isEmpty()) {
                throw new ValidationException(INVALID + "Global secondary index " + index.name() + " does not project "
                        + unprojected);
            }
            checkFilterProjected(index, table, filter);
            if (index.status() == GlobalIndex.Status.CREATING) {
                throw new ValidationException("Cannot read from backfilling global secondary index: " + index.name());
            }
        }

        private List<String> unprojected(Iterable<String> names) {
            return ReadTarget.unprojected(index, table, names);
        }
    }

    /**
     * A local secondary index's entries: rows of a companion table in the item's own partition, written
     * with the item, so they can be read consistently. Its start keys and LastEvaluatedKeys hold the
     * table's partition key, the index's sort key and the table's sort key. Attributes the index does not
     * project are fetched from the table, as DynamoDB does.
     */
    record Local(TableDefinition table, LocalIndex index) implements ReadTarget {
        @Override public long storageId() { return index.storageId(); }

        @Override public KeySchema keySchema() { return index.keySchema(); }

        @Override public KeyRange sortKeys(KeyConditions key) { return CompositeKey.firstComponentIn(key.sortKeyRange()); }

        @Override
        public List<KeyAttribute> keyAttributes() {
            return List.of(table.hashKey(), index.sortKey(), table.rangeKey());
        }

        @Override
        public RowKey startAfter(Map<String, AttributeValue> exclusiveStartKey) {
            List<KeyAttribute> keys = keyAttributes();
            if (exclusiveStartKey.size() != keys.size()) throw invalidStartKey();
            for (KeyAttribute k : keys) {
                AttributeValue v = exclusiveStartKey.get(k.name());
                if (v == null || !v.type().equals(k.type())) throw invalidStartKey();
            }
            Map<String, AttributeValue> tableKey = new LinkedHashMap<>();
            for (KeyAttribute k : table.keyAttributes()) tableKey.put(k.name(), exclusiveStartKey.get(k.name()));
            ItemKey key = startKey(() -> ItemKey.ofKey(table, tableKey));
            byte[] sort = CompositeKey.encode(List.of(
                    KeyEncoding.encode(normalized(exclusiveStartKey.get(index.sortKey().name()))), key.sortKey()));
            return new RowKey(key.partitionKey(), sort);
        }

        @Override
        public Map<String, AttributeValue> lastEvaluatedKey(Map<String, AttributeValue> item) {
            Map<String, AttributeValue> key = new LinkedHashMap<>();
            for (KeyAttribute k : keyAttributes()) key.put(k.name(), item.get(k.name()));
            return key;
        }

        /** A filter may name only what the index projects (DynamoDB Local's rule, with its message). */
        void checkRead(Condition filter) {
            checkFilterProjected(index, table, filter);
        }

        /** Whether the items returned need attributes the index does not hold, which are then read from the table. */
        boolean fetchesFromTable(Selection selection) {
            if (index.projectsAll() || selection.countOnly()) return false;
            return selection.allAttributes() || !unprojected(index, table, selection.topLevelNames()).isEmpty();
        }

        /** The sort key, in the table, of the item an entry of this index stands for. */
        static byte[] tableSortKey(byte[] entrySortKey) {
            return CompositeKey.decode(entrySortKey).get(1);
        }
    }

    private static void checkFilterProjected(SecondaryIndex index, TableDefinition table, Condition filter) {
        if (filter == null) return;
        List<String> unfiltered = unprojected(index, table, ConditionPaths.topLevelNames(filter));
        if (!unfiltered.isEmpty()) {
            throw new ValidationException(INVALID + "Secondary index " + index.name() + " does not project one or"
                    + " more filter attributes: " + unfiltered);
        }
    }

    private static List<String> unprojected(SecondaryIndex index, TableDefinition table, Iterable<String> names) {
        Set<String> missing = new LinkedHashSet<>();
        for (String name : names) {
            if (!index.projects(name, table.keySchema())) missing.add(name);
        }
        return List.copyOf(missing);
    }

    private static AttributeValue normalized(AttributeValue v) {
        return AttributeValues.normalize(v);
    }

    private static ValidationException invalidStartKey() {
        return new ValidationException("The provided starting key is invalid: The provided key element does not match"
                + " the schema");
    }

    private static ItemKey startKey(Supplier<ItemKey> key) {
        try {
            return key.get();
        } catch (ValidationException e) {
            throw new ValidationException("The provided starting key is invalid: " + e.getMessage());
        }
    }

    /** The top-level names of some document paths. */
    static List<String> topLevelNames(List<DocumentPath> paths) {
        List<String> names = new ArrayList<>(paths.size());
        for (DocumentPath path : paths) names.add(path.topLevelName());
        return names;
    }
}

package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.LocalSecondaryIndex;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates CreateTable's LocalSecondaryIndexes as DynamoDB does, and turns them into {@link LocalIndex}
 * definitions. The order of the checks and their messages follow dynalite's CreateTable validation,
 * written against DynamoDB (docs/dynamodb-error-messages.md §1.3); the projection's rules are the
 * global indexes' ({@link GlobalIndexRequests#nonKeyAttributes}).
 */
final class LocalIndexRequests {
    static final int MAX_LOCAL_INDEXES = 5;
    private static final String INVALID = "One or more parameter values were invalid: ";

    private LocalIndexRequests() {}

    /**
     * The indexes, validated against the table's key and attribute definitions; their storage ids are
     * left 0 for the caller to allocate once the whole request is valid.
     */
    static List<LocalIndex> forCreateTable(List<LocalSecondaryIndex> requested, KeySchema table,
                                           Map<String, String> definitions) {
        if (requested.isEmpty()) throw new ValidationException(INVALID + "List of LocalSecondaryIndexes is empty");
        if (table.rangeKey() == null) {
            throw new ValidationException(INVALID + "Table KeySchema does not have a range key, which is required when"
                    + " specifying a LocalSecondaryIndex");
        }
        List<LocalIndex> indexes = new ArrayList<>(requested.size());
        Set<String> names = new HashSet<>();
        for (LocalSecondaryIndex r : requested) {
            KeySchema key = keySchema(r, table, definitions);
            List<String> nonKey = GlobalIndexRequests.nonKeyAttributes(r.projection());
            if (!names.add(r.indexName())) throw new ValidationException(INVALID + "Duplicate index name: " + r.indexName());
            indexes.add(new LocalIndex(r.indexName(), 0, key, r.projection().projectionType(), nonKey));
        }
        if (indexes.size() > MAX_LOCAL_INDEXES) {
            // dynalite's text; its own validator file words it "LocalSecondaryIndex count exceeds the per-table
            // limit of 5" (docs/dynamodb-error-messages.md): not confirmed which DynamoDB answers today.
            throw new ValidationException(INVALID + "Number of LocalSecondaryIndexes exceeds per-table limit of "
                    + MAX_LOCAL_INDEXES);
        }
        return indexes;
    }

    private static KeySchema keySchema(LocalSecondaryIndex index, KeySchema table, Map<String, String> definitions) {
        List<KeySchemaElement> elements = index.keySchema();
        List<String> names = elements.stream().map(KeySchemaElement::attributeName).toList();
        GlobalIndexRequests.checkKeyElements(elements, names, definitions);
        if (elements.size() == 2 && !"RANGE".equals(elements.get(1).keyType())) {
            throw new ValidationException("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
        }
        if (elements.size() != 2) {
            throw new ValidationException(INVALID + "Index KeySchema does not have a range key for index: "
                    + index.indexName());
        }
        if (!names.get(0).equals(table.hashKey().name())) {
            throw new ValidationException(INVALID + "Index KeySchema does not have the same leading hash key as table"
                    + " KeySchema for index: " + index.indexName() + ". index hash key: " + names.get(0)
                    + ", table hash key: " + table.hashKey().name());
        }
        return new KeySchema(table.hashKey(), new KeyAttribute(names.get(1), definitions.get(names.get(1))));
    }
}

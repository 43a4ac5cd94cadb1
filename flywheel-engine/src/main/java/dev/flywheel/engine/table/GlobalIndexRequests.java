package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.ProvisionedThroughput;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates requested global secondary indexes (CreateTable's GlobalSecondaryIndexes, UpdateTable's
 * Create action) as DynamoDB does, and turns them into {@link GlobalIndex} definitions. The order of the
 * checks and their messages follow dynalite's CreateTable validation, written against DynamoDB; the
 * INCLUDE and throughput rules follow messages captured from DynamoDB (see docs/dynamodb-error-messages.md),
 * and so do the multi-attribute key's (docs/dynamodb-error-messages.md §1.9).
 */
final class GlobalIndexRequests {
    static final int MAX_GLOBAL_INDEXES = 20;
    /** Developer Guide, "Multi-attribute key schema": up to four partition key and four sort key attributes. */
    static final int MAX_KEY_ATTRIBUTES = 4;
    /** Developer Guide, "Secondary indexes" quotas: projected non-key attributes across all of a table's indexes. */
    static final int MAX_PROJECTED_ATTRIBUTES = 100;
    private static final String INVALID = "One or more parameter values were invalid: ";

    private GlobalIndexRequests() {}

    /** One requested index, from a GlobalSecondaryIndex or a CreateGlobalSecondaryIndexAction. */
    record Requested(String name, List<KeySchemaElement> keySchema, Projection projection, ProvisionedThroughput throughput) {}

    /**
     * The index, validated against the attribute definitions; its storage id is left 0 for the caller to
     * allocate once the whole request is valid.
     */
    static GlobalIndex validate(Requested index, Map<String, String> definitions, String billingMode,
                                GlobalIndex.Status status) {
        KeySchema key = keySchema(index, definitions);
        Projection projection = index.projection();
        List<String> nonKey = nonKeyAttributes(projection);
        String type = projection.projectionType();
        long read = 0, write = 0;
        ProvisionedThroughput throughput = index.throughput();
        if (billingMode.equals(TableDefinition.PAY_PER_REQUEST)) {
            if (throughput != null) {
                throw new ValidationException(INVALID + "ProvisionedThroughput should not be specified for index: "
                        + index.name() + " when BillingMode is PAY_PER_REQUEST");
            }
        } else {
            if (throughput == null) {
                throw new ValidationException(INVALID + "ProvisionedThroughput is not specified for index: " + index.name());
            }
            read = throughput.readCapacityUnits();
            write = throughput.writeCapacityUnits();
        }
        return new GlobalIndex(index.name(), 0, key, type, nonKey, read, write, status);
    }

    /** A global or local index's Projection, validated: the attributes it adds to the keys (empty unless INCLUDE). */
    static List<String> nonKeyAttributes(Projection projection) {
        if (projection == null || projection.projectionType() == null) {
            throw new ValidationException(INVALID + "Unknown ProjectionType: null");
        }
        String type = projection.projectionType();
        List<String> nonKey = projection.nonKeyAttributes();
        if (nonKey != null && !type.equals(SecondaryIndex.INCLUDE)) {
            throw new ValidationException(INVALID + "ProjectionType is " + type + ", but NonKeyAttributes is specified");
        }
        if (type.equals(SecondaryIndex.INCLUDE) && (nonKey == null || nonKey.isEmpty())) {
            throw new ValidationException(INVALID + "ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
        }
        Set<String> seen = new HashSet<>();
        for (String attribute : nonKey == null ? List.<String>of() : nonKey) {
            if (!seen.add(attribute)) {
                throw new ValidationException(INVALID + "Duplicate element in NonKeyAttributes: " + attribute);
            }
        }
        return nonKey == null ? List.of() : nonKey;
    }

    /**
     * The checks an index's KeySchema gets first, global or local, in DynamoDB's order: its attributes
     * defined, two different names, HASH first.
     */
    static void checkKeyElements(List<KeySchemaElement> elements, List<String> names, Map<String, String> definitions) {
        if (!definitions.keySet().containsAll(names)) {
            throw new ValidationException(INVALID + "Some index key attributes are not defined in AttributeDefinitions."
                    + " Keys: " + names + ", AttributeDefinitions: " + List.copyOf(definitions.keySet()));
        }
        if (elements.size() == 2 && names.get(0).equals(names.get(1))) {
            throw new ValidationException("Both the Hash Key and the Range Key element in the KeySchema have the same name");
        }
        if (!"HASH".equals(elements.get(0).keyType())) {
            throw new ValidationException("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
        }
    }

    /**
     * A global index's key: up to four HASH attributes, then up to four RANGE attributes ("multi-attribute
     * keys", Developer Guide, "Multi-attribute key schema"), each with the type its definition gives.
     */
    private static KeySchema keySchema(Requested index, Map<String, String> definitions) {
        List<KeySchemaElement> elements = index.keySchema();
        List<String> names = elements.stream().map(KeySchemaElement::attributeName).toList();
        checkKeyElements(elements, names, definitions);
        if (new HashSet<>(names).size() < names.size()) {
            throw new ValidationException("The KeySchema contains multiple key attributes with the same name");
        }
        List<KeyAttribute> hash = new ArrayList<>(), range = new ArrayList<>();
        for (KeySchemaElement e : elements) {
            boolean isHash = "HASH".equals(e.keyType());
            if (isHash && !range.isEmpty()) {
                throw new ValidationException(INVALID + "All HASH key attributes must precede RANGE key attributes in the"
                        + " KeySchema");
            }
            (isHash ? hash : range).add(new KeyAttribute(e.attributeName(), definitions.get(e.attributeName())));
        }
        if (hash.size() > MAX_KEY_ATTRIBUTES || range.size() > MAX_KEY_ATTRIBUTES) {
            throw new ValidationException(INVALID + "The KeySchema exceeds the maximum allowed number of "
                    + (hash.size() > MAX_KEY_ATTRIBUTES ? "HASH" : "RANGE") + " key attributes");
        }
        return new KeySchema(hash, range);
    }

    /**
     * CreateTable's GlobalSecondaryIndexes, validated whole (names unique, also among the local indexes
     * {@code localIndexes}, at most 20).
     */
    static List<GlobalIndex> forCreateTable(List<Requested> requested, Map<String, String> definitions, String billingMode,
                                            List<LocalIndex> localIndexes) {
        if (requested.isEmpty()) throw new ValidationException(INVALID + "List of GlobalSecondaryIndexes is empty");
        List<GlobalIndex> indexes = new ArrayList<>(requested.size());
        Set<String> names = new HashSet<>();
        for (LocalIndex local : localIndexes) names.add(local.name());
        for (Requested r : requested) {
            GlobalIndex index = validate(r, definitions, billingMode, GlobalIndex.Status.ACTIVE);
            if (!names.add(index.name())) throw new ValidationException(INVALID + "Duplicate index name: " + index.name());
            indexes.add(index);
        }
        if (indexes.size() > MAX_GLOBAL_INDEXES) {
            throw new ValidationException(INVALID + "GlobalSecondaryIndex count exceeds the per-table limit of "
                    + MAX_GLOBAL_INDEXES);
        }
        List<SecondaryIndex> all = new ArrayList<>(localIndexes);
        all.addAll(indexes);
        checkProjectedAttributes(all);
        return indexes;
    }

    /** At most 100 distinct projected non-key attributes over all of a table's indexes. */
    static void checkProjectedAttributes(List<? extends SecondaryIndex> indexes) {
        Set<String> projected = new HashSet<>();
        for (SecondaryIndex index : indexes) projected.addAll(index.nonKeyAttributes());
        if (projected.size() > MAX_PROJECTED_ATTRIBUTES) {
            // Wording not confirmed from DynamoDB; the limit is documented.
            throw new ValidationException(INVALID + "The number of projected non-key attributes across all secondary"
                    + " indexes exceeds the per-table limit of " + MAX_PROJECTED_ATTRIBUTES);
        }
    }

    /**
     * With indexes, AttributeDefinitions must define exactly the table's and the indexes' key attributes;
     * DynamoDB words the error differently than for a table alone.
     */
    static void checkAllDefinitionsUsed(KeySchema table, List<? extends SecondaryIndex> indexes,
                                        Map<String, String> definitions) {
        Set<String> used = new LinkedHashSet<>();
        for (KeyAttribute k : table.attributes()) used.add(k.name());
        for (SecondaryIndex index : indexes) {
            for (KeyAttribute k : index.keySchema().attributes()) used.add(k.name());
        }
        if (!used.containsAll(definitions.keySet())) {
            throw new ValidationException(INVALID + "Some AttributeDefinitions are not used. AttributeDefinitions: "
                    + List.copyOf(definitions.keySet()) + ", keys used: " + List.copyOf(used));
        }
    }
}

package dev.flywheel.engine.query;

import dev.flywheel.engine.index.KeyTuple;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.Condition;
import dev.flywheel.storage.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The key conditions of a Query on a global secondary index with a multi-attribute key (Developer
 * Guide, "Multi-attribute key schema"): every partition key attribute with EQ; the sort key attributes
 * from the first on, without a gap, each with EQ but the last one given, which may have any sort key
 * condition (EQ, LT, LE, GT, GE, BEGINS_WITH, BETWEEN). Where the conditions are written does not matter,
 * only which attributes they name.
 *
 * <p>The two messages naming the attributes at fault are DynamoDB Local's (3.3.1), which implements
 * these rules: DynamoDB's own text is not documented.
 */
final class MultiAttributeKeyConditions {
    private MultiAttributeKeyConditions() {}

    static KeyConditions of(KeySchema key, Map<String, Condition> conditions) {
        List<String> hashWithoutEquality = withoutEquality(key.hashKeys(), conditions);
        if (!hashWithoutEquality.isEmpty()) {
            throw new ValidationException("HASH key attributes " + String.join(", ", hashWithoutEquality)
                    + " must have equality conditions specified in the query");
        }
        for (String name : conditions.keySet()) {
            // As for a single-attribute key: a condition on anything but the index's key attributes.
            if (!key.contains(name)) throw new ValidationException("Query key condition not supported");
        }
        List<KeyAttribute> range = key.rangeKeys();
        int last = -1;
        for (int i = 0; i < range.size(); i++) if (conditions.containsKey(range.get(i).name())) last = i;
        if (last > 0) {
            List<String> before = withoutEquality(range.subList(0, last), conditions);
            if (!before.isEmpty()) {
                throw new ValidationException("RANGE key attributes " + String.join(", ", before) + " must have"
                        + " equality conditions specified in the query because a condition is present on key attribute "
                        + range.get(last).name());
            }
        }
        List<AttributeValue> hash = new ArrayList<>(key.hashKeys().size());
        for (KeyAttribute k : key.hashKeys()) hash.add(equalTo(k, conditions));
        List<byte[]> prefix = new ArrayList<>(Math.max(last, 0));
        for (int i = 0; i < last; i++) prefix.add(KeyEncoding.encode(equalTo(range.get(i), conditions)));
        KeyRange next = last < 0 ? KeyRange.ALL
                : KeyConditions.sortKeyRange(range.get(last), conditions.get(range.get(last).name()));
        return new KeyConditions(KeyTuple.partitionKey(hash), prefix, next);
    }

    /** The names of {@code keys}, in order, that have no EQ condition (none, or another one). */
    private static List<String> withoutEquality(List<KeyAttribute> keys, Map<String, Condition> conditions) {
        List<String> names = new ArrayList<>();
        for (KeyAttribute k : keys) {
            Condition c = conditions.get(k.name());
            if (c == null || !"EQ".equals(c.comparisonOperator())) names.add(k.name());
        }
        return names;
    }

    private static AttributeValue equalTo(KeyAttribute key, Map<String, Condition> conditions) {
        return KeyConditions.operand(key, conditions.get(key.name()), 1).getFirst();
    }
}

package dev.flywheel.engine.query;

import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.Condition;
import dev.flywheel.storage.KeyRange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Query's key condition in storage terms: the partition key's bytes, the values of the leading sort
 * key attributes fixed by equality (only a multi-attribute sort key has some), and the range of values
 * of the sort key attribute after them (encoded by {@link KeyEncoding}; an index maps both to its own
 * sort keys).
 * Built from the legacy {@code KeyConditions} (a KeyConditionExpression is first translated to them
 * by {@link KeyConditionExpressions}): the partition key with EQ, the sort key with EQ, LT, LE, GT,
 * GE, BEGINS_WITH or BETWEEN; for a multi-attribute key see {@link MultiAttributeKeyConditions}.
 *
 * @param sortKeyPrefix the encoded values of the first sort key attributes, each given with EQ
 * @param sortKeyRange the range of the next sort key attribute's values (all values without a condition)
 */
record KeyConditions(byte[] partitionKey, List<byte[]> sortKeyPrefix, KeyRange sortKeyRange) {
    private static final String INVALID = "One or more parameter values were invalid: ";

    KeyConditions(byte[] partitionKey, KeyRange sortKeyRange) {
        this(partitionKey, List.of(), sortKeyRange);
    }

    /**
     * Whether the stored sort key {@code sortKey} lies in {@code r}: a Query may only resume from a
     * start key its own key condition selects.
     */
    static boolean selects(KeyRange r, byte[] sortKey) {
        if (r.lower() != null) {
            int c = Arrays.compareUnsigned(sortKey, r.lower());
            if (c < 0 || (c == 0 && !r.lowerInclusive())) return false;
        }
        if (r.upper() != null) {
            int c = Arrays.compareUnsigned(sortKey, r.upper());
            if (c > 0 || (c == 0 && !r.upperInclusive())) return false;
        }
        return true;
    }

    static KeyConditions fromLegacy(KeySchema table, Map<String, Condition> conditions) {
        if (table.isMultiAttribute()) return MultiAttributeKeyConditions.of(table, conditions);
        Condition hash = conditions.get(table.hashKey().name());
        if (hash == null) {
            throw new ValidationException("Query condition missed key schema element: " + table.hashKey().name());
        }
        for (String name : conditions.keySet()) {
            if (!table.contains(name)) throw new ValidationException("Query key condition not supported");
        }
        if (!hash.comparisonOperator().equals("EQ")) throw new ValidationException("Query key condition not supported");
        byte[] partition = KeyEncoding.encode(operand(table.hashKey(), hash, 1).getFirst());
        KeyRange range = KeyRange.ALL;
        if (table.rangeKey() != null && conditions.containsKey(table.rangeKey().name())) {
            range = sortKeyRange(table.rangeKey(), conditions.get(table.rangeKey().name()));
        }
        return new KeyConditions(partition, range);
    }

    /** The range of {@code key}'s values a sort key condition selects. */
    static KeyRange sortKeyRange(KeyAttribute key, Condition c) {
        String op = c.comparisonOperator();
        return switch (op) {
            case "EQ" -> KeyRange.exactly(bytes(key, c, 1, 0));
            case "LT" -> new KeyRange(null, true, bytes(key, c, 1, 0), false);
            case "LE" -> new KeyRange(null, true, bytes(key, c, 1, 0), true);
            case "GT" -> new KeyRange(bytes(key, c, 1, 0), false, null, true);
            case "GE" -> new KeyRange(bytes(key, c, 1, 0), true, null, true);
            case "BEGINS_WITH" -> {
                if (key.type().equals("N")) throw new ValidationException("Query key condition not supported");
                yield KeyRange.prefix(bytes(key, c, 1, 0));
            }
            case "BETWEEN" -> {
                byte[] low = bytes(key, c, 2, 0), high = bytes(key, c, 2, 1);
                if (Arrays.compareUnsigned(low, high) > 0) {
                    throw new ValidationException("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound"
                            + " to be greater than or equal to lower bound; lower operand: " + show(c, 0)
                            + ", upper operand: " + show(c, 1));
                }
                yield new KeyRange(low, true, high, true);
            }
            default -> throw new ValidationException("Query key condition not supported");
        };
    }

    private static String show(Condition c, int i) {
        AttributeValue v = c.attributeValueList().get(i);
        return "AttributeValue: {" + v.type() + ":" + switch (v) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.value();
            default -> v.toString();
        } + "}";
    }

    private static byte[] bytes(KeyAttribute key, Condition c, int arity, int index) {
        return KeyEncoding.encode(operand(key, c, arity).get(index));
    }

    /** The condition's values, {@code arity} of them, of {@code key}'s type, normalized. */
    static List<AttributeValue> operand(KeyAttribute key, Condition c, int arity) {
        List<AttributeValue> values = c.attributeValueList();
        if (values == null || values.size() != arity) {
            throw new ValidationException(INVALID + "Invalid number of argument(s) for the " + c.comparisonOperator()
                    + " ComparisonOperator");
        }
        for (AttributeValue v : values) {
            if (!v.type().equals(key.type())) {
                throw new ValidationException(INVALID + "Condition parameter type does not match schema type");
            }
        }
        return values.stream().map(AttributeValues::normalize).toList();
    }
}

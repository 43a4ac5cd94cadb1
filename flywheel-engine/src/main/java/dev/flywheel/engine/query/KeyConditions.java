package dev.flywheel.engine.query;

import dev.flywheel.engine.item.AttributeValues;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.Condition;
import dev.flywheel.storage.KeyRange;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Query's key condition in storage terms: the partition key's bytes and the range of sort keys.
 * Built from a KeyConditionExpression or the legacy {@code KeyConditions}: the partition key with
 * equality, the sort key with =, &lt;, &lt;=, &gt;, &gt;=, begins_with or BETWEEN (the legacy
 * operators EQ, LT, LE, GT, GE, BEGINS_WITH, BETWEEN).
 */
record KeyConditions(byte[] partitionKey, KeyRange sortKeyRange) {
    private static final String INVALID = "One or more parameter values were invalid: ";

    /** From a resolved KeyConditionExpression: {@code pk = :v} or {@code pk = :v AND <sort key condition>}. */
    static KeyConditions fromExpression(TableDefinition table, dev.flywheel.expression.Condition condition) {
        java.util.List<dev.flywheel.expression.Condition> parts = new java.util.ArrayList<>();
        flattenAnd(condition, parts);
        java.util.Map<String, Condition> byKey = new java.util.LinkedHashMap<>();
        for (dev.flywheel.expression.Condition part : parts) {
            java.util.Map.Entry<String, Condition> c = legacyForm(part);
            if (byKey.put(c.getKey(), c.getValue()) != null) {
                throw new ValidationException("KeyConditionExpressions must only contain one condition per key");
            }
        }
        return fromLegacy(table, byKey);
    }

    private static void flattenAnd(dev.flywheel.expression.Condition c, java.util.List<dev.flywheel.expression.Condition> out) {
        if (c instanceof dev.flywheel.expression.Condition.And and) {
            flattenAnd(and.left(), out);
            flattenAnd(and.right(), out);
        } else {
            out.add(c);
        }
    }

    /** One conjunct of a key condition, as the legacy (attribute, Condition) it means. */
    private static java.util.Map.Entry<String, Condition> legacyForm(dev.flywheel.expression.Condition c) {
        return switch (c) {
            case dev.flywheel.expression.Condition.Comparison x -> {
                String op = switch (x.comparator()) {
                    case EQ -> "EQ";
                    case LT -> "LT";
                    case LE -> "LE";
                    case GT -> "GT";
                    case GE -> "GE";
                    case NE -> throw invalidOperator("<>");
                };
                if (x.left() instanceof dev.flywheel.expression.DocumentPath path) {
                    yield java.util.Map.entry(keyName(path), new Condition(java.util.List.of(literal(x.right())), op));
                }
                if (x.right() instanceof dev.flywheel.expression.DocumentPath path) {
                    // `:v < sk` means `sk > :v`.
                    String flipped = switch (op) { case "LT" -> "GT"; case "LE" -> "GE"; case "GT" -> "LT"; case "GE" -> "LE"; default -> op; };
                    yield java.util.Map.entry(keyName(path), new Condition(java.util.List.of(literal(x.left())), flipped));
                }
                throw new ValidationException("Invalid KeyConditionExpression: Expected a document path in the condition");
            }
            case dev.flywheel.expression.Condition.Between x -> java.util.Map.entry(keyName(path(x.value())),
                    new Condition(java.util.List.of(literal(x.lower()), literal(x.upper())), "BETWEEN"));
            case dev.flywheel.expression.Condition.Function f when f.name().equals("begins_with") ->
                    java.util.Map.entry(keyName(path(f.arguments().get(0))),
                            new Condition(java.util.List.of(literal(f.arguments().get(1))), "BEGINS_WITH"));
            case dev.flywheel.expression.Condition.Function f -> throw invalidOperator(f.name());
            case dev.flywheel.expression.Condition.Or ignored -> throw invalidOperator("OR");
            case dev.flywheel.expression.Condition.Not ignored -> throw invalidOperator("NOT");
            case dev.flywheel.expression.Condition.In ignored -> throw invalidOperator("IN");
            case dev.flywheel.expression.Condition.And ignored -> throw new IllegalStateException("flattened");
        };
    }

    /** Whether the sort key condition holds for this encoded sort key (always, without one). */
    boolean selectsSortKey(byte[] sortKey) {
        KeyRange r = sortKeyRange;
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

    private static ValidationException invalidOperator(String operator) {
        return new ValidationException("Invalid operator used in KeyConditionExpression: " + operator);
    }

    private static dev.flywheel.expression.DocumentPath path(dev.flywheel.expression.Operand operand) {
        if (operand instanceof dev.flywheel.expression.DocumentPath p) return p;
        throw new ValidationException("Invalid KeyConditionExpression: Expected a document path in the condition");
    }

    private static String keyName(dev.flywheel.expression.DocumentPath path) {
        if (path.elements().size() > 1) {
            throw new ValidationException("Key attributes must be scalars; list random access '[]' and map lookup '.' are"
                    + " not allowed: Key: " + path.topLevelName());
        }
        return path.topLevelName();
    }

    private static AttributeValue literal(dev.flywheel.expression.Operand operand) {
        if (operand instanceof dev.flywheel.expression.Operand.Literal l) return l.value();
        throw new ValidationException("Invalid KeyConditionExpression: Expected a value in the condition");
    }

    static KeyConditions fromLegacy(TableDefinition table, Map<String, Condition> conditions) {
        Condition hash = conditions.get(table.hashKey().name());
        if (hash == null) {
            throw new ValidationException("Query condition missed key schema element: " + table.hashKey().name());
        }
        for (String name : conditions.keySet()) {
            if (!table.isKeyAttribute(name)) throw new ValidationException("Query key condition not supported");
        }
        if (!hash.comparisonOperator().equals("EQ")) throw new ValidationException("Query key condition not supported");
        byte[] partition = KeyEncoding.encode(operand(table.hashKey(), hash, 1).getFirst());
        KeyRange range = KeyRange.ALL;
        if (table.rangeKey() != null && conditions.containsKey(table.rangeKey().name())) {
            range = sortKeyRange(table.rangeKey(), conditions.get(table.rangeKey().name()));
        }
        return new KeyConditions(partition, range);
    }

    private static KeyRange sortKeyRange(KeyAttribute key, Condition c) {
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

    private static List<AttributeValue> operand(KeyAttribute key, Condition c, int arity) {
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

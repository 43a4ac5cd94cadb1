package dev.flywheel.server.access;

import dev.flywheel.expression.Condition;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.expression.ExpressionParser;
import dev.flywheel.expression.Operand;
import dev.flywheel.expression.PathElement;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.*;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The permissions a call needs, as IAM's authorization reference for DynamoDB lists them: the action is
 * {@code dynamodb:<Operation>} on the table's ARN (the index's ARN for a Query or Scan of an index);
 * batch operations need their action on every table they name; a transaction needs the action of each
 * of its parts ({@code dynamodb:PutItem}, {@code dynamodb:ConditionCheckItem}, ...) on each part's
 * table; ListTables needs it on {@code table/*}.
 *
 * <p>Each permission carries the partition key values the call touches in that table, for the
 * condition key {@code dynamodb:LeadingKeys}; finding them needs the table's partition key name,
 * which {@code partitionKeyName} gives (null for a table that does not exist: the call will fail
 * anyway, and no key is reported).
 */
final class RequiredPermissions {
    private final String tableArnPrefix;
    private final Function<String, String> partitionKeyName;

    /** @param tableArnPrefix {@code arn:aws:dynamodb:<region>:<account>:table/} */
    RequiredPermissions(String tableArnPrefix, Function<String, String> partitionKeyName) {
        this.tableArnPrefix = tableArnPrefix;
        this.partitionKeyName = partitionKeyName;
    }

    List<AccessRequest> of(String operation, Object input) {
        String action = "dynamodb:" + operation;
        return switch (input) {
            case GetItemInput r -> List.of(item(action, r.tableName(), r.key()));
            case PutItemInput r -> List.of(item(action, r.tableName(), r.item()));
            case UpdateItemInput r -> List.of(item(action, r.tableName(), r.key()));
            case DeleteItemInput r -> List.of(item(action, r.tableName(), r.key()));
            case QueryInput r -> List.of(new AccessRequest(action, indexArn(r.tableName(), r.indexName()), queriedKeys(r)));
            case ScanInput r -> List.of(new AccessRequest(action, indexArn(r.tableName(), r.indexName()), List.of()));
            case BatchGetItemInput r -> r.requestItems() == null ? List.of() : r.requestItems().entrySet().stream()
                    .map(e -> items(action, e.getKey(), e.getValue().keys())).toList();
            case BatchWriteItemInput r -> r.requestItems() == null ? List.of() : r.requestItems().entrySet().stream()
                    .map(e -> items(action, e.getKey(), writtenKeys(e.getValue()))).toList();
            case TransactGetItemsInput r -> r.transactItems() == null ? List.of() : r.transactItems().stream()
                    .filter(t -> t.get() != null)
                    .map(t -> item("dynamodb:GetItem", t.get().tableName(), t.get().key())).toList();
            case TransactWriteItemsInput r -> r.transactItems() == null ? List.of()
                    : r.transactItems().stream().map(this::transactWrite).filter(p -> p != null).toList();
            case ListTablesInput ignored -> List.of(new AccessRequest(action, tableArnPrefix + "*", List.of()));
            // A shard iterator begins with its stream's ARN, as DynamoDB's do: GetRecords is checked on the stream.
            case dev.flywheel.model.streams.GetRecordsInput r -> List.of(new AccessRequest(action,
                    streamOfIterator(r.shardIterator()), List.of()));
            default -> List.of(new AccessRequest(action, resourceNamedBy(input), List.of()));
        };
    }

    private AccessRequest transactWrite(TransactWriteItem item) {
        if (item.put() != null) return item("dynamodb:PutItem", item.put().tableName(), item.put().item());
        if (item.update() != null) return item("dynamodb:UpdateItem", item.update().tableName(), item.update().key());
        if (item.delete() != null) return item("dynamodb:DeleteItem", item.delete().tableName(), item.delete().key());
        if (item.conditionCheck() != null) {
            return item("dynamodb:ConditionCheckItem", item.conditionCheck().tableName(), item.conditionCheck().key());
        }
        return null; // an empty action: the engine reports it
    }

    private AccessRequest item(String action, String table, Map<String, AttributeValue> key) {
        return items(action, table, key == null ? List.of() : List.of(key));
    }

    private AccessRequest items(String action, String table, List<Map<String, AttributeValue>> keys) {
        String pk = table == null ? null : partitionKeyName.apply(table);
        Set<String> leading = new LinkedHashSet<>();
        if (pk != null && keys != null) {
            for (Map<String, AttributeValue> key : keys) {
                if (key != null && key.get(pk) != null) leading.add(text(key.get(pk)));
            }
        }
        return new AccessRequest(action, tableArn(table), List.copyOf(leading));
    }

    private static List<Map<String, AttributeValue>> writtenKeys(List<WriteRequest> requests) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        if (requests == null) return keys;
        for (WriteRequest w : requests) {
            if (w == null) continue;
            if (w.putRequest() != null) keys.add(w.putRequest().item());
            if (w.deleteRequest() != null) keys.add(w.deleteRequest().key());
        }
        return keys;
    }

    /** The partition key value a Query names, from KeyConditions or the KeyConditionExpression's {@code pk = :v}. */
    private List<String> queriedKeys(QueryInput r) {
        String pk = r.tableName() == null ? null : partitionKeyName.apply(r.tableName());
        if (pk == null) return List.of();
        if (r.keyConditions() != null) {
            dev.flywheel.model.shapes.Condition c = r.keyConditions().get(pk);
            if (c != null && "EQ".equals(c.comparisonOperator()) && c.attributeValueList() != null
                    && c.attributeValueList().size() == 1) {
                return List.of(text(c.attributeValueList().get(0)));
            }
            return List.of();
        }
        if (r.keyConditionExpression() == null) return List.of();
        try {
            List<String> found = new ArrayList<>();
            equalities(ExpressionParser.parseKeyCondition(r.keyConditionExpression()).condition(), pk, r, found);
            return found;
        } catch (RuntimeException malformed) {
            return List.of(); // the engine reports the expression's error
        }
    }

    private static void equalities(Condition c, String pk, QueryInput r, List<String> found) {
        if (c instanceof Condition.And and) {
            equalities(and.left(), pk, r, found);
            equalities(and.right(), pk, r, found);
        } else if (c instanceof Condition.Comparison cmp && cmp.comparator() == Condition.Comparator.EQ) {
            AttributeValue value = cmp.left() instanceof DocumentPath path && names(path, r, pk) ? value(cmp.right(), r)
                    : cmp.right() instanceof DocumentPath path && names(path, r, pk) ? value(cmp.left(), r) : null;
            if (value != null) found.add(text(value));
        }
    }

    private static boolean names(DocumentPath path, QueryInput r, String pk) {
        if (path.elements().size() != 1) return false;
        return switch (path.elements().get(0)) {
            case PathElement.Name n -> n.name().equals(pk);
            case PathElement.NameRef ref -> r.expressionAttributeNames() != null
                    && pk.equals(r.expressionAttributeNames().get(ref.placeholder()));
            default -> false;
        };
    }

    private static AttributeValue value(Operand operand, QueryInput r) {
        return operand instanceof Operand.ValueRef ref && r.expressionAttributeValues() != null
                ? r.expressionAttributeValues().get(ref.placeholder()) : null;
    }

    /** A key value as a policy compares it: strings and numbers as written, binary in base64. */
    private static String text(AttributeValue value) {
        return switch (value) {
            case AttributeValue.S s -> s.value();
            case AttributeValue.N n -> n.value();
            case AttributeValue.B b -> Base64.getEncoder().encodeToString(b.value());
            default -> value.toString();
        };
    }

    private String tableArn(String table) {
        if (table == null) return tableArnPrefix + "*";
        return table.startsWith("arn:") ? table : tableArnPrefix + table;
    }

    private String indexArn(String table, String index) {
        return index == null ? tableArn(table) : tableArn(table) + "/index/" + index;
    }

    /**
     * Any other operation acts on what its input names: a {@code TableName}, a {@code ResourceArn} (tags)
     * or a {@code StreamArn}; an operation naming none acts on {@code *}.
     */
    private static String streamOfIterator(String iterator) {
        int end = iterator == null ? -1 : iterator.indexOf('|');
        return end > 0 && iterator.startsWith("arn:") ? iterator.substring(0, end) : "*";
    }

    private String resourceNamedBy(Object input) {
        if (input != null && input.getClass().isRecord()) {
            for (RecordComponent component : input.getClass().getRecordComponents()) {
                String name = component.getName();
                if (!name.equals("tableName") && !name.equals("resourceArn") && !name.equals("streamArn")) continue;
                Object value = read(component.getAccessor(), input);
                if (value instanceof String s) return name.equals("tableName") ? tableArn(s) : s;
            }
        }
        return "*";
    }

    private static Object read(Method accessor, Object input) {
        try {
            return accessor.invoke(input);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

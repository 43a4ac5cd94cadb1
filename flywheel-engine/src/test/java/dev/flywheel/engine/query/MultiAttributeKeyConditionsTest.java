package dev.flywheel.engine.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.engine.index.KeyTuple;
import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.Condition;
import dev.flywheel.storage.KeyRange;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key condition rules of a Query on a multi-attribute key: every partition key attribute with
 * equality, the sort key attributes left to right without a gap, equality on all but the last one given.
 */
class MultiAttributeKeyConditionsTest {
    /** Partition key (h1 S, h2 N); sort key (r1 S, r2 N, r3 B). */
    static final KeySchema KEY = new KeySchema(
            List.of(new KeyAttribute("h1", "S"), new KeyAttribute("h2", "N")),
            List.of(new KeyAttribute("r1", "S"), new KeyAttribute("r2", "N"), new KeyAttribute("r3", "B")));

    static final AttributeValue H1 = new AttributeValue.S("tournament"), H2 = new AttributeValue.N("7");

    /** Conditions in the order given, as a request's map keeps them. */
    static Map<String, Condition> conditions(Object... nameOperatorValues) {
        Map<String, Condition> conditions = new LinkedHashMap<>();
        for (int i = 0; i < nameOperatorValues.length; i += 3) {
            Object values = nameOperatorValues[i + 2];
            List<AttributeValue> list = values instanceof List<?> l ? l.stream().map(AttributeValue.class::cast).toList()
                    : List.of((AttributeValue) values);
            conditions.put((String) nameOperatorValues[i], new Condition(list, (String) nameOperatorValues[i + 1]));
        }
        return conditions;
    }

    static Map<String, Condition> withPartition(Object... more) {
        Object[] all = new Object[6 + more.length];
        System.arraycopy(new Object[] {"h1", "EQ", H1, "h2", "EQ", H2}, 0, all, 0, 6);
        System.arraycopy(more, 0, all, 6, more.length);
        return conditions(all);
    }

    @Test
    void thePartitionKeyAloneSelectsTheWholePartition() {
        KeyConditions key = KeyConditions.fromLegacy(KEY, withPartition());
        assertThat(key.partitionKey()).isEqualTo(KeyTuple.partitionKey(List.of(H1, H2)));
        assertThat(key.sortKeyPrefix()).isEmpty();
        assertThat(key.sortKeyRange()).isEqualTo(KeyRange.ALL);
    }

    @Test
    void equalitiesFixTheLeadingSortKeyAttributesAndTheLastGivenMayBeARange() {
        KeyConditions key = KeyConditions.fromLegacy(KEY,
                withPartition("r2", "GT", new AttributeValue.N("5.0"), "r1", "EQ", new AttributeValue.S("final")));
        assertThat(key.sortKeyPrefix()).singleElement().isEqualTo(KeyEncoding.encode(new AttributeValue.S("final")));
        assertThat(key.sortKeyRange().lower()).isEqualTo(KeyEncoding.encode(new AttributeValue.N("5")));
        assertThat(key.sortKeyRange().lowerInclusive()).isFalse();
        assertThat(key.sortKeyRange().upper()).isNull();

        KeyConditions all = KeyConditions.fromLegacy(KEY, withPartition("r1", "EQ", new AttributeValue.S("final"),
                "r2", "EQ", new AttributeValue.N("1"),
                "r3", "BETWEEN", List.of(new AttributeValue.B(new byte[] {1}), new AttributeValue.B(new byte[] {9}))));
        assertThat(all.sortKeyPrefix()).hasSize(2);
        assertThat(all.sortKeyRange()).usingRecursiveComparison()
                .isEqualTo(new KeyRange(new byte[] {1}, true, new byte[] {9}, true));

        KeyConditions prefix = KeyConditions.fromLegacy(KEY, withPartition("r1", "BEGINS_WITH", new AttributeValue.S("fi")));
        assertThat(prefix.sortKeyPrefix()).isEmpty();
        assertThat(prefix.sortKeyRange()).usingRecursiveComparison().isEqualTo(KeyRange.prefix("fi".getBytes()));
    }

    @Test
    void everyPartitionKeyAttributeNeedsEquality() {
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, conditions("h1", "EQ", H1)))
                .isInstanceOf(ValidationException.class)
                .hasMessage("HASH key attributes h2 must have equality conditions specified in the query");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, conditions("h1", "GT", H1, "r1", "EQ", H1)))
                .hasMessage("HASH key attributes h1, h2 must have equality conditions specified in the query");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, conditions("h2", "BETWEEN", List.of(H2, H2), "h1", "EQ", H1)))
                .hasMessage("HASH key attributes h2 must have equality conditions specified in the query");
    }

    @Test
    void sortKeyAttributesGoLeftToRightWithoutAGap() {
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r2", "EQ", H2)))
                .hasMessage("RANGE key attributes r1 must have equality conditions specified in the query because a"
                        + " condition is present on key attribute r2");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r3", "EQ", new AttributeValue.B(new byte[] {1}))))
                .hasMessage("RANGE key attributes r1, r2 must have equality conditions specified in the query because a"
                        + " condition is present on key attribute r3");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r1", "EQ", H1,
                "r3", "EQ", new AttributeValue.B(new byte[] {1}))))
                .hasMessage("RANGE key attributes r2 must have equality conditions specified in the query because a"
                        + " condition is present on key attribute r3");
    }

    @Test
    void onlyTheLastSortKeyAttributeGivenMayHaveARangeCondition() {
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r1", "GT", H1, "r2", "EQ", H2)))
                .hasMessage("RANGE key attributes r1 must have equality conditions specified in the query because a"
                        + " condition is present on key attribute r2");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r1", "BEGINS_WITH", H1, "r2", "LE", H2)))
                .hasMessage("RANGE key attributes r1 must have equality conditions specified in the query because a"
                        + " condition is present on key attribute r2");
    }

    @Test
    void conditionsKeepTheSingleAttributeRules() {
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("other", "EQ", H1)))
                .hasMessage("Query key condition not supported");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r1", "EQ", H2)))
                .hasMessage("One or more parameter values were invalid: Condition parameter type does not match schema type");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, conditions("h1", "EQ", H2, "h2", "EQ", H2)))
                .hasMessage("One or more parameter values were invalid: Condition parameter type does not match schema type");
        assertThatThrownBy(() -> KeyConditions.fromLegacy(KEY, withPartition("r1", "EQ", H1,
                "r2", "BETWEEN", List.of(new AttributeValue.N("9"), new AttributeValue.N("1")))))
                .hasMessageStartingWith("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be"
                        + " greater than or equal to lower bound");
    }

    @Test
    void aPartitionKeyOfSeveralAttributesWithoutSortKey() {
        KeySchema hashOnly = new KeySchema(List.of(new KeyAttribute("h1", "S"), new KeyAttribute("h2", "N")), List.of());
        assertThat(KeyConditions.fromLegacy(hashOnly, withPartition()).sortKeyRange()).isEqualTo(KeyRange.ALL);
        assertThatThrownBy(() -> KeyConditions.fromLegacy(hashOnly, withPartition("r1", "EQ", H1)))
                .hasMessage("Query key condition not supported");
    }
}

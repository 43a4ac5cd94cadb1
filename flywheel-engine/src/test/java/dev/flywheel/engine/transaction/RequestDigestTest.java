package dev.flywheel.engine.transaction;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.shapes.Put;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The digest a ClientRequestToken's record keeps: equal exactly when the requests are. */
class RequestDigestTest {
    private static TransactWriteItemsInput put(Map<String, AttributeValue> item, String returnConsumedCapacity) {
        return TransactWriteItemsInput.builder().returnConsumedCapacity(returnConsumedCapacity)
                .transactItems(List.of(TransactWriteItem.builder().put(Put.builder().tableName("things").item(item).build()).build()))
                .build();
    }

    private static Map<String, AttributeValue> item(String... namesThenValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < namesThenValues.length; i += 2) item.put(namesThenValues[i], AttributeValue.s(namesThenValues[i + 1]));
        return item;
    }

    @Test
    void theOrderOfAMapsMembersDoesNotMatter() {
        assertThat(RequestDigest.of(put(item("a", "1", "b", "2"), null)))
                .isEqualTo(RequestDigest.of(put(item("b", "2", "a", "1"), null)));
    }

    @Test
    void anyDifferenceMakesAnotherDigest() {
        byte[] digest = RequestDigest.of(put(item("a", "1"), null));
        assertThat(RequestDigest.of(put(item("a", "2"), null))).isNotEqualTo(digest);
        assertThat(RequestDigest.of(put(item("b", "1"), null))).isNotEqualTo(digest);
        assertThat(RequestDigest.of(put(item("a", "1"), "TOTAL"))).isNotEqualTo(digest);
        // A string value and a number value with the same text differ by their type.
        assertThat(RequestDigest.of(put(Map.of("a", AttributeValue.n("1")), null))).isNotEqualTo(digest);
    }
}

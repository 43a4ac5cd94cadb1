package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuleTest {

    private static List<String> violations(Rule rule, Object value) {
        List<String> out = new ArrayList<>();
        rule.violations(value, out::add);
        assertThat(rule.accepts(value)).isEqualTo(out.isEmpty());
        return out;
    }

    @Test
    void summaryListsMaximumBeforeMinimumBeforePattern() {
        assertThat(Rules.TABLE_NAME.summary()).isEqualTo("[Member must have length less than or equal to 255, "
                + "Member must have length greater than or equal to 3, "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+]");
        assertThat(Rules.KEY_TYPE.summary()).isEqualTo("[Member must satisfy enum value set: [HASH, RANGE]]");
        assertThat(Rules.SCAN_SEGMENT.summary()).isEqualTo("[Member must have value less than or equal to 999999, "
                + "Member must have value greater than or equal to 0]");
    }

    @Test
    void violationsComePatternFirst() {
        assertThat(violations(Rules.TABLE_NAME, "a!")).containsExactly(
                "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+",
                "Member must have length greater than or equal to 3");
        assertThat(violations(Rules.TABLE_NAME, "abc")).isEmpty();
        assertThat(violations(Rules.TABLE_NAME, "a".repeat(256)))
                .containsExactly("Member must have length less than or equal to 255");
    }

    @Test
    void lengthsOfListsAndMapsAreTheirSizes() {
        assertThat(violations(Rules.WRITE_REQUESTS, List.of())).containsExactly("Member must have length greater than or equal to 1");
        assertThat(violations(Rules.BATCH_GET_REQUEST_MAP, Map.of("a", 1))).isEmpty();
    }

    @Test
    void rangesAndEnums() {
        assertThat(violations(Rules.SCAN_TOTAL_SEGMENTS, 0)).containsExactly("Member must have value greater than or equal to 1");
        assertThat(violations(Rules.POSITIVE_LONG_OBJECT, Long.MAX_VALUE)).isEmpty();
        assertThat(violations(Rules.KEY_TYPE, "hash")).containsExactly("Member must satisfy enum value set: [HASH, RANGE]");
    }

    @Test
    void theModelsPatternsMeanInJavaWhatTheySay() {
        // [\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\r\n\t]*: any XML character, astral ones included.
        assertThat(Rules.AUTO_SCALING_ROLE_ARN.accepts("arn:aws:iam::1:role/😀\ttab")).isTrue();
        assertThat(Rules.AUTO_SCALING_ROLE_ARN.accepts("bell\u0007")).isFalse();
        assertThat(Rules.AUTO_SCALING_POLICY_NAME.accepts("My policy-1")).isTrue();
        assertThat(Rules.AUTO_SCALING_POLICY_NAME.accepts("tab\t")).isFalse();
        assertThat(Rules.CLIENT_TOKEN.accepts("abc")).isTrue();
        assertThat(Rules.CLIENT_TOKEN.accepts("a$c")).isFalse();
        assertThat(Rules.CSV_DELIMITER.accepts("\t")).isTrue();
        assertThat(Rules.CSV_DELIMITER.accepts("x")).isFalse();
    }
}

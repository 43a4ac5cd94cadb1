package dev.flywheel.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.AccessDeniedException;
import dev.flywheel.model.shapes.*;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AccessControlTest {
    private static final Principal ALICE = new Principal("AKIDALICE", "alice");

    private static AccessControl control(String policyJson) throws Exception {
        AccessPolicies policies = AccessPolicies.parse(new ObjectMapper().readTree(policyJson), "test");
        return new AccessControl(List.of(ALICE), policies, "us-east-1", "123456789012",
                table -> table.equals("orders") ? "owner" : null);
    }

    private static String allow(String action, String resource, String condition) {
        return "{\"alice\": {\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": \"" + action
                + "\", \"Resource\": \"" + resource + "\"" + (condition == null ? "" : ", \"Condition\": " + condition) + "}}}";
    }

    private static GetItemInput get(String table, String owner) {
        return new GetItemInput(table, Map.of("owner", new AttributeValue.S(owner)), null, null, null, null, null);
    }

    @Nested
    class Wildcard {
        @Test
        void starAndQuestionMark() {
            assertThat(Wildcards.matches("dynamodb:Get*", "dynamodb:GetItem", true)).isTrue();
            assertThat(Wildcards.matches("dynamodb:get*", "dynamodb:GetItem", true)).isTrue();
            assertThat(Wildcards.matches("dynamodb:Get*", "dynamodb:BatchGetItem", true)).isFalse();
            assertThat(Wildcards.matches("table/ord?rs", "table/orders", false)).isTrue();
            assertThat(Wildcards.matches("table/Orders", "table/orders", false)).isFalse();
            assertThat(Wildcards.matches("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaa", false)).isFalse();
            assertThat(Wildcards.matches("*", "", false)).isTrue();
        }
    }

    @Nested
    class Conditions {
        @Test
        void forAllValuesHoldsForARequestWithoutKeysAsInIam() throws Exception {
            AccessControl c = control(allow("dynamodb:*", "*", "{\"ForAllValues:StringEquals\": {\"dynamodb:LeadingKeys\": [\"${aws:username}\"]}}"));
            assertThatCode(() -> c.check(ALICE, "GetItem", get("orders", "alice"))).doesNotThrowAnyException();
            assertThatCode(() -> c.check(ALICE, "Scan", new ScanInput("orders", null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null))).doesNotThrowAnyException();
            assertThatThrownBy(() -> c.check(ALICE, "GetItem", get("orders", "bob"))).isInstanceOf(AccessDeniedException.class);
        }

        @Test
        void forAnyValueNeedsAKey() throws Exception {
            AccessControl c = control(allow("dynamodb:*", "*", "{\"ForAnyValue:StringLike\": {\"dynamodb:LeadingKeys\": [\"al*\"]}}"));
            assertThatCode(() -> c.check(ALICE, "GetItem", get("orders", "alice"))).doesNotThrowAnyException();
            assertThatThrownBy(() -> c.check(ALICE, "GetItem", get("unknown", "alice"))).isInstanceOf(AccessDeniedException.class);
        }

        @Test
        void negatedOperatorsHoldWhenTheKeyIsAbsentAndIfExistsToo() throws Exception {
            AccessControl not = control(allow("dynamodb:*", "*", "{\"StringNotEquals\": {\"dynamodb:LeadingKeys\": \"bob\"}}"));
            assertThatCode(() -> not.check(ALICE, "ListTables", new ListTablesInput(null, null))).doesNotThrowAnyException();
            assertThatThrownBy(() -> not.check(ALICE, "GetItem", get("orders", "bob"))).isInstanceOf(AccessDeniedException.class);
            AccessControl plain = control(allow("dynamodb:*", "*", "{\"StringEquals\": {\"dynamodb:LeadingKeys\": \"alice\"}}"));
            assertThatThrownBy(() -> plain.check(ALICE, "ListTables", new ListTablesInput(null, null)))
                    .isInstanceOf(AccessDeniedException.class);
            AccessControl ifExists = control(allow("dynamodb:*", "*", "{\"StringEqualsIfExists\": {\"dynamodb:LeadingKeys\": \"alice\"}}"));
            assertThatCode(() -> ifExists.check(ALICE, "ListTables", new ListTablesInput(null, null))).doesNotThrowAnyException();
        }
    }

    @Nested
    class Resources {
        @Test
        void aQueryOfAnIndexNeedsTheIndexArn() throws Exception {
            AccessControl c = control(allow("dynamodb:Query", "arn:aws:dynamodb:us-east-1:123456789012:table/orders", null));
            QueryInput ofTable = query(null);
            QueryInput ofIndex = query("byDate");
            assertThatCode(() -> c.check(ALICE, "Query", ofTable)).doesNotThrowAnyException();
            assertThatThrownBy(() -> c.check(ALICE, "Query", ofIndex)).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/byDate");
        }

        @Test
        void aTransactionNeedsEachPartsAction() throws Exception {
            AccessControl c = control(allow("dynamodb:PutItem", "*", null));
            TransactWriteItemsInput tx = new TransactWriteItemsInput(List.of(
                    new TransactWriteItem(null, new Put(Map.of("owner", new AttributeValue.S("a")), "orders", null, null, null, null), null, null),
                    new TransactWriteItem(new ConditionCheck(Map.of("owner", new AttributeValue.S("b")), "orders", "attribute_exists(owner)",
                            null, null, null), null, null, null)), null, null, null);
            assertThatThrownBy(() -> c.check(ALICE, "TransactWriteItems", tx)).isInstanceOf(AccessDeniedException.class)
                    .hasMessage("User: arn:aws:iam::123456789012:user/alice is not authorized to perform:"
                            + " dynamodb:ConditionCheckItem on resource: arn:aws:dynamodb:us-east-1:123456789012:table/orders"
                            + " because no identity-based policy allows the dynamodb:ConditionCheckItem action");
        }

        @Test
        void getRecordsIsCheckedOnTheStreamItsIteratorNames() throws Exception {
            String stream = "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2026-11-24T12:00:00.000";
            AccessControl c = control(allow("dynamodb:GetRecords", "arn:aws:dynamodb:*:*:table/orders/stream/*", null));
            assertThatCode(() -> c.check(ALICE, "GetRecords",
                    new dev.flywheel.model.streams.GetRecordsInput(stream + "|1|AAAA", null))).doesNotThrowAnyException();
            assertThatThrownBy(() -> c.check(ALICE, "GetRecords", new dev.flywheel.model.streams.GetRecordsInput(
                    stream.replace("orders", "secrets") + "|1|AAAA", null))).isInstanceOf(AccessDeniedException.class)
                    .hasMessageContaining("on resource: arn:aws:dynamodb:us-east-1:123456789012:table/secrets/stream/");
        }

        private static QueryInput query(String index) {
            return new QueryInput("orders", index, null, null, null, null, null, null, null, null, null, null, null, null,
                    "#o = :o", Map.of("#o", "owner"), Map.of(":o", new AttributeValue.S("alice")));
        }
    }

    @Nested
    class Parsing {
        @Test
        void whatFlywheelCannotEnforceIsRefused() {
            assertThatThrownBy(() -> control("{\"alice\": {\"Statement\": {\"Effect\": \"Allow\", \"Principal\": \"*\","
                    + " \"Action\": \"*\", \"Resource\": \"*\"}}}")).hasMessageContaining("unsupported statement element Principal");
            assertThatThrownBy(() -> control(allow("dynamodb:*", "*", "{\"StringEquals\": {\"dynamodb:Attributes\": \"x\"}}")))
                    .hasMessageContaining("unsupported condition key dynamodb:Attributes");
            assertThatThrownBy(() -> control("{\"alice\": {\"Statement\": {\"Effect\": \"Permit\", \"Action\": \"*\", \"Resource\": \"*\"}}}"))
                    .hasMessageContaining("Effect must be Allow or Deny, not 'Permit'");
            assertThatThrownBy(() -> control("{\"alice\": {\"Version\": \"2020-01-01\", \"Statement\": []}}"))
                    .hasMessageContaining("Version must be 2012-10-17");
            assertThatThrownBy(() -> control("{\"alice\": {\"Statement\": {\"Effect\": \"Allow\", \"Resource\": \"*\"}}}"))
                    .hasMessageContaining("exactly one of Action, NotAction");
        }

        @Test
        void notActionAndNotResourceInvertTheMatch() throws Exception {
            AccessControl c = control("{\"alice\": {\"Statement\": {\"Effect\": \"Allow\", \"NotAction\": \"dynamodb:Delete*\","
                    + " \"NotResource\": \"arn:aws:dynamodb:*:*:table/secret\"}}}");
            assertThatCode(() -> c.check(ALICE, "GetItem", get("orders", "x"))).doesNotThrowAnyException();
            assertThatThrownBy(() -> c.check(ALICE, "GetItem", get("secret", "x"))).isInstanceOf(AccessDeniedException.class);
            assertThatThrownBy(() -> c.check(ALICE, "DeleteItem", new DeleteItemInput("orders",
                    Map.of("owner", new AttributeValue.S("x")), null, null, null, null, null, null, null, null, null)))
                    .isInstanceOf(AccessDeniedException.class);
        }
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.flywheel.expression.Fixtures.assertValidation;
import static dev.flywheel.expression.Fixtures.b;
import static dev.flywheel.expression.Fixtures.item;
import static dev.flywheel.expression.Fixtures.l;
import static dev.flywheel.expression.Fixtures.m;
import static dev.flywheel.expression.Fixtures.map;
import static dev.flywheel.expression.Fixtures.n;
import static dev.flywheel.expression.Fixtures.ns;
import static dev.flywheel.expression.Fixtures.s;
import static dev.flywheel.expression.Fixtures.ss;
import static dev.flywheel.expression.Fixtures.update;
import static org.assertj.core.api.Assertions.assertThat;

class UpdateEvaluatorTest {

    private static Map<String, AttributeValue> apply(String text, Map<String, AttributeValue> item, Object... values) {
        return update(text, item, map(values)).item();
    }

    @Test
    void setRemoveAddDeleteOnANewItem() {
        Map<String, AttributeValue> result = apply("REMOVE b DELETE c :c ADD d :d, e :e SET f = :f", Map.of(),
                ":c", ss("a", "b"), ":d", n("5"), ":e", ss("a", "b"), ":f", l(s("a"), n("1")));
        assertThat(result).isEqualTo(item("d", n("5"), "e", ss("a", "b"), "f", l(s("a"), n("1"))));
    }

    @Test
    void theInputIsNotModified() {
        Map<String, AttributeValue> before = item("a", m("b", n("1")), "c", n("1"));
        Map<String, AttributeValue> copy = Map.copyOf(before);
        apply("SET a.b = :v REMOVE c", before, ":v", n("2"));
        assertThat(before).isEqualTo(copy);
    }

    @Test
    void arithmetic() {
        Map<String, AttributeValue> it = item("a", n("10"), "b", n("0.25"));
        assertThat(apply("SET c = a + :one, d = a - b, e = :one + :one", it, ":one", n("1")))
                .containsEntry("c", n("11")).containsEntry("d", n("9.75")).containsEntry("e", n("2"));
        assertThat(apply("SET a = a - a", it)).containsEntry("a", n("0"));
        assertValidation(() -> apply("SET c = a + b", item("a", n("1"), "b", s("x"))), "An operand in the update expression has an incorrect data type");
        assertValidation(() -> apply("SET c = x + :one", it, ":one", n("1")), "The provided expression refers to an attribute that does not exist in the item");
    }

    @Test
    void numbersKeepDynamoDbsRange() {
        assertValidation(() -> apply("SET a = a + :v", item("a", n("9.9999999999999999999999999999999999999E+125")), ":v", n("1E+125")),
                "Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertValidation(() -> apply("SET a = a - :v", item("a", n("1.0000000000000000000000000000000000001E-130")), ":v", n("1E-130")),
                "Number underflow. Attempting to store a number with magnitude smaller than supported range");
        assertValidation(() -> apply("SET a = a + :v", item("a", n("1E+20")), ":v", n("1E-20")),
                "Attempting to store more than 38 significant digits in a Number");
        assertThat(apply("SET a = a + :v", item("a", n("12345678901234567890123456789012345678")), ":v", n("0")))
                .containsEntry("a", n("12345678901234567890123456789012345678"));
        assertThat(apply("SET a = a + :v", item("a", n("1.50")), ":v", n("1.5"))).containsEntry("a", n("3"));
    }

    @Test
    void ifNotExistsAndListAppend() {
        Map<String, AttributeValue> it = item("a", s("key"), "l", l(n("1")));
        assertThat(apply("SET b = if_not_exists(b, a), c = if_not_exists(a, :x)", it, ":x", s("x")))
                .containsEntry("b", s("key")).containsEntry("c", s("key"));
        assertThat(apply("SET l = list_append(l, :more), k = list_append(:more, l)", it, ":more", l(n("2"))))
                .containsEntry("l", l(n("1"), n("2"))).containsEntry("k", l(n("2"), n("1")));
        assertThat(apply("SET l = list_append(if_not_exists(x, :e), :more)", it, ":e", l(), ":more", l(n("2"))))
                .containsEntry("l", l(n("2")));
        assertValidation(() -> apply("SET x = list_append(a, l)", it), "An operand in the update expression has an incorrect data type");
        assertValidation(() -> apply("SET x = list_append(b, c)", it), "The provided expression refers to an attribute that does not exist in the item");
    }

    @Test
    void addToNumbersAndSets() {
        Map<String, AttributeValue> it = item("n", n("1"), "ss", ss("a", "b"), "ns", ns("1", "2"), "bs",
                new AttributeValue.BS(List.of(new byte[] {1, 2}, new byte[] {2})));
        assertThat(apply("ADD n :three, ss :s, ns :n", it, ":three", n("3"), ":s", ss("b", "c", "d"), ":n", ns("2.0", "3", "4")))
                .containsEntry("n", n("4")).containsEntry("ss", ss("a", "b", "c", "d")).containsEntry("ns", ns("1", "2", "3", "4"));
        assertThat(apply("ADD bs :b", it, ":b", new AttributeValue.BS(List.of(new byte[] {2}, new byte[] {1}))).get("bs"))
                .isEqualTo(new AttributeValue.BS(List.of(new byte[] {1, 2}, new byte[] {2}, new byte[] {1})));
        for (String[] wrong : new String[][] {{"ss", ":n"}, {"n", ":s"}, {"ns", ":s"}}) {
            assertValidation(() -> apply("ADD " + wrong[0] + " " + wrong[1], it, ":n", n("1"), ":s", ss("x")),
                    "An operand in the update expression has an incorrect data type");
        }
    }

    @Test
    void deleteFromSets() {
        Map<String, AttributeValue> it = item("ns", ns("1", "2", "3"), "c", s("a"));
        assertThat(apply("DELETE ns :d", it, ":d", ns("1", "4"))).containsEntry("ns", ns("2", "3"));
        assertThat(apply("DELETE ns :d", it, ":d", ns("2.0", "3", "1"))).doesNotContainKey("ns").containsEntry("c", s("a"));
        assertThat(apply("DELETE absent :d", it, ":d", ns("1"))).isEqualTo(it);
        assertValidation(() -> apply("DELETE ns :d", it, ":d", ss("1")), "An operand in the update expression has an incorrect data type");
        assertValidation(() -> apply("DELETE c :d", it, ":d", ss("a")), "An operand in the update expression has an incorrect data type");
    }

    @Test
    void nestedPaths() {
        Map<String, AttributeValue> it = item("m", m("x", n("1"), "l", l(s("a"), s("b"))));
        assertThat(apply("SET m.y = :v, m.l[0] = :v REMOVE m.x", it, ":v", s("v")))
                .isEqualTo(item("m", m("l", l(s("v"), s("b")), "y", s("v"))));
        assertThat(apply("REMOVE m.absent, m.l[5]", it)).isEqualTo(it);
    }

    @Test
    void listIndexesReferToTheOldList() {
        Map<String, AttributeValue> it = item("l", l(s("a"), s("b"), s("c"), s("d")));
        assertThat(apply("REMOVE l[1], l[2]", it)).containsEntry("l", l(s("a"), s("d")));
        assertThat(apply("SET l[9] = :x, l[7] = :y REMOVE l[0]", it, ":x", s("x"), ":y", s("y")))
                .containsEntry("l", l(s("b"), s("c"), s("d"), s("y"), s("x")));
    }

    /** DynamoDB's own answer for this update, recorded by dynalite's tests against it. */
    @Test
    void valuesComeFromTheOldItemAndAppendsLandInIndexOrder() {
        Map<String, AttributeValue> it = item("a", s("key"), "b", m("a", n("1"), "b", n("2"), "c", n("3")), "c", l(n("1"), n("3")));
        UpdateResult result = update(
                "set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :b, c[6] :a",
                it, map(":a", n("2"), ":b", ss("a")));
        assertThat(result.item()).isEqualTo(item("a", s("key"), "b", m("a", s("key"), "b", n("2"), "c", n("4")),
                "c", l(n("1"), s("key"), n("3"), n("-1"), n("2"), ss("a"))));
        // UPDATED_NEW is the projection of the action paths on the new item.
        assertThat(Projection.apply(result.updatedPaths(), result.item()))
                .isEqualTo(item("b", m("c", n("4"), "a", s("key")), "c", l(s("key"), n("3"), n("2"))));
        assertThat(Projection.apply(result.updatedPaths(), it))
                .isEqualTo(item("b", m("c", n("3"), "a", n("1")), "c", l(n("3"))));
    }

    @Test
    void invalidPathsForUpdate() {
        Map<String, AttributeValue> it = item("b", s("a"), "c", m("1", s("a")), "d", l(s("a"), s("b")));
        String message = "The document path provided in the update expression is invalid for update";
        for (String expression : new String[] {
                "set b.a = :a", "set b[1] = :a", "set y.a = :a", "set y[1] = :a", "set c[1] = :a", "set d.#1 = :a",
                "remove b.a", "remove b[1]", "remove y.a", "remove y[1]", "remove c[1]", "remove d.#1",
                "delete b.a :a", "delete y.a :a", "delete c[1] :a", "delete d.#1 :a",
                "add b.a :a", "add y[1] :a", "add c[1] :a", "add d.#1 :a", "set d[5].x = :a"}) {
            Placeholders p = Placeholders.of(expression.contains("#1") ? Fixtures.names("#1", "1") : null, map(":a", ss("a")));
            assertValidation(() -> UpdateEvaluator.apply(p.resolve(ExpressionParser.parseUpdate(expression)), it), message);
        }
    }

    @Test
    void updatedPathsInTheOrderWritten() {
        UpdateResult r = update("REMOVE x SET a.b = :v, c = :v", item("a", m()), map(":v", n("1")));
        assertThat(r.updatedPaths()).containsExactly(DocumentPath.of("x"), DocumentPath.of("a", "b"), DocumentPath.of("c"));
    }

    @Test
    void binaryValuesAreCopiedByReferenceOnly() {
        Map<String, AttributeValue> it = item("x", b(1));
        assertThat(apply("SET y = x", it)).containsEntry("y", b(1));
    }
}

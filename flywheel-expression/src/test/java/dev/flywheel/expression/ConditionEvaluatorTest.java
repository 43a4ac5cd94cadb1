package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.flywheel.expression.Fixtures.b;
import static dev.flywheel.expression.Fixtures.holds;
import static dev.flywheel.expression.Fixtures.item;
import static dev.flywheel.expression.Fixtures.l;
import static dev.flywheel.expression.Fixtures.m;
import static dev.flywheel.expression.Fixtures.map;
import static dev.flywheel.expression.Fixtures.n;
import static dev.flywheel.expression.Fixtures.ns;
import static dev.flywheel.expression.Fixtures.s;
import static dev.flywheel.expression.Fixtures.ss;
import static org.assertj.core.api.Assertions.assertThat;

class ConditionEvaluatorTest {

    private static final Map<String, AttributeValue> ITEM = item(
            "s", s("hello"), "n", n("10.50"), "b", b(1, 2, 255), "t", AttributeValue.TRUE, "z", AttributeValue.NULL,
            "ss", ss("x", "y"), "ns", ns("1", "2.0"), "l", l(s("a"), n("1"), m("k", s("v"))),
            "m", m("x", m("y", l(n("5"), n("6")))), "u", s("é𝄞"));

    private static boolean eval(String text, Object... values) {
        return holds(text, ITEM, map(values));
    }

    @Test
    void equalityAcrossTypes() {
        assertThat(eval("n = :v", ":v", n("10.5"))).isTrue();
        assertThat(eval("n = :v", ":v", s("10.5"))).isFalse();
        assertThat(eval("ss = :v", ":v", ss("y", "x"))).isTrue();
        assertThat(eval("ns = :v", ":v", ns("2", "1.00"))).isTrue();
        assertThat(eval("l = :v", ":v", l(s("a"), n("1.0"), m("k", s("v"))))).isTrue();
        assertThat(eval("l = :v", ":v", l(n("1"), s("a"), m("k", s("v"))))).isFalse();
        assertThat(eval("m.x = :v", ":v", m("y", l(n("5"), n("6"))))).isTrue();
        assertThat(eval("b = :v", ":v", b(1, 2, 255))).isTrue();
        assertThat(eval("t = :v AND z = :z", ":v", AttributeValue.TRUE, ":z", AttributeValue.NULL)).isTrue();
    }

    @Test
    void notEqualIsTrueForMissingAttributesAndOtherTypes() {
        assertThat(eval("absent <> :v", ":v", s("x"))).isTrue();
        assertThat(eval("n <> :v", ":v", s("10.5"))).isTrue();
        assertThat(eval("n <> :v", ":v", n("10.5"))).isFalse();
        assertThat(eval("absent = :v", ":v", s("x"))).isFalse();
    }

    @Test
    void orderingOnlyBetweenSameOrderedTypes() {
        assertThat(eval("n > :v", ":v", n("9.99999999999999999999999999999999999"))).isTrue();
        assertThat(eval("n < :v", ":v", n("1E+2"))).isTrue();
        assertThat(eval("n >= :v AND n <= :v", ":v", n("10.5"))).isTrue();
        assertThat(eval("s < :v", ":v", s("world"))).isTrue();
        assertThat(eval("s < :v", ":v", n("1"))).isFalse();
        assertThat(eval("s >= :v", ":v", n("1"))).isFalse();
        assertThat(eval("absent < :v", ":v", n("1"))).isFalse();
        assertThat(eval("b > :v", ":v", b(1, 2, 127))).isTrue(); // 255 is unsigned
        assertThat(eval("ss < :v", ":v", ss("z"))).isFalse();
        assertThat(eval("t > :v", ":v", AttributeValue.FALSE)).isFalse();
    }

    @Test
    void stringsOrderByUtf8Bytes() {
        // U+FF61 sorts before U+1F600 in UTF-8, though not in UTF-16 code units.
        assertThat(holds("a < b", item("a", s("\uFF61"), "b", s("\uD83D\uDE00")), Map.of())).isTrue();
    }

    @Test
    void between() {
        assertThat(eval("n BETWEEN :a AND :b", ":a", n("10"), ":b", n("11"))).isTrue();
        assertThat(eval("n BETWEEN :a AND :b", ":a", n("10.5"), ":b", n("10.5"))).isTrue();
        assertThat(eval("n BETWEEN :a AND :b", ":a", n("11"), ":b", n("12"))).isFalse();
        assertThat(eval("s BETWEEN :a AND :b", ":a", s("h"), ":b", s("i"))).isTrue();
        assertThat(eval("s BETWEEN :a AND :b", ":a", n("1"), ":b", n("2"))).isFalse();
    }

    @Test
    void in() {
        assertThat(eval("n IN (:a, :b)", ":a", s("x"), ":b", n("10.5"))).isTrue();
        assertThat(eval("n IN (:a)", ":a", s("10.5"))).isFalse();
        assertThat(eval("absent IN (:a)", ":a", s("x"))).isFalse();
        assertThat(eval("ss IN (:a)", ":a", ss("y", "x"))).isTrue();
    }

    @Test
    void logic() {
        assertThat(eval("NOT n = :v", ":v", n("1"))).isTrue();
        assertThat(eval("n = :v OR s = :s AND n = :v", ":v", n("1"), ":s", s("hello"))).isFalse();
        assertThat(eval("(n = :v OR s = :s) AND NOT n = :v", ":v", n("1"), ":s", s("hello"))).isTrue();
    }

    @Test
    void attributeExistsAndType() {
        assertThat(eval("attribute_exists(m.x.y[1])")).isTrue();
        assertThat(eval("attribute_exists(m.x.y[2])")).isFalse();
        assertThat(eval("attribute_not_exists(absent.x)")).isTrue();
        assertThat(eval("attribute_exists(s.x)")).isFalse();
        for (String[] t : new String[][] {{"s", "S"}, {"n", "N"}, {"b", "B"}, {"t", "BOOL"}, {"z", "NULL"},
                {"ss", "SS"}, {"ns", "NS"}, {"l", "L"}, {"m", "M"}}) {
            assertThat(eval("attribute_type(" + t[0] + ", :t)", ":t", s(t[1]))).as(t[0]).isTrue();
        }
        assertThat(eval("attribute_type(s, :t)", ":t", s("N"))).isFalse();
        assertThat(eval("attribute_type(absent, :t)", ":t", s("S"))).isFalse();
    }

    @Test
    void beginsWith() {
        assertThat(eval("begins_with(s, :p)", ":p", s("hel"))).isTrue();
        assertThat(eval("begins_with(s, :p)", ":p", s("help"))).isFalse();
        assertThat(eval("begins_with(b, :p)", ":p", b(1, 2))).isTrue();
        assertThat(eval("begins_with(b, :p)", ":p", b(2))).isFalse();
        assertThat(eval("begins_with(n, :p)", ":p", s("1"))).isFalse();
        assertThat(eval("begins_with(absent, :p)", ":p", s("1"))).isFalse();
    }

    @Test
    void contains() {
        assertThat(eval("contains(s, :v)", ":v", s("ell"))).isTrue();
        assertThat(eval("contains(s, :v)", ":v", s("xyz"))).isFalse();
        assertThat(eval("contains(ss, :v)", ":v", s("x"))).isTrue();
        assertThat(eval("contains(ss, :v)", ":v", ss("x"))).isFalse();
        assertThat(eval("contains(ns, :v)", ":v", n("2"))).isTrue();
        assertThat(eval("contains(l, :v)", ":v", n("1.00"))).isTrue();
        assertThat(eval("contains(l, :v)", ":v", m("k", s("v")))).isTrue();
        assertThat(eval("contains(l, :v)", ":v", s("b"))).isFalse();
        assertThat(eval("contains(n, :v)", ":v", n("10.50"))).isFalse();
        assertThat(eval("contains(m, :v)", ":v", s("x"))).isFalse();
    }

    @Test
    void size() {
        assertThat(eval("size(s) = :v", ":v", n("5"))).isTrue();
        assertThat(eval("size(u) = :v", ":v", n("3"))).isTrue(); // UTF-16 code units, as DynamoDB counts
        assertThat(eval("size(b) = :v", ":v", n("3"))).isTrue();
        assertThat(eval("size(ss) = :v AND size(ns) = :v", ":v", n("2"))).isTrue();
        assertThat(eval("size(l) = :v", ":v", n("3"))).isTrue();
        assertThat(eval("size(m) = :v", ":v", n("1"))).isTrue();
        assertThat(eval("size(n) = :v", ":v", n("2"))).isFalse();
        assertThat(eval("size(n) <> :v", ":v", n("2"))).isTrue();
        assertThat(eval("size(absent) < :v", ":v", n("100"))).isFalse();
        assertThat(eval("size(:s) = :v", ":s", s("abc"), ":v", n("3"))).isTrue();
    }

    @Test
    void conditionsOnAMissingItem() {
        assertThat(holds("attribute_not_exists(pk)", Map.of(), Map.of())).isTrue();
        assertThat(holds("pk = :v", Map.of(), map(":v", s("x")))).isFalse();
    }
}

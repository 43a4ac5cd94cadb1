package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.flywheel.expression.Fixtures.item;
import static dev.flywheel.expression.Fixtures.l;
import static dev.flywheel.expression.Fixtures.m;
import static dev.flywheel.expression.Fixtures.n;
import static dev.flywheel.expression.Fixtures.names;
import static dev.flywheel.expression.Fixtures.s;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectionTest {

    private static final Map<String, AttributeValue> ITEM = item(
            "p", s("key"),
            "a", m("b", l(n("2"), n("4"), m("x", s("hi"), "y", s("yo"))), "c", n("5")),
            "b", s("hello"),
            "a.b", s("dotted"));

    private static Map<String, AttributeValue> project(String text) {
        return project(text, null);
    }

    private static Map<String, AttributeValue> project(String text, Map<String, String> names) {
        return Projection.apply(Placeholders.of(names, null).resolve(ExpressionParser.parseProjection(text)), ITEM);
    }

    @Test
    void topLevelAndNestedPaths() {
        assertThat(project("p, b")).isEqualTo(item("p", s("key"), "b", s("hello")));
        assertThat(project("a.b")).isEqualTo(item("a", m("b", l(n("2"), n("4"), m("x", s("hi"), "y", s("yo"))))));
        assertThat(project("a.b[0]")).isEqualTo(item("a", m("b", l(n("2")))));
        assertThat(project("a.b[2].y")).isEqualTo(item("a", m("b", l(m("y", s("yo"))))));
        assertThat(project("a.c, b")).isEqualTo(item("a", m("c", n("5")), "b", s("hello")));
    }

    @Test
    void listElementsAreCompactedInIndexOrder() {
        assertThat(project("a.b[2].x, a.b[0]")).isEqualTo(item("a", m("b", l(n("2"), m("x", s("hi"))))));
        assertThat(project("a.b[0], a.c")).isEqualTo(item("a", m("b", l(n("2")), "c", n("5"))));
    }

    @Test
    void missingPathsAreLeftOut() {
        assertThat(project("x")).isEmpty();
        assertThat(project("a.b[3]")).isEmpty();
        assertThat(project("a.x.y")).isEmpty();
        assertThat(project("a.b.x")).isEmpty();
        assertThat(project("a[0]")).isEmpty();
        assertThat(project("a.b[0][0]")).isEmpty();
        assertThat(project("a.x, a.b[0], x, a.b[3].x")).isEqualTo(item("a", m("b", l(n("2")))));
    }

    @Test
    void aNamePlaceholderIsOneNameEvenWithADot() {
        assertThat(project("#n", names("#n", "a.b"))).isEqualTo(item("a.b", s("dotted")));
        assertThat(project("#n1.#n2", names("#n1", "a", "#n2", "c"))).isEqualTo(item("a", m("c", n("5"))));
    }
}

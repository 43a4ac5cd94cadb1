package dev.flywheel.expression;

import dev.flywheel.expression.Condition.Comparator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** parse(print(tree)) == tree for random trees of all three grammars. */
class RoundTripProperties {

    /** Plain names that are neither reserved words nor keywords. */
    private static final List<String> NAMES = List.of("a", "b", "c1", "foo_bar", "Price", "x9", "pk", "sk", "tags", "zz_top");

    @Property(tries = 500)
    void conditions(@ForAll("conditions") Condition condition) {
        String text = ExpressionPrinter.print(condition);
        assertThat(ExpressionParser.parseCondition(text).condition()).as(text).isEqualTo(condition);
    }

    @Property(tries = 300)
    void updates(@ForAll("updates") UpdateExpression update) {
        String text = ExpressionPrinter.print(update);
        assertThat(ExpressionParser.parseUpdate(text)).as(text).isEqualTo(update);
    }

    @Property(tries = 200)
    void projections(@ForAll("projections") ProjectionExpression projection) {
        String text = ExpressionPrinter.print(projection);
        assertThat(ExpressionParser.parseProjection(text)).as(text).isEqualTo(projection);
    }

    @Provide
    Arbitrary<Condition> conditions() {
        return condition(4);
    }

    @Provide
    Arbitrary<ProjectionExpression> projections() {
        return path().list().ofMinSize(1).ofMaxSize(5).map(ProjectionExpression::new);
    }

    @Provide
    Arbitrary<UpdateExpression> updates() {
        Arbitrary<List<UpdateAction>> sets = Combinators.combine(path(), setValue()).as(UpdateAction.Set::new)
                .map(UpdateAction.class::cast).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<UpdateAction>> removes = path().map(UpdateAction.Remove::new).map(UpdateAction.class::cast).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<UpdateAction>> adds = Combinators.combine(path(), valueRef()).as(UpdateAction.Add::new)
                .map(UpdateAction.class::cast).list().ofMinSize(1).ofMaxSize(3);
        Arbitrary<List<UpdateAction>> deletes = Combinators.combine(path(), valueRef()).as(UpdateAction.Delete::new)
                .map(UpdateAction.class::cast).list().ofMinSize(1).ofMaxSize(3);
        return Arbitraries.subsetOf(0, 1, 2, 3).ofMinSize(1).flatMap(sections -> {
            List<Integer> order = new ArrayList<>(sections);
            return Arbitraries.shuffle(order).flatMap(shuffled -> Combinators.combine(sets, removes, adds, deletes).as((s, r, a, d) -> {
                List<UpdateAction> actions = new ArrayList<>();
                for (int section : shuffled) actions.addAll(List.of(s, r, a, d).get(section));
                return new UpdateExpression(actions);
            }));
        });
    }

    private Arbitrary<Condition> condition(int depth) {
        Arbitrary<Condition> leaf = Arbitraries.oneOf(comparison(), between(), in(), conditionFunction());
        if (depth == 0) return leaf;
        Arbitrary<Condition> sub = condition(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, leaf),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sub, sub).as(Condition.And::new)),
                net.jqwik.api.Tuple.of(2, Combinators.combine(sub, sub).as(Condition.Or::new)),
                net.jqwik.api.Tuple.of(1, sub.map(Condition.Not::new)));
    }

    private Arbitrary<Condition> comparison() {
        return Combinators.combine(Arbitraries.of(Comparator.class), conditionOperand(), conditionOperand())
                .as(Condition.Comparison::new);
    }

    private Arbitrary<Condition> between() {
        return Combinators.combine(conditionOperand(), conditionOperand(), conditionOperand()).as(Condition.Between::new);
    }

    private Arbitrary<Condition> in() {
        return Combinators.combine(conditionOperand(), conditionOperand().list().ofMinSize(1).ofMaxSize(4)).as(Condition.In::new);
    }

    private Arbitrary<Condition> conditionFunction() {
        Arbitrary<Operand> p = path().map(Operand.class::cast);
        return Arbitraries.oneOf(
                p.map(x -> new Condition.Function("attribute_exists", List.of(x))),
                p.map(x -> new Condition.Function("attribute_not_exists", List.of(x))),
                Combinators.combine(p, valueRef()).as((x, v) -> new Condition.Function("attribute_type", List.of(x, v))),
                Combinators.combine(p, valueRef()).as((x, v) -> new Condition.Function("begins_with", List.of(x, v))),
                Combinators.combine(p, conditionOperand()).as((x, v) -> new Condition.Function("contains", List.of(x, v))));
    }

    private Arbitrary<Operand> conditionOperand() {
        Arbitrary<Operand> simple = Arbitraries.oneOf(path().map(Operand.class::cast), valueRef());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, simple),
                net.jqwik.api.Tuple.of(1, path().map(x -> new Operand.Function("size", List.of(x)))));
    }

    private Arbitrary<Operand> setValue() {
        Arbitrary<Operand> operand = updateOperand(2);
        return Arbitraries.oneOf(operand,
                Combinators.combine(operand, Arbitraries.of(true, false), operand).as(Operand.Arithmetic::new));
    }

    private Arbitrary<Operand> updateOperand(int depth) {
        Arbitrary<Operand> simple = Arbitraries.oneOf(path().map(Operand.class::cast), valueRef());
        if (depth == 0) return simple;
        Arbitrary<Operand> sub = updateOperand(depth - 1);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, simple),
                net.jqwik.api.Tuple.of(1, Combinators.combine(path(), sub).as((p, v) -> new Operand.Function("if_not_exists", List.of(p, v)))),
                net.jqwik.api.Tuple.of(1, Combinators.combine(sub, sub).as((x, y) -> new Operand.Function("list_append", List.of(x, y)))));
    }

    private Arbitrary<Operand> valueRef() {
        return Arbitraries.of(":v", ":v1", ":Val_2", ":3").map(Operand.ValueRef::new);
    }

    private Arbitrary<DocumentPath> path() {
        Arbitrary<PathElement> name = Arbitraries.oneOf(
                Arbitraries.of(NAMES).map(PathElement.Name::new),
                Arbitraries.of("#n", "#N1", "#0", "#a_b").map(PathElement.NameRef::new));
        Arbitrary<PathElement> step = Arbitraries.oneOf(name, Arbitraries.integers().between(0, 1000).map(PathElement.Index::new));
        return Combinators.combine(name, step.list().ofMaxSize(4)).as((first, rest) -> {
            List<PathElement> elements = new ArrayList<>();
            elements.add(first);
            elements.addAll(rest);
            return new DocumentPath(elements);
        });
    }
}

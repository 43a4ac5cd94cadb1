package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * UpdateEvaluator against a deliberately plain model: each action targets its own top-level
 * attribute, so the model may compute every value from the old item and then apply the actions
 * one after another with copy-and-modify code, predicting DynamoDB's errors along the way.
 */
class UpdateModelProperties {

    private static final List<String> TOP = List.of("a", "b", "c", "d", "e");
    private static final List<String> KEYS = List.of("x", "y");

    record Case(Map<String, AttributeValue> item, String expression, Map<String, AttributeValue> values) {}

    @Property(tries = 1000)
    void evaluatorMatchesModel(@ForAll("cases") Case c) {
        Object expected;
        try {
            expected = Model.apply(c);
        } catch (ModelError e) {
            expected = e.getMessage();
        }
        Object actual;
        try {
            UpdateExpression u = Placeholders.of(null, c.values().isEmpty() ? null : c.values())
                    .resolve(ExpressionParser.parseUpdate(c.expression()));
            actual = UpdateEvaluator.apply(u, c.item()).item();
        } catch (ValidationException e) {
            actual = e.getMessage();
        }
        net.jqwik.api.statistics.Statistics.collect(actual instanceof String message ? message : "updated");
        assertThat(actual).as(c.toString()).isEqualTo(expected);
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Map<String, AttributeValue>> items = Arbitraries.maps(Arbitraries.of(TOP), value(2)).ofMaxSize(5)
                .map(LinkedHashMap::new);
        return Combinators.combine(items, Arbitraries.shuffle(TOP), Arbitraries.integers().between(1, 4),
                        action().list().ofSize(4))
                .as((item, targets, count, actions) -> {
                    StringBuilder set = new StringBuilder();
                    StringBuilder remove = new StringBuilder();
                    StringBuilder add = new StringBuilder();
                    StringBuilder delete = new StringBuilder();
                    Map<String, AttributeValue> values = new LinkedHashMap<>();
                    for (int i = 0; i < count; i++) {
                        Action a = actions.get(i);
                        String path = targets.get(i) + a.suffix();
                        String value = ":v" + i;
                        if (a.value() != null) values.put(value, a.value());
                        switch (a.kind()) {
                            case "SET" -> append(set, path + " = " + a.setValue().replace(":v", value));
                            case "REMOVE" -> append(remove, path);
                            case "ADD" -> append(add, path + " " + value);
                            default -> append(delete, path + " " + value);
                        }
                    }
                    String expression = section("SET", set) + section("REMOVE", remove) + section("ADD", add) + section("DELETE", delete);
                    return new Case(item, expression.strip(), values);
                });
    }

    private static void append(StringBuilder sb, String action) {
        if (!sb.isEmpty()) sb.append(", ");
        sb.append(action);
    }

    private static String section(String name, StringBuilder actions) {
        return actions.isEmpty() ? "" : " " + name + " " + actions;
    }

    /** One action before it is given a target: its kind, path suffix, value and SET form. */
    record Action(String kind, String suffix, AttributeValue value, String setValue) {}

    private Arbitrary<Action> action() {
        Arbitrary<String> suffix = Arbitraries.oneOf(
                Arbitraries.just(""),
                Arbitraries.of(KEYS).map(k -> "." + k),
                Arbitraries.integers().between(0, 3).map(i -> "[" + i + "]"),
                Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.of(KEYS)).as((i, k) -> "[" + i + "]." + k));
        Arbitrary<String> source = Combinators.combine(Arbitraries.of(TOP), suffix).as((t, s) -> t + s);
        Arbitrary<Action> set = Combinators.combine(suffix, value(1), source, Arbitraries.integers().between(0, 4)).as((s, v, src, form) ->
                switch (form) {
                    case 0 -> new Action("SET", s, v, ":v");
                    case 1 -> new Action("SET", s, null, src);
                    case 2 -> new Action("SET", s, number(), src + " + :v");
                    case 3 -> new Action("SET", s, v, "if_not_exists(" + src + ", :v)");
                    default -> new Action("SET", s, list(), "list_append(" + src + ", :v)");
                });
        Arbitrary<Action> remove = suffix.map(s -> new Action("REMOVE", s, null, null));
        Arbitrary<Action> add = Combinators.combine(suffix, Arbitraries.oneOf(numberA(), stringSet(), numberSet()))
                .as((s, v) -> new Action("ADD", s, v, null));
        Arbitrary<Action> delete = Combinators.combine(suffix, Arbitraries.oneOf(stringSet(), numberSet()))
                .as((s, v) -> new Action("DELETE", s, v, null));
        return Arbitraries.oneOf(set, remove, add, delete);
    }

    private static AttributeValue number() {
        return AttributeValue.n(1);
    }

    private static AttributeValue list() {
        return new AttributeValue.L(List.of(AttributeValue.s("new")));
    }

    private Arbitrary<AttributeValue> numberA() {
        return Arbitraries.integers().between(-5, 5).map(i -> (AttributeValue) AttributeValue.n(i));
    }

    private Arbitrary<AttributeValue> stringSet() {
        return Arbitraries.of("p", "q", "r").set().ofMinSize(1).map(s -> (AttributeValue) new AttributeValue.SS(List.copyOf(s)));
    }

    private Arbitrary<AttributeValue> numberSet() {
        return Arbitraries.of("1", "2", "3").set().ofMinSize(1).map(s -> (AttributeValue) new AttributeValue.NS(List.copyOf(s)));
    }

    private Arbitrary<AttributeValue> value(int depth) {
        Arbitrary<AttributeValue> scalar = Arbitraries.oneOf(numberA(), Arbitraries.of("s", "t").map(AttributeValue::s),
                stringSet(), numberSet());
        if (depth == 0) return scalar;
        Arbitrary<AttributeValue> sub = value(depth - 1);
        return Arbitraries.oneOf(scalar,
                sub.list().ofMaxSize(3).map(l -> (AttributeValue) new AttributeValue.L(l)),
                Arbitraries.maps(Arbitraries.of(KEYS), sub).ofMaxSize(2).map(m -> (AttributeValue) new AttributeValue.M(new LinkedHashMap<>(m))));
    }

    // ---------------------------------------------------------------- the model

    static final class ModelError extends RuntimeException {
        ModelError(String message) { super(message); }
    }

    /** Parses the generated text with string operations, not with the parser under test. */
    static final class Model {
        static Map<String, AttributeValue> apply(Case c) {
            Map<String, AttributeValue> old = c.item();
            List<String[]> actions = new ArrayList<>(); // kind, path, argument
            String kind = null;
            for (String part : c.expression().split("(?=\\b(SET|REMOVE|ADD|DELETE) )")) {
                part = part.strip();
                kind = part.substring(0, part.indexOf(' '));
                for (String action : part.substring(kind.length()).split(",(?![^(]*\\))")) {
                    action = action.strip();
                    switch (kind) {
                        case "SET" -> actions.add(new String[] {kind, action.substring(0, action.indexOf(" = ")), action.substring(action.indexOf(" = ") + 3)});
                        case "REMOVE" -> actions.add(new String[] {kind, action, null});
                        default -> actions.add(new String[] {kind, action.split(" ")[0], action.split(" ")[1]});
                    }
                }
            }
            // 1. Every value from the old item, in the order written.
            List<AttributeValue> newValues = new ArrayList<>();
            for (String[] a : actions) {
                newValues.add(switch (a[0]) {
                    case "SET" -> setValue(a[2], old, c.values());
                    case "ADD" -> add(get(old, a[1]), c.values().get(a[2]));
                    case "DELETE" -> get(old, a[1]) == null ? null : delete(get(old, a[1]), c.values().get(a[2]));
                    default -> null;
                });
            }
            // 2. The writes, one after another (each touches its own top-level attribute).
            Map<String, AttributeValue> item = new LinkedHashMap<>(old);
            for (int i = 0; i < actions.size(); i++) {
                String[] a = actions.get(i);
                AttributeValue v = newValues.get(i);
                switch (a[0]) {
                    case "SET", "ADD" -> write(item, a[1], v);
                    case "REMOVE" -> write(item, a[1], null);
                    default -> {
                        if (get(old, a[1]) == null) requireParent(item, a[1]);
                        else write(item, a[1], v);
                    }
                }
            }
            return item;
        }

        static AttributeValue setValue(String text, Map<String, AttributeValue> item, Map<String, AttributeValue> values) {
            if (text.startsWith(":")) return values.get(text);
            if (text.startsWith("if_not_exists(")) {
                String[] args = text.substring(14, text.length() - 1).split(", ");
                AttributeValue existing = get(item, args[0]);
                return existing != null ? existing : values.get(args[1]);
            }
            if (text.startsWith("list_append(")) {
                String[] args = text.substring(12, text.length() - 1).split(", ");
                AttributeValue first = required(item, args[0]);
                if (!(first instanceof AttributeValue.L l)) throw new ModelError(Errors.INCORRECT_DATA_TYPE);
                List<AttributeValue> joined = new ArrayList<>(l.values());
                joined.addAll(((AttributeValue.L) values.get(args[1])).values());
                return new AttributeValue.L(joined);
            }
            if (text.contains(" + ")) {
                AttributeValue left = required(item, text.substring(0, text.indexOf(" + ")));
                if (!(left instanceof AttributeValue.N n)) throw new ModelError(Errors.INCORRECT_DATA_TYPE);
                return sum(n, (AttributeValue.N) values.get(text.substring(text.indexOf(" + ") + 3)));
            }
            return required(item, text);
        }

        static AttributeValue required(Map<String, AttributeValue> item, String path) {
            AttributeValue v = get(item, path);
            if (v == null) throw new ModelError(Errors.MISSING_ATTRIBUTE);
            return v;
        }

        static AttributeValue sum(AttributeValue.N a, AttributeValue.N b) {
            BigDecimal r = new BigDecimal(a.value()).add(new BigDecimal(b.value()));
            return AttributeValue.n(r.signum() == 0 ? "0" : r.stripTrailingZeros().toPlainString());
        }

        static AttributeValue add(AttributeValue existing, AttributeValue v) {
            if (existing == null) return v;
            if (v instanceof AttributeValue.N n && existing instanceof AttributeValue.N e) return sum(e, n);
            if (v instanceof AttributeValue.SS s && existing instanceof AttributeValue.SS e) return new AttributeValue.SS(union(e.values(), s.values()));
            if (v instanceof AttributeValue.NS s && existing instanceof AttributeValue.NS e) return new AttributeValue.NS(union(e.values(), s.values()));
            throw new ModelError(Errors.INCORRECT_DATA_TYPE);
        }

        static AttributeValue delete(AttributeValue existing, AttributeValue v) {
            List<String> rest;
            if (v instanceof AttributeValue.SS s && existing instanceof AttributeValue.SS e) rest = minus(e.values(), s.values());
            else if (v instanceof AttributeValue.NS s && existing instanceof AttributeValue.NS e) rest = minus(e.values(), s.values());
            else throw new ModelError(Errors.INCORRECT_DATA_TYPE);
            if (rest.isEmpty()) return null;
            return v instanceof AttributeValue.SS ? new AttributeValue.SS(rest) : new AttributeValue.NS(rest);
        }

        static List<String> union(List<String> a, List<String> b) {
            Set<String> s = new LinkedHashSet<>(a);
            s.addAll(b);
            return List.copyOf(s);
        }

        static List<String> minus(List<String> a, List<String> b) {
            List<String> out = new ArrayList<>(a);
            out.removeAll(b);
            return out;
        }

        /** Path text like {@code a}, {@code a.x}, {@code a[2]} or {@code a[1].y}, as generated. */
        static List<Object> steps(String path) {
            List<Object> steps = new ArrayList<>();
            for (String token : path.replace("[", ".[").split("\\.")) {
                steps.add(token.startsWith("[") ? (Object) Integer.parseInt(token.substring(1, token.length() - 1)) : token);
            }
            return steps;
        }

        static AttributeValue get(Map<String, AttributeValue> item, String path) {
            List<Object> steps = steps(path);
            AttributeValue v = item.get((String) steps.getFirst());
            for (Object step : steps.subList(1, steps.size())) {
                if (step instanceof String k && v instanceof AttributeValue.M m) v = m.values().get(k);
                else if (step instanceof Integer i && v instanceof AttributeValue.L l && i < l.values().size()) v = l.values().get(i);
                else return null;
            }
            return v;
        }

        static void requireParent(Map<String, AttributeValue> item, String path) {
            List<Object> steps = steps(path);
            if (steps.size() == 1) return;
            write(item, path, get(item, path)); // a no-op write that fails where the parent is wrong
        }

        /** Sets (or, with null, removes) the value at the path, copying the containers on the way. */
        static void write(Map<String, AttributeValue> item, String path, AttributeValue value) {
            List<Object> steps = steps(path);
            String top = (String) steps.getFirst();
            if (steps.size() == 1) {
                if (value == null) item.remove(top);
                else item.put(top, value);
                return;
            }
            AttributeValue current = item.get(top);
            if (current == null) throw new ModelError(Errors.INVALID_PATH_FOR_UPDATE);
            item.put(top, writeInto(current, steps.subList(1, steps.size()), value));
        }

        static AttributeValue writeInto(AttributeValue container, List<Object> steps, AttributeValue value) {
            Object step = steps.getFirst();
            boolean last = steps.size() == 1;
            if (step instanceof String k && container instanceof AttributeValue.M m) {
                Map<String, AttributeValue> copy = new LinkedHashMap<>(m.values());
                if (last) {
                    if (value == null) copy.remove(k);
                    else copy.put(k, value);
                } else {
                    AttributeValue child = copy.get(k);
                    if (child == null) throw new ModelError(Errors.INVALID_PATH_FOR_UPDATE);
                    copy.put(k, writeInto(child, steps.subList(1, steps.size()), value));
                }
                return new AttributeValue.M(copy);
            }
            if (step instanceof Integer i && container instanceof AttributeValue.L l) {
                List<AttributeValue> copy = new ArrayList<>(l.values());
                if (last) {
                    if (i < copy.size()) {
                        if (value == null) copy.remove((int) i);
                        else copy.set(i, value);
                    } else if (value != null) {
                        copy.add(value);
                    }
                } else {
                    if (i >= copy.size()) throw new ModelError(Errors.INVALID_PATH_FOR_UPDATE);
                    copy.set(i, writeInto(copy.get(i), steps.subList(1, steps.size()), value));
                }
                return new AttributeValue.L(copy);
            }
            throw new ModelError(Errors.INVALID_PATH_FOR_UPDATE);
        }
    }
}

package dev.flywheel.engine.query;

import dev.flywheel.expression.Condition;
import dev.flywheel.expression.DocumentPath;
import dev.flywheel.expression.Operand;
import java.util.LinkedHashSet;
import java.util.Set;

/** The top-level attribute names a resolved condition reads. */
final class ConditionPaths {
    private ConditionPaths() {}

    static Set<String> topLevelNames(Condition condition) {
        Set<String> names = new LinkedHashSet<>();
        collect(condition, names);
        return names;
    }

    private static void collect(Condition c, Set<String> names) {
        switch (c) {
            case Condition.Comparison x -> { collect(x.left(), names); collect(x.right(), names); }
            case Condition.Between x -> { collect(x.value(), names); collect(x.lower(), names); collect(x.upper(), names); }
            case Condition.In x -> { collect(x.value(), names); x.candidates().forEach(o -> collect(o, names)); }
            case Condition.And x -> { collect(x.left(), names); collect(x.right(), names); }
            case Condition.Or x -> { collect(x.left(), names); collect(x.right(), names); }
            case Condition.Not x -> collect(x.condition(), names);
            case Condition.Function f -> f.arguments().forEach(o -> collect(o, names));
        }
    }

    private static void collect(Operand o, Set<String> names) {
        switch (o) {
            case DocumentPath p -> names.add(p.topLevelName());
            case Operand.Function f -> f.arguments().forEach(a -> collect(a, names));
            case Operand.Arithmetic a -> { collect(a.left(), names); collect(a.right(), names); }
            case Operand.ValueRef ignored -> { }
            case Operand.Literal ignored -> { }
        }
    }
}

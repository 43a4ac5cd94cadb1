package dev.flywheel.expression;

import java.util.List;
import java.util.Objects;

/**
 * A boolean expression: the AST of ConditionExpression, FilterExpression and
 * KeyConditionExpression (one grammar; the engine restricts what a key condition may contain).
 * Parentheses are not kept: the tree's shape records the grouping.
 */
public sealed interface Condition {

    enum Comparator {
        EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Comparator(String symbol) { this.symbol = symbol; }

        public String symbol() { return symbol; }
    }

    record Comparison(Comparator comparator, Operand left, Operand right) implements Condition {
        public Comparison {
            Objects.requireNonNull(comparator, "comparator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code value BETWEEN lower AND upper}, both bounds inclusive. */
    record Between(Operand value, Operand lower, Operand upper) implements Condition {
        public Between {
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(lower, "lower");
            Objects.requireNonNull(upper, "upper");
        }
    }

    /** {@code value IN (candidate, ...)}. */
    record In(Operand value, List<Operand> candidates) implements Condition {
        public In {
            Objects.requireNonNull(value, "value");
            candidates = List.copyOf(candidates);
        }
    }

    record And(Condition left, Condition right) implements Condition {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Or(Condition left, Condition right) implements Condition {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    record Not(Condition condition) implements Condition {
        public Not { Objects.requireNonNull(condition, "condition"); }
    }

    /**
     * A function used as a condition: {@code attribute_exists}, {@code attribute_not_exists},
     * {@code attribute_type}, {@code begins_with}, {@code contains}. The name is kept as written.
     */
    record Function(String name, List<Operand> arguments) implements Condition {
        public Function {
            Objects.requireNonNull(name, "name");
            arguments = List.copyOf(arguments);
        }
    }
}

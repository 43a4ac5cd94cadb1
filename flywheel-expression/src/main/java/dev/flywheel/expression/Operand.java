package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.util.List;
import java.util.Objects;

/**
 * Something that yields a value: a {@link DocumentPath}, a {@code :value} placeholder, a literal
 * value (only after resolution), a function call, or (in an update's SET) an addition or
 * subtraction of two operands.
 */
public sealed interface Operand permits DocumentPath, Operand.ValueRef, Operand.Literal, Operand.Function, Operand.Arithmetic {

    /** An expression attribute value such as {@code :v}; resolution replaces it by a {@link Literal}. */
    record ValueRef(String placeholder) implements Operand {
        public ValueRef { Objects.requireNonNull(placeholder, "placeholder"); }
    }

    /** A value from ExpressionAttributeValues, after resolution. */
    record Literal(AttributeValue value) implements Operand {
        public Literal { Objects.requireNonNull(value, "value"); }
    }

    /**
     * A function call used for its value: {@code size(path)} in conditions, {@code if_not_exists}
     * and {@code list_append} in updates. The name is kept as written: DynamoDB's function names
     * are case-sensitive, and an unknown one is reported by its written name.
     */
    record Function(String name, List<Operand> arguments) implements Operand {
        public Function {
            Objects.requireNonNull(name, "name");
            arguments = List.copyOf(arguments);
        }
    }

    /** {@code left + right} or {@code left - right}, only in an update's SET action. */
    record Arithmetic(Operand left, boolean plus, Operand right) implements Operand {
        public Arithmetic {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }

        /** "+" or "-", as DynamoDB names the operator in error messages. */
        public String operator() { return plus ? "+" : "-"; }
    }
}

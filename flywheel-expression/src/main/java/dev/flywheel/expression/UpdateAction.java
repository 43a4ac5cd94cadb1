package dev.flywheel.expression;

import java.util.Objects;

/** One action of an UpdateExpression's SET, REMOVE, ADD or DELETE clause. */
public sealed interface UpdateAction {

    /** The document path the action changes. */
    DocumentPath path();

    record Set(DocumentPath path, Operand value) implements UpdateAction {
        public Set {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }

    record Remove(DocumentPath path) implements UpdateAction {
        public Remove { Objects.requireNonNull(path, "path"); }
    }

    /** ADD: adds a number, or adds elements to a set. The value is a placeholder (a literal once resolved). */
    record Add(DocumentPath path, Operand value) implements UpdateAction {
        public Add {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }

    /** DELETE: removes elements from a set. The value is a placeholder (a literal once resolved). */
    record Delete(DocumentPath path, Operand value) implements UpdateAction {
        public Delete {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(value, "value");
        }
    }
}

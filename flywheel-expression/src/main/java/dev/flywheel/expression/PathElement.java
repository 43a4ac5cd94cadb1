package dev.flywheel.expression;

/**
 * One step of a {@link DocumentPath}: a map key written directly ({@link Name}), a map key written
 * as a {@code #placeholder} ({@link NameRef}, only before resolution), or a list index.
 */
public sealed interface PathElement {

    /** A map key (or top-level attribute name) as written, or as resolved from a placeholder. */
    record Name(String name) implements PathElement {
        public Name { java.util.Objects.requireNonNull(name, "name"); }
    }

    /** An expression attribute name such as {@code #n}; resolution replaces it by a {@link Name}. */
    record NameRef(String placeholder) implements PathElement {
        public NameRef { java.util.Objects.requireNonNull(placeholder, "placeholder"); }
    }

    /** A list index, {@code [n]}. */
    record Index(int index) implements PathElement {
        public Index {
            if (index < 0) throw new IllegalArgumentException("negative index " + index);
        }
    }
}

package dev.flywheel.storage;

import java.util.Arrays;

/** What a row must currently hold for a write to apply: compare-and-set on the bytes the engine read. */
public sealed interface Expected {
    /** No precondition. */
    Expected ANY = new Any();
    /** The row must not exist. */
    Expected ABSENT = new Absent();

    /** The row must hold exactly these bytes (null: must be absent). */
    static Expected value(byte[] current) { return current == null ? ABSENT : new Value(current); }

    boolean matches(byte[] current);

    record Any() implements Expected {
        @Override public boolean matches(byte[] current) { return true; }
    }

    record Absent() implements Expected {
        @Override public boolean matches(byte[] current) { return current == null; }
    }

    record Value(byte[] bytes) implements Expected {
        @Override public boolean matches(byte[] current) { return current != null && Arrays.equals(current, bytes); }
    }
}

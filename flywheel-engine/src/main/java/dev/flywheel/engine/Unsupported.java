package dev.flywheel.engine;

import dev.flywheel.model.DynamoDbException.ValidationException;

/**
 * Refuses request parameters Flywheel does not implement yet, rather than silently ignoring them:
 * a client that asked for an index or a condition must not believe it got one.
 */
public final class Unsupported {
    private Unsupported() {}

    public static void whenPresent(Object parameter, String name) {
        whenTrue(parameter != null, name);
    }

    public static void whenTrue(boolean condition, String name) {
        if (condition) {
            throw new ValidationException("Flywheel does not support " + name + " yet");
        }
    }
}

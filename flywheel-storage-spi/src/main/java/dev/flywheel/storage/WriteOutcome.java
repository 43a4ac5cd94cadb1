package dev.flywheel.storage;

/** The result of {@link Storage#write}: applied, or refused because a precondition did not hold. */
public enum WriteOutcome {
    APPLIED,
    /** Some row's current value did not match its {@link Expected}; nothing was written. */
    PRECONDITION_FAILED
}

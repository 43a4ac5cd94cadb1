package dev.flywheel.engine.item;

/** Who changed an item: what a stream record's userIdentity tells its consumers. */
public enum ChangeOrigin {
    /** A request of a client. */
    REQUEST,
    /** Time to live's background deletion of an expired item (a stream shows it as the service's). */
    TIME_TO_LIVE,
    /** A change made in another region of a global table, applied here by replication (never sent on again). */
    REPLICATION
}

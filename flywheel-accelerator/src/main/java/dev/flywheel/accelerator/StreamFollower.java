package dev.flywheel.accelerator;

/**
 * Follows the streams of the tables the accelerator caches, so that writes which bypass it drop what
 * they made stale. {@link #NONE} follows nothing (entries then live until their TTL, as in DAX).
 *
 * <p>Implementations are thread-safe.
 */
interface StreamFollower extends AutoCloseable {

    /**
     * Starts following {@code table}'s stream (or stops, when it has none any more) before anything of
     * it is cached: once this returns, every later write to the table reaches {@code cache}.
     */
    void follow(Tables.Table table, CachingDynamoDb cache);

    @Override
    void close();

    /** Follows nothing. */
    StreamFollower NONE = new StreamFollower() {
        @Override public void follow(Tables.Table table, CachingDynamoDb cache) {}
        @Override public void close() {}
    };
}

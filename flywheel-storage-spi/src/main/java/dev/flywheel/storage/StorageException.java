package dev.flywheel.storage;

/**
 * A failure of the storage backend, translated at the SPI so that the engine never sees a backend's
 * own exception types. The engine answers these as DynamoDB's InternalServerError (or, for
 * {@link Unavailable}, as a retryable error).
 */
public sealed class StorageException extends RuntimeException {
    public StorageException(String message, Throwable cause) { super(message, cause); }

    /** The backend cannot serve now (closed, too busy, a quorum unreachable); retrying may succeed. */
    public static final class Unavailable extends StorageException {
        public Unavailable(String message, Throwable cause) { super(message, cause); }
    }

    /** The stored data is not what it should be (corruption, an unreadable format). */
    public static final class Corrupted extends StorageException {
        public Corrupted(String message, Throwable cause) { super(message, cause); }
    }
}

package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.StorageException;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

/** Turns RocksDB's exceptions into the SPI's, at the edge, so that the engine never sees RocksDB types. */
final class RocksDbExceptions {
    private RocksDbExceptions() {}

    static StorageException translate(String operation, RocksDBException e) {
        String message = "RocksDB " + operation + " failed: " + e.getMessage();
        Status status = e.getStatus();
        Status.Code code = status == null ? Status.Code.Undefined : status.getCode();
        return switch (code) {
            case Corruption -> new StorageException.Corrupted(message, e);
            // Transient by nature: retrying later may succeed.
            case Busy, TimedOut, TryAgain, Aborted, ShutdownInProgress, Incomplete -> new StorageException.Unavailable(message, e);
            // A full disk clears once space is freed; other I/O errors may be a failing disk.
            case IOError -> status.getSubCode() == Status.SubCode.NoSpace
                    ? new StorageException.Unavailable(message, e)
                    : new StorageException(message, e);
            default -> new StorageException(message, e);
        };
    }

    /**
     * As {@link #translate}, but a held LOCK file (another process, or another storage in this one, has
     * the data directory open) gets a message that says so.
     */
    static StorageException translateOpen(String where, RocksDBException e) {
        Status status = e.getStatus();
        String detail = e.getMessage() == null ? "" : e.getMessage();
        if (status != null && status.getCode() == Status.Code.IOError && detail.contains("LOCK")) {
            return new StorageException.Unavailable(where + " is in use by another process (RocksDB's LOCK file is held: "
                    + detail + "); stop that process or use another data directory", e);
        }
        return translate("open of " + where, e);
    }
}

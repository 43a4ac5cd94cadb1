package dev.flywheel.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.StorageException;
import org.junit.jupiter.api.Test;
import org.rocksdb.RocksDBException;
import org.rocksdb.Status;

class RocksDbExceptionsTest {

    @Test
    void corruptionIsCorrupted() {
        assertThat(translate(Status.Code.Corruption, Status.SubCode.None)).isInstanceOf(StorageException.Corrupted.class);
    }

    @Test
    void transientFailuresAreUnavailable() {
        for (Status.Code code : new Status.Code[] {Status.Code.Busy, Status.Code.TimedOut, Status.Code.TryAgain,
                Status.Code.Aborted, Status.Code.ShutdownInProgress, Status.Code.Incomplete}) {
            assertThat(translate(code, Status.SubCode.None)).as("%s", code).isInstanceOf(StorageException.Unavailable.class);
        }
        assertThat(translate(Status.Code.IOError, Status.SubCode.NoSpace)).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    void otherFailuresAreStorageExceptions() {
        StorageException e = translate(Status.Code.IOError, Status.SubCode.None);
        assertThat(e.getClass()).isEqualTo(StorageException.class);
        assertThat(e).hasMessageContaining("RocksDB get failed").hasCauseInstanceOf(RocksDBException.class);
        assertThat(RocksDbExceptions.translate("get", new RocksDBException("no status")).getClass()).isEqualTo(StorageException.class);
    }

    private static StorageException translate(Status.Code code, Status.SubCode subCode) {
        return RocksDbExceptions.translate("get", new RocksDBException("boom", new Status(code, subCode, "state")));
    }
}

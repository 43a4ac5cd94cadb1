package dev.flywheel.storage.rocksdb;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Commits a write batch. Directly, when a commit returns as soon as RocksDB has it in its log; on
 * platform threads when each commit waits for an fsync ({@code --sync-writes}).
 *
 * <p>Why: RocksDB's group commit makes one fsync serve every writer waiting at that moment, but a
 * RocksDB call is native code, and a virtual thread in native code pins its carrier; the server has as
 * many carriers as cores, so at most that many writers could wait together, and every other request
 * waited behind them (p99 of 1.5 s and client timeouts in BENCHMARKS.md). Handing the call to a
 * platform thread lets the calling virtual thread park instead: up to {@value #SYNC_THREADS} writers
 * share an fsync.
 */
abstract sealed class Committer permits Committer.Direct, Committer.OnPlatformThreads {
    static final int SYNC_THREADS = 64;

    abstract void commit(RocksDB db, WriteOptions options, WriteBatch batch) throws RocksDBException;

    /** Stops the platform threads, if any, once their commits are done. */
    abstract void close();

    static Committer forSyncWrites(boolean sync) {
        return sync ? new OnPlatformThreads() : new Direct();
    }

    static final class Direct extends Committer {
        @Override
        void commit(RocksDB db, WriteOptions options, WriteBatch batch) throws RocksDBException {
            db.write(options, batch);
        }

        @Override
        void close() { }
    }

    static final class OnPlatformThreads extends Committer {
        private final ExecutorService threads = Executors.newFixedThreadPool(SYNC_THREADS,
                Thread.ofPlatform().daemon().name("flywheel-sync-commit-", 0).factory());

        @Override
        void commit(RocksDB db, WriteOptions options, WriteBatch batch) throws RocksDBException {
            Future<?> done = threads.submit(() -> {
                db.write(options, batch);
                return null;
            });
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        done.get();
                        return;
                    } catch (InterruptedException e) {
                        // The batch may already be on its way to disk: wait for the outcome, then re-interrupt.
                        interrupted = true;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof RocksDBException r) throw r;
                        if (e.getCause() instanceof RuntimeException r) throw r;
                        throw new IllegalStateException(e.getCause());
                    }
                }
            } finally {
                if (interrupted) Thread.currentThread().interrupt();
            }
        }

        @Override
        void close() {
            threads.close(); // waits for commits in flight
        }
    }
}

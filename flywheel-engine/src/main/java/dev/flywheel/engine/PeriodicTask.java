package dev.flywheel.engine;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on its own daemon thread, then again each {@code period} after it ends, until closed: the
 * engine's housekeeping (stream retention, time to live). A failed run is logged and retried at the next
 * period; {@link #close} stops the thread (interrupting its wait) before storage is closed.
 */
public final class PeriodicTask implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PeriodicTask.class);

    private final String name;
    private final Runnable task;
    private final Duration period;
    private final Thread thread;
    private volatile boolean closed;

    public PeriodicTask(String name, Duration period, Runnable task) {
        this.name = name;
        this.task = task;
        this.period = period;
        this.thread = Thread.ofPlatform().name("flywheel-" + name).daemon().unstarted(this::run);
    }

    public void start() {
        thread.start();
    }

    /** True once {@link #close} was called: long runs check it to stop early. */
    public boolean isClosed() {
        return closed;
    }

    private void run() {
        while (!closed) {
            try {
                task.run();
            } catch (RuntimeException e) {
                if (closed) return;
                log.error("{} failed; retrying in {}", name, period, e);
            }
            try {
                Thread.sleep(period);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        if (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

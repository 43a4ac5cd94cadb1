package dev.flywheel.server;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;

/** An executor that runs nothing until the test says so, to make the order of work observable. */
final class QueueingExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    int queued() {
        return tasks.size();
    }

    /** Runs the oldest task; it may submit the next one. */
    void runNext() {
        tasks.remove().run();
    }
}

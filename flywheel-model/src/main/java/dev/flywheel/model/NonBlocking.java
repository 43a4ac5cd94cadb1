package dev.flywheel.model;

import java.util.function.Supplier;

/**
 * Lets a thread that must not block (the server's event loop) run an API call that needs only what is
 * in memory: inside {@link #attempt}, whatever would wait (a read from disk, a network round trip)
 * throws {@link WouldBlock} instead, and the caller runs the call again where blocking is fine (a
 * virtual thread). So a GetItem of a cached item skips two thread hand-offs, and one that needs the
 * disk, or the network, still never stalls the event loop. Implementations of {@link DynamoDbApi}
 * that a server may call so check {@link #attempting()} before anything that waits.
 */
public final class NonBlocking {
    private static final ThreadLocal<Boolean> ATTEMPTING = new ThreadLocal<>();

    private NonBlocking() {}

    /** Thrown inside {@link #attempt} by a read that would have to wait: run the call again elsewhere. */
    public static final class WouldBlock extends RuntimeException {
        public static final WouldBlock INSTANCE = new WouldBlock();

        private WouldBlock() {
            super("the call would block", null, false, false); // a signal, not an error: no stack trace
        }
    }

    /**
     * Runs {@code call} with reads restricted to memory.
     *
     * @throws WouldBlock if it needed a read that would wait
     */
    public static <T> T attempt(Supplier<T> call) {
        ATTEMPTING.set(Boolean.TRUE);
        try {
            return call.get();
        } finally {
            ATTEMPTING.remove();
        }
    }

    /** Whether the current call runs inside {@link #attempt}: reads must not wait. */
    public static boolean attempting() {
        return ATTEMPTING.get() != null;
    }
}

package dev.flywheel.protocol.json;

import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * A growable byte buffer reused from one response to the next, so that encoding allocates only the
 * returned array. Buffers are shared through a small pool, not kept per thread: the server encodes on
 * virtual threads, a new one per request, which a per-thread buffer would never see again (a fresh 4 KB
 * buffer per response, measured in BENCHMARKS.md). A buffer that grew past {@link #RETAINED_CAPACITY}
 * (a large Scan page) is dropped after use rather than pooled.
 */
final class ReusableBuffer extends OutputStream {
    private static final int INITIAL_CAPACITY = 4096;
    private static final int RETAINED_CAPACITY = 1 << 20;
    /** As many as responses are encoded at once, give or take; more are created, and dropped when the pool is full. */
    private static final ArrayBlockingQueue<ReusableBuffer> POOL = new ArrayBlockingQueue<>(64);

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int size;

    /** An empty buffer of the pool, or a new one when the pool has none free. */
    static ReusableBuffer acquire() {
        ReusableBuffer buffer = POOL.poll();
        if (buffer == null) buffer = new ReusableBuffer();
        buffer.size = 0;
        return buffer;
    }

    /** Gives the buffer back for another response; it must not be used after. */
    void release() {
        if (bytes.length <= RETAINED_CAPACITY) POOL.offer(this);
    }

    @Override
    public void write(int b) {
        ensureCapacity(size + 1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureCapacity(size + len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    private void ensureCapacity(int capacity) {
        if (capacity > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(capacity, bytes.length * 2));
        }
    }
}

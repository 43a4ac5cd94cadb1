package dev.flywheel.protocol.json;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable byte buffer that each thread reuses from one response to the next, so that encoding
 * allocates only the returned array. A buffer that grew past {@link #RETAINED_CAPACITY} (a large
 * Scan page) is dropped after use rather than kept per thread. Virtual threads each get their own
 * (and so reuse little); the server encodes on a few platform threads.
 */
final class ReusableBuffer extends OutputStream {
    private static final int INITIAL_CAPACITY = 4096;
    private static final int RETAINED_CAPACITY = 1 << 20;
    private static final ThreadLocal<ReusableBuffer> PER_THREAD = ThreadLocal.withInitial(ReusableBuffer::new);

    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private int size;
    private boolean inUse;

    /** This thread's buffer, emptied; a fresh one if this thread's is in use already. */
    static ReusableBuffer acquire() {
        ReusableBuffer buffer = PER_THREAD.get();
        if (buffer.inUse) {
            buffer = new ReusableBuffer();
        }
        buffer.inUse = true;
        buffer.size = 0;
        return buffer;
    }

    /** Gives the buffer back for the next response on this thread. */
    void release() {
        inUse = false;
        if (bytes.length > RETAINED_CAPACITY) {
            bytes = new byte[INITIAL_CAPACITY];
        }
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

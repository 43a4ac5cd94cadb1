package dev.flywheel.storage.cassandra;

import java.nio.ByteBuffer;

/** Conversions between the SPI's byte arrays and the driver's blobs. */
final class Blobs {
    private Blobs() {}

    static ByteBuffer buf(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    /** Hashes are compared unsigned; flipping the sign bit makes Cassandra's signed bigint order agree. */
    static long ordered(long unsignedHash) {
        return unsignedHash ^ Long.MIN_VALUE;
    }
}

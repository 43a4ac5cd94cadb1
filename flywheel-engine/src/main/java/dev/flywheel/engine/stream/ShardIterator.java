package dev.flywheel.engine.stream;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.CRC32;

/**
 * A position in a shard, as the opaque ShardIterator string clients pass back to GetRecords: the stream,
 * the shard, the last sequence already read, and when the iterator was issued (DynamoDB's iterators
 * expire after 15 minutes). A checksum tells a damaged or invented iterator from a real one.
 *
 * <p>The string is {@code <stream ARN>|1|<base64>}, the form DynamoDB's iterators have, so that access
 * policies can name the stream a GetRecords reads without decoding the rest.
 */
record ShardIterator(long logId, int shardIndex, long afterSequence, long issuedMillis) {
    private static final int FORMAT_V1 = 1;
    private static final int LENGTH = 1 + 8 + 4 + 8 + 8;

    private static final String SEPARATOR = "|1|";

    String encode(String streamArn) {
        return streamArn + SEPARATOR + encodePosition();
    }

    private String encodePosition() {
        ByteBuffer out = ByteBuffer.allocate(LENGTH + 4);
        out.put((byte) FORMAT_V1).putLong(logId).putInt(shardIndex).putLong(afterSequence).putLong(issuedMillis);
        out.putInt(checksum(out.array()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
    }

    /** The iterator {@code text} encodes, or null when it is not one Flywheel issued. */
    static ShardIterator decode(String text) {
        int separator = text.lastIndexOf(SEPARATOR);
        if (separator < 0) return null;
        byte[] bytes;
        try {
            bytes = Base64.getUrlDecoder().decode(text.substring(separator + SEPARATOR.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (bytes.length != LENGTH + 4 || bytes[0] != FORMAT_V1) return null;
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(LENGTH) != checksum(bytes)) return null;
        in.get();
        return new ShardIterator(in.getLong(), in.getInt(), in.getLong(), in.getLong());
    }

    ShardIterator after(long sequence, long nowMillis) {
        return new ShardIterator(logId, shardIndex, sequence, nowMillis);
    }

    private static int checksum(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, LENGTH);
        return (int) crc.getValue();
    }
}

package dev.flywheel.engine.stream;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A record of a stream's log ({@code stream/<log id>}): one change of one item, as DynamoDB Streams
 * reports it. It keeps only what the stream's view type shows, so a KEYS_ONLY stream stores no images.
 * The maps are in the item's stored form ({@link dev.flywheel.engine.item.ItemCodec}).
 *
 * <p>Persisted format (never change it; a new format gets a new first byte):
 * <pre>
 *   format (1 byte, 1) | flags (1 byte: 1 item existed before, 2 item exists after, 4 deleted by time
 *   to live) | created (8 bytes, epoch milliseconds) | keys length (4 bytes) | keys
 *   | old image length (4 bytes, -1 when absent) | old image | new image (the rest; absent when empty)
 * </pre>
 *
 * @param created when the write was applied: the record's ApproximateCreationDateTime
 * @param keys the item's key attributes
 * @param oldImage the item before, when the view type shows it and there was one; else null
 * @param newImage the item after, when the view type shows it and there is one; else null
 */
record StreamChange(boolean existedBefore, boolean existsAfter, boolean byTimeToLive, long created, byte[] keys,
                    byte[] oldImage, byte[] newImage) {
    private static final int FORMAT_V1 = 1;
    private static final int EXISTED = 1, EXISTS = 2, TIME_TO_LIVE = 4;

    /** DynamoDB's eventName: INSERT, MODIFY or REMOVE. */
    String eventName() {
        if (!existedBefore) return "INSERT";
        return existsAfter ? "MODIFY" : "REMOVE";
    }

    byte[] encode() {
        int flags = (existedBefore ? EXISTED : 0) | (existsAfter ? EXISTS : 0) | (byTimeToLive ? TIME_TO_LIVE : 0);
        int size = 2 + 8 + 4 + keys.length + 4 + (oldImage == null ? 0 : oldImage.length)
                + (newImage == null ? 0 : newImage.length);
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) FORMAT_V1).put((byte) flags).putLong(created);
        out.putInt(keys.length).put(keys);
        if (oldImage == null) out.putInt(-1);
        else out.putInt(oldImage.length).put(oldImage);
        if (newImage != null) out.put(newImage);
        return out.array();
    }

    static StreamChange decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int format = in.get();
        if (format != FORMAT_V1) throw new IllegalStateException("unknown stream record format " + format);
        int flags = in.get();
        long created = in.getLong();
        byte[] keys = new byte[in.getInt()];
        in.get(keys);
        int oldLength = in.getInt();
        byte[] oldImage = null;
        if (oldLength >= 0) {
            oldImage = new byte[oldLength];
            in.get(oldImage);
        }
        byte[] newImage = in.hasRemaining() ? Arrays.copyOfRange(bytes, in.position(), bytes.length) : null;
        return new StreamChange((flags & EXISTED) != 0, (flags & EXISTS) != 0, (flags & TIME_TO_LIVE) != 0, created,
                keys, oldImage, newImage);
    }
}

package dev.flywheel.engine.transaction;

import dev.flywheel.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The durable record of a transaction in flight ({@link TransactionCoordinator} keeps it): its state,
 * who runs it, since when, and its items.
 * Written PREPARING before the first item is locked, so that recovery can release every lock it may
 * have taken; rewritten COMMITTED, with every item's new image, at the commit point, so that recovery
 * can finish the writes; deleted once every lock is gone.
 *
 * <p>Format 2 (never reordered): int format 2, byte state, owner (int length, bytes), long start (epoch
 * millis), UTF ClientRequestToken ("" for none), request digest (int length, bytes; empty for none),
 * int count, then per item: long table storage id, UTF table name, partition key and sort key (int
 * length, bytes), byte effect, and for {@link Effect#PUT} the new image (int length, bytes;
 * {@code ItemCodec}'s form). Format 1 (before ClientRequestTokens were durable) lacks owner, start,
 * token and digest: its owner is the record's key, its start the epoch, so recovery takes it as
 * abandoned.
 *
 * @param owner the id its locks hold ({@link TransactionKeys}): unique to this run of the transaction
 * @param startMillis when it started (epoch millis, its coordinator's clock): a record older than the
 *     lease is abandoned and anyone may finish it
 * @param token the request's ClientRequestToken, or null
 * @param digest {@link RequestDigest} of the request, when it has a token; else null
 */
record TransactionRecord(State state, byte[] owner, long startMillis, String token, byte[] digest, List<Entry> entries) {
    private static final int FORMAT = 2, FORMAT_WITHOUT_OWNER = 1;

    enum State {
        PREPARING(1), COMMITTED(2);

        final int tag;

        State(int tag) { this.tag = tag; }

        static State of(int tag) {
            for (State s : values()) if (s.tag == tag) return s;
            throw new StorageException.Corrupted("unknown transaction state " + tag, null);
        }
    }

    /** What the commit does to an item: leave it as it is (ConditionCheck), delete it, or put an image. */
    enum Effect {
        KEEP(0), DELETE(1), PUT(2);

        final int tag;

        Effect(int tag) { this.tag = tag; }

        static Effect of(int tag) {
            for (Effect e : values()) if (e.tag == tag) return e;
            throw new StorageException.Corrupted("unknown transaction effect " + tag, null);
        }
    }

    /** One item of the transaction; {@code image} is set only for {@link Effect#PUT}. */
    record Entry(long tableId, String tableName, byte[] partitionKey, byte[] sortKey, Effect effect, byte[] image) {}

    TransactionRecord {
        entries = List.copyOf(entries);
    }

    /** This record in {@code newState} with {@code newEntries}, same owner, start and request. */
    TransactionRecord with(State newState, List<Entry> newEntries) {
        return new TransactionRecord(newState, owner, startMillis, token, digest, newEntries);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeByte(state.tag);
            writeBytes(out, owner);
            out.writeLong(startMillis);
            out.writeUTF(token == null ? "" : token);
            writeBytes(out, digest == null ? new byte[0] : digest);
            out.writeInt(entries.size());
            for (Entry e : entries) {
                out.writeLong(e.tableId());
                out.writeUTF(e.tableName());
                writeBytes(out, e.partitionKey());
                writeBytes(out, e.sortKey());
                out.writeByte(e.effect().tag);
                if (e.effect() == Effect.PUT) writeBytes(out, e.image());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** The record stored under {@code key} ({@link TransactionKeys}). */
    static TransactionRecord decode(byte[] key, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT && format != FORMAT_WITHOUT_OWNER) {
                throw new StorageException.Corrupted("unknown transaction record format " + format, null);
            }
            State state = State.of(in.readByte());
            byte[] owner = key;
            long startMillis = 0;
            String token = null;
            byte[] digest = null;
            if (format == FORMAT) {
                owner = readBytes(in);
                startMillis = in.readLong();
                token = in.readUTF();
                digest = readBytes(in);
                if (token.isEmpty()) {
                    token = null;
                    digest = null;
                }
            }
            int count = in.readInt();
            List<Entry> entries = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long tableId = in.readLong();
                String tableName = in.readUTF();
                byte[] pk = readBytes(in);
                byte[] sk = readBytes(in);
                Effect effect = Effect.of(in.readByte());
                entries.add(new Entry(tableId, tableName, pk, sk, effect, effect == Effect.PUT ? readBytes(in) : null));
            }
            return new TransactionRecord(state, owner, startMillis, token, digest, entries);
        } catch (IOException e) {
            throw new StorageException.Corrupted("unreadable transaction record", e);
        }
    }

    private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
        out.writeInt(b.length);
        out.write(b);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return b;
    }
}

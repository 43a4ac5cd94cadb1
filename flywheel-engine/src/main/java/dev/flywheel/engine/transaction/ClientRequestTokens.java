package dev.flywheel.engine.transaction;

import dev.flywheel.storage.Expected;
import dev.flywheel.storage.PartitionWrite;
import dev.flywheel.storage.Page;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.RowWrite;
import dev.flywheel.storage.Storage;
import dev.flywheel.storage.StorageException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TransactWriteItems' ClientRequestToken (API Reference): a request repeating the token of one that
 * completed less than 10 minutes ago is answered without running again; with another request it is
 * refused (IdempotentParameterMismatchException); while the first is still running, a repeat is refused
 * with TransactionInProgressException ({@link TransactionCoordinator} tells, from the record the
 * token keys). A request that failed leaves no trace: its retry runs.
 *
 * <p>This class keeps the tokens of transactions that completed in the last ten minutes, in storage,
 * so that a retry is answered without running again after a restart, or by another server sharing
 * the storage.
 *
 * <p>Rows of the storage table {@value #TABLE}, an id no table is ever given (tables count up from 1),
 * keyed by the token. Each holds the request's {@link RequestDigest}, when it completed, and the read
 * capacity a retry reports ("subsequent calls with the same client token return the number of read
 * capacity units consumed in reading the item"). An expired row is ignored, replaced by the token's
 * next use, and deleted by {@link #sweep}.
 */
final class ClientRequestTokens {
    static final long TABLE = 1L << 62;
    static final Duration WINDOW = Duration.ofMinutes(10);
    // The API Reference's description of the error; DynamoDB's exact message is not documented (guess).
    static final String MISMATCH = "DynamoDB rejected the request because you retried a request with a different"
            + " payload but with an idempotent token that was already used.";
    // As seen from DynamoDB in aws-sdk-java-v2#2518.
    static final String IN_PROGRESS = "Transaction from previous request is still in progress";
    private static final byte[] NO_SORT_KEY = new byte[0];
    private static final int FORMAT = 1;

    private final Storage storage;
    private final Clock clock;

    ClientRequestTokens(Storage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    /** A completed use of a token: its request's digest, when, and the read units a retry reports, by table. */
    record Completed(byte[] digest, long completedMillis, Map<String, Double> readUnits) {}

    /** The token's completed use, or null if none completed in the last ten minutes. */
    Completed find(String token) {
        byte[] stored = storage.get(TABLE, key(token), NO_SORT_KEY);
        if (stored == null) return null;
        Completed completed = decode(stored);
        return expired(completed) ? null : completed;
    }

    /** Records that the transaction with {@code token} and {@code digest} completed now. */
    void complete(String token, byte[] digest, Map<String, Double> readUnits) {
        byte[] row = encode(new Completed(digest, clock.millis(), readUnits));
        storage.write(PartitionWrite.of(TABLE, key(token), RowWrite.put(NO_SORT_KEY, row, Expected.ANY)));
    }

    /**
     * Deletes the rows of tokens that expired (each only if unchanged since read: a token may be used
     * again meanwhile).
     *
     * @return how many
     */
    int sweep() {
        int deleted = 0;
        RowKey after = null;
        while (true) {
            Page page = storage.scan(TABLE, 0, 1, after, ReadLimits.rows(1000));
            for (Row row : page.rows()) {
                if (expired(decode(row.value()))) {
                    storage.write(PartitionWrite.of(TABLE, row.partitionKey(),
                            RowWrite.delete(NO_SORT_KEY, Expected.value(row.value()))));
                    deleted++;
                }
            }
            if (page.rows().isEmpty() || !page.mayHaveMore()) break;
            after = page.rows().getLast().key();
        }
        return deleted;
    }

    private boolean expired(Completed completed) {
        return clock.millis() - completed.completedMillis() >= WINDOW.toMillis();
    }

    private static byte[] key(String token) {
        return token.getBytes(StandardCharsets.UTF_8);
    }

    /** Format (never reordered): int format 1, digest (int length, bytes), long completed millis, int count, then UTF table and double units each. */
    private static byte[] encode(Completed completed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            out.writeInt(completed.digest().length);
            out.write(completed.digest());
            out.writeLong(completed.completedMillis());
            out.writeInt(completed.readUnits().size());
            for (Map.Entry<String, Double> e : completed.readUnits().entrySet()) {
                out.writeUTF(e.getKey());
                out.writeDouble(e.getValue());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private static Completed decode(byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readInt();
            if (format != FORMAT) throw new StorageException.Corrupted("unknown completed token format " + format, null);
            byte[] digest = new byte[in.readInt()];
            in.readFully(digest);
            long completedMillis = in.readLong();
            int count = in.readInt();
            Map<String, Double> units = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) units.put(in.readUTF(), in.readDouble());
            return new Completed(digest, completedMillis, units);
        } catch (IOException e) {
            throw new StorageException.Corrupted("unreadable completed token", e);
        }
    }
}

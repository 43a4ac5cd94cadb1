package dev.flywheel.engine.transaction;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * How a transaction's record is keyed, and the owner id its locks hold.
 *
 * <p>A transaction without a ClientRequestToken is keyed by a fresh UUID, which is also its owner. One
 * with a token is keyed by the token ({@code t:<token>}), so that a second request with the same token
 * cannot start while the first is in flight: both claim the same key, and one finds it taken. Its
 * owner adds a fresh UUID ({@code t:<token>#<uuid>}), because after ten minutes the token may run
 * again: a lock left over from an earlier run must not pass for one of the later run's.
 *
 * <p>Whoever meets a lock can find the record from the owner alone ({@link #recordKeyOf}): the
 * record, or its absence, says whether the lock is still wanted.
 */
final class TransactionKeys {
    private static final String TOKEN_PREFIX = "t:";

    private TransactionKeys() {}

    /** The key of a transaction's record: its token's, or (null token) a fresh one. */
    static byte[] recordKey(String token) {
        String key = token == null ? UUID.randomUUID().toString() : TOKEN_PREFIX + token;
        return key.getBytes(StandardCharsets.UTF_8);
    }

    /** A fresh owner id for one run of the transaction recorded under {@code recordKey}. */
    static byte[] newOwner(byte[] recordKey) {
        String key = new String(recordKey, StandardCharsets.UTF_8);
        String owner = key.startsWith(TOKEN_PREFIX) ? key + "#" + UUID.randomUUID() : key;
        return owner.getBytes(StandardCharsets.UTF_8);
    }

    /** The key of the record of the transaction that {@code owner} ran (a lock's holder). */
    static byte[] recordKeyOf(byte[] owner) {
        String id = new String(owner, StandardCharsets.UTF_8);
        // A token may itself hold '#'; the UUID after the last one never does.
        return id.startsWith(TOKEN_PREFIX) ? id.substring(0, id.lastIndexOf('#')).getBytes(StandardCharsets.UTF_8) : owner;
    }
}

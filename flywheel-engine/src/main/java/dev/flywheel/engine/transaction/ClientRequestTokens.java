package dev.flywheel.engine.transaction;

import dev.flywheel.model.DynamoDbException.IdempotentParameterMismatchException;
import dev.flywheel.model.DynamoDbException.TransactionInProgressException;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsOutput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * TransactWriteItems' ClientRequestToken (API Reference): a request repeating the token of one that
 * succeeded less than 10 minutes ago is answered without running again; with other TransactItems it is
 * refused (IdempotentParameterMismatchException); while the first is still running, a repeat is refused
 * with TransactionInProgressException. A request that failed leaves no trace: its retry runs.
 *
 * <p>Kept in memory: a restart forgets the tokens (DynamoDB keeps them durably; a known gap).
 * Thread-safe.
 */
final class ClientRequestTokens {
    static final Duration WINDOW = Duration.ofMinutes(10);
    // The API Reference's description of the error; DynamoDB's exact message is not documented (guess).
    static final String MISMATCH = "DynamoDB rejected the request because you retried a request with a different"
            + " payload but with an idempotent token that was already used.";
    // As seen from DynamoDB in aws-sdk-java-v2#2518.
    static final String IN_PROGRESS = "Transaction from previous request is still in progress";

    private final Clock clock;
    private final Map<String, Use> uses = new ConcurrentHashMap<>();

    /** One use of a token: its request, and once it succeeded, its answer and when the token expires. */
    private record Use(List<TransactWriteItem> items, TransactWriteItemsOutput output, Instant expires) {
        boolean done() { return output != null; }
    }

    ClientRequestTokens(Clock clock) {
        this.clock = clock;
    }

    /**
     * Claims {@code token} for a request of {@code items}.
     *
     * @return the answer of the earlier request that succeeded with this token and these items (answer it
     *     again, without running), or null when this request is to run (then call {@link #succeeded} or
     *     {@link #failed})
     * @throws IdempotentParameterMismatchException if the token was used for other items
     * @throws TransactionInProgressException if the earlier request with this token is still running
     */
    TransactWriteItemsOutput claim(String token, List<TransactWriteItem> items) {
        Instant now = clock.instant();
        if (uses.size() > 10_000) uses.values().removeIf(use -> use.done() && !use.expires().isAfter(now));
        Use mine = new Use(items, null, null);
        while (true) {
            Use earlier = uses.putIfAbsent(token, mine);
            if (earlier == null) return null;
            if (earlier.done() && !earlier.expires().isAfter(now)) {
                if (uses.replace(token, earlier, mine)) return null;
                continue;
            }
            if (!earlier.items().equals(items)) throw new IdempotentParameterMismatchException(MISMATCH);
            if (!earlier.done()) throw new TransactionInProgressException(IN_PROGRESS);
            return earlier.output();
        }
    }

    void succeeded(String token, List<TransactWriteItem> items, TransactWriteItemsOutput output) {
        uses.put(token, new Use(items, output, clock.instant().plus(WINDOW)));
    }

    void failed(String token) {
        uses.remove(token);
    }
}

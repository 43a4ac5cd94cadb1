package dev.flywheel.storage;

import java.util.List;

/**
 * Rows read, and why the read stopped: it says whether more rows may follow. A limit reached exactly on
 * the last row of the range still reports that limit (the engine then returns a LastEvaluatedKey and
 * the next page is empty, as DynamoDB does); when both limits are reached on the same row, the row
 * limit is reported.
 */
public record Page(List<Row> rows, StopReason stopReason) {
    public enum StopReason {
        /** No more rows in the range or segment. */
        EXHAUSTED,
        /** {@link ReadLimits#maxRows()} reached; more rows may follow. */
        ROW_LIMIT,
        /** {@link ReadLimits#maxBytes()} reached; more rows may follow. */
        BYTE_LIMIT
    }

    public boolean mayHaveMore() { return stopReason != StopReason.EXHAUSTED; }
}

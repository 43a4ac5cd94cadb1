package dev.flywheel.storage;

import java.util.List;

/** Rows read, and why the read stopped: it says whether more rows may follow. */
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

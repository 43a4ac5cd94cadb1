package dev.flywheel.engine.table;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How far each running first copy of a global table to a new replica has come: what DescribeTable
 * shows as that replica's ReplicaStatusPercentProgress while it is CREATING. Kept in memory only: a
 * copy interrupted by a restart starts again from the beginning, and so does its progress.
 * Thread-safe.
 */
public final class ReplicaCopyProgress {
    /**
     * @param copied items sent and acknowledged so far
     * @param estimate the source table's item count when the copy started (an estimate: writes go on)
     */
    public record Progress(long copied, long estimate) {
        /**
         * As a whole percentage, never 100 while the copy runs (the estimate may be short, and the
         * deletions are sent after the items): the replica turns ACTIVE when it is done instead.
         */
        public int percent() {
            if (estimate <= 0) return copied == 0 ? 0 : 99;
            return (int) Math.min(99, copied * 100 / estimate);
        }
    }

    private final Map<String, Progress> copies = new ConcurrentHashMap<>();

    public void report(long tableId, String region, long copied, long estimate) {
        copies.put(key(tableId, region), new Progress(copied, estimate));
    }

    /** The copy to {@code region} ended (done, or stopped). */
    public void clear(long tableId, String region) {
        copies.remove(key(tableId, region));
    }

    /** The running copy of table {@code tableId} to {@code region}, or null when none runs. */
    public Progress of(long tableId, String region) {
        return copies.get(key(tableId, region));
    }

    private static String key(long tableId, String region) {
        return tableId + "/" + region;
    }
}

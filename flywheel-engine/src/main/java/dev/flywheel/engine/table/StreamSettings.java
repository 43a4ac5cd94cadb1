package dev.flywheel.engine.table;

/**
 * A table's latest DynamoDB stream: what DescribeTable reports as StreamSpecification, LatestStreamArn
 * and LatestStreamLabel, and what writes consult to derive stream records.
 *
 * <p>Enabling a stream creates a new one (new label, new log); disabling keeps the latest stream's
 * label, so DescribeTable still names it, and its records stay readable until they expire.
 *
 * @param logId identifies the stream and names its log ({@code stream/<logId>}); allocated like a
 *     storage id, so never reused
 * @param label DynamoDB's StreamLabel: the creation time, ISO-8601 with milliseconds
 * @param viewType KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES
 * @param enabled whether writes append records to it now
 */
public record StreamSettings(long logId, String label, String viewType, boolean enabled) {
    public static final String KEYS_ONLY = "KEYS_ONLY", NEW_IMAGE = "NEW_IMAGE", OLD_IMAGE = "OLD_IMAGE",
            NEW_AND_OLD_IMAGES = "NEW_AND_OLD_IMAGES";

    public boolean keepsNewImage() {
        return viewType.equals(NEW_IMAGE) || viewType.equals(NEW_AND_OLD_IMAGES);
    }

    public boolean keepsOldImage() {
        return viewType.equals(OLD_IMAGE) || viewType.equals(NEW_AND_OLD_IMAGES);
    }

    public StreamSettings disabled() {
        return new StreamSettings(logId, label, viewType, false);
    }
}

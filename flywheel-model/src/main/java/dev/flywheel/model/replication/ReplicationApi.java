package dev.flywheel.model.replication;

/**
 * Flywheel's own API between the regions of a global table (DESIGN.md, replication): not DynamoDB's,
 * served under the {@code X-Amz-Target} prefix {@link #TARGET_PREFIX} and signed with SigV4 like any
 * call, so a peer is authenticated by the same credentials as any client.
 *
 * <p>Every operation is idempotent: a sender that does not know whether a call arrived sends it again.
 * Implementations are thread-safe and throw only {@link dev.flywheel.model.DynamoDbException}s.
 */
public interface ReplicationApi {
    /** The target prefix of the operations; the date is the version of this API. */
    String TARGET_PREFIX = "FlywheelReplication_20261124";

    /**
     * Makes this region's replica of a global table match {@code request}: creates the table when it is
     * a member and has none, records the members, and deletes the table when it is no longer a member.
     */
    Void putReplicaGroup(ReplicaGroupInput request);

    /** Applies changes made in another region, each only if it is newer than what this region holds. */
    Void applyChanges(ApplyChangesInput request);

    /**
     * Of the tombstones {@code request} lists (changes without an item, at their versions) that region
     * {@code request.sourceRegion()} wants to forget, those this region no longer needs it to keep: this
     * region holds that version of the item or a newer one, and has no change of the item still to send
     * to the source region (nor a first copy to it in progress). Answered as the listed subset.
     */
    ApplyChangesInput settledTombstones(ApplyChangesInput request);
}

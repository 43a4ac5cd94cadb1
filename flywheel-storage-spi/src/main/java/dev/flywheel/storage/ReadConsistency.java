package dev.flywheel.storage;

/**
 * How recent the writes a read must see are: DynamoDB's ConsistentRead. A backend keeping several
 * copies may answer an {@link #EVENTUAL} read from any one of them (Cassandra: ONE instead of QUORUM),
 * which is cheaper but may miss writes acknowledged shortly before; a backend with a single copy
 * (RocksDB) answers every read as {@link #STRONG}.
 */
public enum ReadConsistency {
    /** Sees every write acknowledged before the read started: the SPI's default, and what internal readers need. */
    STRONG,
    /** May miss recent writes: for reads that DynamoDB itself answers eventually consistently. */
    EVENTUAL
}

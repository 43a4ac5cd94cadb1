package dev.flywheel.storage.cassandra;

import java.nio.ByteBuffer;

/**
 * Where a stored partition key lives in the rows table: the Cassandra partition key, and the clustering
 * kinds of its item rows and outbox rows there.
 *
 * <p>The SPI allows partition keys from 0 to 65,535 bytes; Cassandra refuses an empty partition key and
 * one longer than 65,535 bytes, composite keys included (their framing costs bytes). So the key is the
 * partition key itself, and the empty key, which Cassandra cannot take, lives in the partition of the
 * one-byte key {@code 0x00} under kinds of its own (2 and 3 instead of 0 and 1): the two never meet.
 * Persisted: never change.
 */
record CqlPartition(ByteBuffer key, byte rowKind, byte outboxKind) {
    private static final byte[] EMPTY_KEY_HOME = {0};

    static CqlPartition of(byte[] partitionKey) {
        if (partitionKey.length == 0) return new CqlPartition(ByteBuffer.wrap(EMPTY_KEY_HOME), (byte) 2, (byte) 3);
        return new CqlPartition(ByteBuffer.wrap(partitionKey), (byte) 0, (byte) 1);
    }
}

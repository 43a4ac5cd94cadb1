package dev.flywheel.storage.rocksdb;

import dev.flywheel.storage.Row;
import dev.flywheel.storage.Storage;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Keys of the rows column family. Persisted: never change this format.
 *
 * <pre>
 *   table id (8 bytes) | PartitionHash.of(pk) (8) | pk length (2) | pk | sort key
 * </pre>
 *
 * Numbers are big-endian, so RocksDB's unsigned byte order is the order of the unsigned values, and
 * within a table it is the SPI's Scan order: hash, then partition-key length and bytes (only a hash
 * collision gets that far), then sort key. The length before the partition key makes each partition a
 * contiguous range that no other partition enters: without it ("a", "bc") and ("ab", "c") would
 * share a key. The fixed 16-byte head (table, hash) is the prefix of RocksDB's prefix bloom filter.
 */
final class RowKeys {
    /** Bytes before the partition key. */
    static final int HEADER = 18;
    /** The prefix the bloom filter indexes: table id and hash, one partition but for collisions. */
    static final int BLOOM_PREFIX = 16;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] EMPTY = {};

    private RowKeys() {}

    /** The key of row (pk, sk); {@code hash} is {@code PartitionHash.of(pk)}, which callers compute once. */
    static byte[] rowKey(long tableId, long hash, byte[] pk, byte[] sk) {
        return encode(tableId, hash, pk, sk, 0);
    }

    /** The smallest key greater than row (pk, sk)'s: its key with a 0x00 appended. */
    static byte[] justAfter(long tableId, long hash, byte[] pk, byte[] sk) {
        return encode(tableId, hash, pk, sk, 1);
    }

    /** The first key of a partition, a prefix of all its keys. */
    static byte[] partitionStart(long tableId, long hash, byte[] pk) {
        return encode(tableId, hash, pk, EMPTY, 0);
    }

    /** The first key of the partitions hashing to {@code hash} or above. */
    static byte[] hashStart(long tableId, long hash) {
        byte[] key = new byte[16];
        LONG.set(key, 0, tableId);
        LONG.set(key, 8, hash);
        return key;
    }

    /** The prefix of all of a table's keys. */
    static byte[] tableStart(long tableId) {
        byte[] key = new byte[8];
        LONG.set(key, 0, tableId);
        return key;
    }

    static Row toRow(byte[] key, byte[] value) {
        int pkLength = Short.toUnsignedInt((short) SHORT.get(key, 16));
        byte[] pk = Arrays.copyOfRange(key, HEADER, HEADER + pkLength);
        byte[] sk = Arrays.copyOfRange(key, HEADER + pkLength, key.length);
        return new Row(pk, sk, value);
    }

    /** {@link Row#size()} of the row stored under {@code key}, without decoding it. */
    static long rowSize(int keyLength, int valueLength) {
        return (long) keyLength - HEADER + valueLength;
    }

    /** @throws IllegalArgumentException if {@code pk} is too long for its 2-byte length */
    static void checkPartitionKey(byte[] pk) {
        if (pk.length > Storage.MAX_PARTITION_KEY_BYTES) {
            throw new IllegalArgumentException("partition key of " + pk.length + " bytes, more than "
                    + Storage.MAX_PARTITION_KEY_BYTES);
        }
    }

    private static byte[] encode(long tableId, long hash, byte[] pk, byte[] sk, int trailingZeros) {
        checkPartitionKey(pk);
        byte[] key = new byte[HEADER + pk.length + sk.length + trailingZeros];
        LONG.set(key, 0, tableId);
        LONG.set(key, 8, hash);
        SHORT.set(key, 16, (short) pk.length);
        System.arraycopy(pk, 0, key, HEADER, pk.length);
        System.arraycopy(sk, 0, key, HEADER + pk.length, sk.length);
        return key;
    }
}

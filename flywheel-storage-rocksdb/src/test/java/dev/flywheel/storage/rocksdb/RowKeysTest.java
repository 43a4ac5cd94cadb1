package dev.flywheel.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.storage.PartitionHash;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.RowKey;
import dev.flywheel.storage.TreeMapStorage;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class RowKeysTest {

    @Property
    void keyOrderIsScanOrder(@ForAll("keys") byte[] pk1, @ForAll("keys") byte[] sk1, @ForAll("keys") byte[] pk2, @ForAll("keys") byte[] sk2,
                             @ForAll long tableId) {
        byte[] k1 = RowKeys.rowKey(tableId, PartitionHash.of(pk1), pk1, sk1);
        byte[] k2 = RowKeys.rowKey(tableId, PartitionHash.of(pk2), pk2, sk2);
        int scanOrder = TreeMapStorage.SCAN_ORDER.compare(new RowKey(pk1, sk1), new RowKey(pk2, sk2));
        assertThat(Integer.signum(Arrays.compareUnsigned(k1, k2))).isEqualTo(Integer.signum(scanOrder));
    }

    @Property
    void tablesOrderAsUnsignedIds(@ForAll long table1, @ForAll long table2, @ForAll("keys") byte[] pk, @ForAll("keys") byte[] sk) {
        byte[] k1 = RowKeys.rowKey(table1, PartitionHash.of(pk), pk, sk);
        byte[] k2 = RowKeys.rowKey(table2, PartitionHash.of(pk), pk, sk);
        assertThat(Integer.signum(Arrays.compareUnsigned(k1, k2))).isEqualTo(Integer.signum(Long.compareUnsigned(table1, table2)));
    }

    @Property
    void justAfterIsTheNextKeyOfAll(@ForAll("keys") byte[] pk, @ForAll("keys") byte[] sk, @ForAll("keys") byte[] otherSk) {
        long hash = PartitionHash.of(pk);
        byte[] key = RowKeys.rowKey(1, hash, pk, sk);
        byte[] next = RowKeys.justAfter(1, hash, pk, sk);
        byte[] other = RowKeys.rowKey(1, hash, pk, otherSk);
        // No key lies strictly between a key and justAfter it.
        boolean greater = Arrays.compareUnsigned(other, key) > 0;
        assertThat(greater).isEqualTo(Arrays.compareUnsigned(other, next) >= 0);
    }

    @Property
    void rowsDecodeFromTheirKeys(@ForAll("keys") byte[] pk, @ForAll("keys") byte[] sk, @ForAll long tableId) {
        byte[] key = RowKeys.rowKey(tableId, PartitionHash.of(pk), pk, sk);
        Row row = RowKeys.toRow(key, new byte[] {42});
        assertThat(row.partitionKey()).isEqualTo(pk);
        assertThat(row.sortKey()).isEqualTo(sk);
        assertThat(RowKeys.rowSize(key.length, 1)).isEqualTo(row.size());
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.of((byte) 0x00, (byte) 0x01, (byte) 0x7F, (byte) 0x80, (byte) 0xFF).array(byte[].class).ofMaxSize(4);
    }
}

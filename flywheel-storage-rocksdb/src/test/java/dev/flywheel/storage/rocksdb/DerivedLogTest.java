package dev.flywheel.storage.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The readable watermark, which the contract's concurrent tests can only hope to hit. */
class DerivedLogTest {
    // The sequencing methods do not touch the database.
    private final DerivedLog log = new DerivedLog(null, "stream", 10, 0);

    @Test
    void sequencesContinueAfterTheLastOne() {
        assertThat(log.allocate()).isEqualTo(11);
        assertThat(log.allocate()).isEqualTo(12);
        assertThat(log.readableThrough()).isEqualTo(10);
    }

    @Test
    void readersSeeOnlyThroughTheFirstUnpublishedSequence() {
        long a = log.allocate(); // 11
        long b = log.allocate(); // 12
        long c = log.allocate(); // 13
        log.publish(c);
        assertThat(log.readableThrough()).isEqualTo(10);
        log.publish(b);
        assertThat(log.readableThrough()).isEqualTo(10);
        log.publish(a);
        assertThat(log.readableThrough()).isEqualTo(13);
        long d = log.allocate();
        log.publish(d);
        assertThat(log.readableThrough()).isEqualTo(14);
    }

    @Test
    void keysOrderByNameThenSequence() {
        byte[] prefix = DerivedLog.prefix("stream");
        byte[] entry = DerivedLog.entryKey(prefix, 42);
        assertThat(DerivedLog.prefixOf(entry)).isEqualTo(prefix);
        assertThat(DerivedLog.nameOf(prefix)).isEqualTo("stream");
        assertThat(DerivedLog.sequenceOf(entry)).isEqualTo(42);
        assertThat(DerivedLog.sequenceOf(prefix)).isZero(); // the trim mark
        assertThat(java.util.Arrays.compareUnsigned(entry, DerivedLog.entryKey(prefix, 256))).isNegative();
        assertThat(java.util.Arrays.compareUnsigned(prefix, entry)).isNegative();
    }
}

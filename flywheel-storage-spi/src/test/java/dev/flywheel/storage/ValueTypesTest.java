package dev.flywheel.storage;

import static dev.flywheel.storage.Bytes.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The small rules of the SPI's value types. */
class ValueTypesTest {

    @Test
    void expectedMatches() {
        assertThat(Expected.ANY.matches(null)).isTrue();
        assertThat(Expected.ANY.matches(bytes("x"))).isTrue();
        assertThat(Expected.ABSENT.matches(null)).isTrue();
        assertThat(Expected.ABSENT.matches(bytes(""))).isFalse();
        assertThat(Expected.value(bytes("x")).matches(bytes("x"))).isTrue();
        assertThat(Expected.value(bytes("x")).matches(bytes("y"))).isFalse();
        assertThat(Expected.value(bytes("x")).matches(null)).isFalse();
        assertThat(Expected.value(bytes("")).matches(bytes(""))).isTrue();
        assertThat(Expected.value(null)).isSameAs(Expected.ABSENT);
    }

    @Test
    void readLimitsNeedAtLeastOneRowAndOneByte() {
        assertThatThrownBy(() -> ReadLimits.rows(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReadLimits(1, 0, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ReadLimits.rows(1).maxBytes()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rowSizeCountsKeysAndValue() {
        assertThat(new Row(bytes("pk"), bytes("sk1"), bytes("value")).size()).isEqualTo(10);
        assertThat(new Row(bytes(""), bytes(""), bytes("")).size()).isZero();
    }

    @Test
    void aWriteCannotChangeOneRowTwice() {
        RowWrite first = RowWrite.put(bytes("s"), bytes("1"), Expected.ANY);
        RowWrite second = RowWrite.delete(bytes("s"), Expected.ANY);
        assertThatThrownBy(() -> new PartitionWrite(1, bytes("p"), List.of(first, second), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        RowWrite other = RowWrite.delete(bytes("t"), Expected.ANY);
        assertThat(new PartitionWrite(1, bytes("p"), List.of(first, other), List.of()).rows()).hasSize(2);
    }

    @Test
    void pageSaysWhetherMoreMayFollow() {
        assertThat(new Page(List.of(), Page.StopReason.EXHAUSTED).mayHaveMore()).isFalse();
        assertThat(new Page(List.of(), Page.StopReason.ROW_LIMIT).mayHaveMore()).isTrue();
        assertThat(new Page(List.of(), Page.StopReason.BYTE_LIMIT).mayHaveMore()).isTrue();
    }
}

package dev.flywheel.storage;

import static dev.flywheel.storage.Bytes.bytes;
import static dev.flywheel.storage.Bytes.show;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.storage.Page.StopReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The storage contract: every {@link Storage} backend passes this suite unchanged. A backend's test
 * extends it and says how to open a fresh, empty storage; each test gets its own.
 *
 * <p>Keys in these tests are written as strings whose chars are bytes ({@link Bytes}). Tests that
 * read a partition surround it with neighbours (other partitions, the same partition in the tables
 * before and after) so that a read crossing its bounds shows. After each test,
 * {@link #checkInvariants} compares the several ways of reading every table the test wrote (Scan,
 * segments, per-partition reads both ways, get, stats).
 */
public abstract class StorageContractTest {
    /** The table most tests use; {@code TABLE - 1} and {@code TABLE + 1} hold neighbours. */
    protected static final long TABLE = 7;

    /** A fresh, empty storage; the suite closes it. */
    protected abstract Storage newStorage();

    /**
     * The bytes a partition is placed by (hashed, scan-ordered, assigned to segments): the partition key
     * itself for a backend; a layer above one that stores partition keys transformed (encryption at
     * rest) is placed by what it stores.
     */
    protected byte[] placementKey(long table, byte[] partitionKey) {
        return partitionKey;
    }

    /**
     * Whether {@link Storage#stats} counts the bytes of the rows as they read back ({@link Row#size()}):
     * true for a backend; a layer that stores more than it returns (encryption) counts what it stores.
     */
    protected boolean statsCountRowBytes() {
        return true;
    }

    /** Scan order as {@link TreeMapStorage#SCAN_ORDER}, over placement keys. */
    private Comparator<RowKey> scanOrder(long table) {
        return Comparator.comparing((RowKey k) -> new RowKey(placementKey(table, k.partitionKey()), k.sortKey()),
                TreeMapStorage.SCAN_ORDER);
    }

    private void assertStats(long table, long rows, long bytes) {
        TableStats stats = storage.stats(table);
        assertThat(stats.rowCount()).as("row count of table %d", table).isEqualTo(rows);
        if (statsCountRowBytes()) assertThat(stats.bytes()).as("bytes of table %d", table).isEqualTo(bytes);
        else assertThat(stats.bytes()).as("bytes of table %d", table).isGreaterThanOrEqualTo(bytes);
    }

    protected Storage storage;
    private final Set<Long> tablesWritten = new ConcurrentSkipListSet<>();
    private boolean closedByTest;

    @BeforeEach
    void openStorage() {
        storage = newStorage();
    }

    @AfterEach
    void checkInvariantsAndClose() {
        try {
            if (!closedByTest) {
                for (long table : tablesWritten) checkInvariants(table);
            }
        } finally {
            storage.close();
        }
    }

    // ---------------------------------------------------------------- get, put, delete

    @Test
    void absentRowReadsAsNull() {
        assertThat(storage.get(TABLE, bytes("p"), bytes("s"))).isNull();
    }

    @Test
    void putThenGet() {
        assertThat(put(TABLE, "p", "s", "v1")).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v1");
    }

    @Test
    void putReplacesTheValue() {
        put(TABLE, "p", "s", "v1");
        put(TABLE, "p", "s", "v2");
        assertThat(get(TABLE, "p", "s")).isEqualTo("v2");
    }

    @Test
    void deleteRemovesTheRow() {
        put(TABLE, "p", "s", "v1");
        assertThat(delete(TABLE, "p", "s", Expected.ANY)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(TABLE, "p", "s")).isNull();
    }

    @Test
    void deletingAnAbsentRowApplies() {
        assertThat(delete(TABLE, "p", "s", Expected.ANY)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(TABLE, "p", "s")).isNull();
    }

    @Test
    void emptySortKeyAndEmptyValueAreRows() {
        put(TABLE, "p", "", "");
        assertThat(storage.get(TABLE, bytes("p"), new byte[0])).isEqualTo(new byte[0]);
        assertThat(rows(storage.read(TABLE, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("p/=");
    }

    @Test
    void rowsAreAddressedByTablePartitionKeyAndSortKey() {
        put(TABLE, "p", "s", "table");
        put(TABLE + 1, "p", "s", "next table");
        put(TABLE, "q", "s", "other partition");
        put(TABLE, "p", "t", "other sort key");
        assertThat(get(TABLE, "p", "s")).isEqualTo("table");
        assertThat(get(TABLE + 1, "p", "s")).isEqualTo("next table");
        assertThat(get(TABLE, "q", "s")).isEqualTo("other partition");
        assertThat(get(TABLE, "p", "t")).isEqualTo("other sort key");
    }

    @Test
    void aPartitionKeyThatPrefixesAnotherIsADifferentPartition() {
        // ("a", "bc") and ("ab", "c") must not meet, whatever the key encoding concatenates.
        put(TABLE, "a", "bc", "1");
        put(TABLE, "ab", "c", "2");
        put(TABLE, "", "abc", "3");
        assertThat(get(TABLE, "a", "bc")).isEqualTo("1");
        assertThat(get(TABLE, "ab", "c")).isEqualTo("2");
        assertThat(get(TABLE, "a", "b")).isNull();
        assertThat(rows(storage.read(TABLE, bytes("a"), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("a/bc=1");
        assertThat(rows(storage.read(TABLE, bytes("ab"), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("ab/c=2");
        assertThat(rows(storage.read(TABLE, bytes(""), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("/abc=3");
    }

    @Test
    void keysMayHoldAnyByte() {
        String[] keys = {"\u0000", "\u00FF", "\u0000\u00FF", "\u00FF\u0000", "\u007F", "\u0080"};
        for (String pk : keys) {
            for (String sk : keys) put(TABLE, pk, sk, pk + sk);
        }
        for (String pk : keys) {
            for (String sk : keys) assertThat(get(TABLE, pk, sk)).isEqualTo(show(pk + sk));
        }
    }

    @Test
    void extremeTableIdsAreTablesLikeAnyOther() {
        for (long table : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            put(table, "p", "s", Long.toString(table));
        }
        for (long table : new long[] {0, -1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThat(rows(storage.read(table, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE)))
                    .containsExactly("p/s=" + table);
            assertThat(rows(storage.scan(table, 0, 1, null, ReadLimits.NONE))).containsExactly("p/s=" + table);
        }
    }

    @Test
    void partitionKeysUpToTheMaximumAreAccepted() {
        String longest = "k".repeat(Storage.MAX_PARTITION_KEY_BYTES);
        put(TABLE, longest, "s", "v");
        assertThat(get(TABLE, longest, "s")).isEqualTo("v");
        assertThat(storage.read(TABLE, bytes(longest), KeyRange.ALL, true, ReadLimits.NONE).rows()).hasSize(1);
    }

    @Test
    void longerPartitionKeysAreRejected() {
        byte[] tooLong = new byte[Storage.MAX_PARTITION_KEY_BYTES + 1];
        assertThatThrownBy(() -> storage.write(PartitionWrite.of(TABLE, tooLong, RowWrite.put(bytes("s"), bytes("v"), Expected.ANY))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.write(new PartitionWrite(TABLE, tooLong, List.of(), List.of(new DerivedRecord("log", bytes("x"))))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.get(TABLE, tooLong, bytes("s"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.read(TABLE, tooLong, KeyRange.ALL, true, ReadLimits.NONE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------- partition reads

    private static final String[] ABCDE = {"a", "b", "c", "d", "e"};

    @ParameterizedTest(name = "[{0} {1}, {2} {3}] -> {4}")
    @CsvSource(nullValues = "-", value = {
        // lower, inclusive, upper, inclusive, sort keys read forward
        "-,  true,  -,  true,  a b c d e",
        "b,  true,  -,  true,  b c d e",
        "b,  false, -,  true,  c d e",
        "-,  true,  d,  true,  a b c d",
        "-,  true,  d,  false, a b c",
        "b,  true,  d,  true,  b c d",
        "b,  false, d,  true,  c d",
        "b,  true,  d,  false, b c",
        "b,  false, d,  false, c",
        "bb, true,  dd, true,  c d",
        "bb, false, dd, false, c d",
        "0,  true,  z,  true,  a b c d e",
        "a,  true,  e,  true,  a b c d e",
        "a,  false, e,  false, b c d",
        "c,  true,  c,  true,  c",
        "c,  false, c,  true,  ''",
        "c,  true,  c,  false, ''",
        "d,  true,  b,  true,  ''",
        "f,  true,  -,  true,  ''",
        "-,  true,  0,  true,  ''",
        "e,  true,  -,  true,  e",
        "-,  true,  a,  true,  a",
    })
    void rangeBoundsForwardAndBackward(String lower, boolean lowerInclusive, String upper, boolean upperInclusive, String expected) {
        partitionWithNeighbours("p", ABCDE);
        KeyRange range = new KeyRange(bytesOrNull(lower), lowerInclusive, bytesOrNull(upper), upperInclusive);
        List<String> forward = expected.isEmpty() ? List.of() : List.of(expected.split(" "));
        List<String> backward = new ArrayList<>(forward);
        Collections.reverse(backward);

        Page forwardPage = storage.read(TABLE, bytes("p"), range, true, ReadLimits.NONE);
        Page backwardPage = storage.read(TABLE, bytes("p"), range, false, ReadLimits.NONE);

        assertThat(sortKeys(forwardPage)).containsExactlyElementsOf(forward);
        assertThat(sortKeys(backwardPage)).containsExactlyElementsOf(backward);
        assertThat(forwardPage.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(backwardPage.stopReason()).isEqualTo(StopReason.EXHAUSTED);
    }

    @Test
    void readReturnsValuesAndThePartitionKey() {
        partitionWithNeighbours("p", "a", "b");
        assertThat(rows(storage.read(TABLE, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE)))
                .containsExactly("p/a=p.a@7", "p/b=p.b@7");
    }

    @Test
    void exactlyReadsOneRow() {
        partitionWithNeighbours("p", ABCDE);
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), KeyRange.exactly(bytes("c")), false, ReadLimits.NONE)))
                .containsExactly("c");
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), KeyRange.exactly(bytes("cc")), true, ReadLimits.NONE)))
                .isEmpty();
    }

    private static final String[] BINARY_SORT_KEYS = {
        "", "a", "a\u0000", "ab", "a\u00FF", "a\u00FF\u00FF", "b", "\u00FF", "\u00FF\u0000", "\u00FF\u00FF"};

    @ParameterizedTest
    @ValueSource(strings = {"p", "\u00FF\u00FF", "\u0000"})
    void prefixRanges(String partitionKey) {
        partitionWithNeighbours(partitionKey, BINARY_SORT_KEYS);
        assertPrefix(partitionKey, "a", "a", "a\u0000", "ab", "a\u00FF", "a\u00FF\u00FF");
        assertPrefix(partitionKey, "a\u00FF", "a\u00FF", "a\u00FF\u00FF");
        assertPrefix(partitionKey, "\u00FF", "\u00FF", "\u00FF\u0000", "\u00FF\u00FF");
        assertPrefix(partitionKey, "\u00FF\u00FF", "\u00FF\u00FF");
        assertPrefix(partitionKey, "", BINARY_SORT_KEYS);
        assertPrefix(partitionKey, "c");
        assertPrefix(partitionKey, "\u0000");
    }

    private void assertPrefix(String partitionKey, String prefix, String... expected) {
        List<String> backward = new ArrayList<>(Arrays.stream(expected).map(Bytes::show).toList());
        Collections.reverse(backward);
        KeyRange range = KeyRange.prefix(bytes(prefix));
        assertThat(sortKeys(storage.read(TABLE, bytes(partitionKey), range, true, ReadLimits.NONE)))
                .as("prefix %s forward", show(prefix))
                .containsExactly(Arrays.stream(expected).map(Bytes::show).toArray(String[]::new));
        assertThat(sortKeys(storage.read(TABLE, bytes(partitionKey), range, false, ReadLimits.NONE)))
                .as("prefix %s backward", show(prefix))
                .containsExactlyElementsOf(backward);
    }

    @Test
    void rowLimitStopsForwardAndBackward() {
        partitionWithNeighbours("p", ABCDE);
        Page forward = storage.read(TABLE, bytes("p"), KeyRange.ALL, true, ReadLimits.rows(2));
        Page backward = storage.read(TABLE, bytes("p"), KeyRange.ALL, false, ReadLimits.rows(2));
        assertThat(sortKeys(forward)).containsExactly("a", "b");
        assertThat(sortKeys(backward)).containsExactly("e", "d");
        assertThat(forward.stopReason()).isEqualTo(StopReason.ROW_LIMIT);
        assertThat(forward.mayHaveMore()).isTrue();
        assertThat(backward.stopReason()).isEqualTo(StopReason.ROW_LIMIT);
    }

    @Test
    void aRowLimitReachedOnTheLastRowIsStillReported() {
        partitionWithNeighbours("p", ABCDE);
        Page page = storage.read(TABLE, bytes("p"), KeyRange.ALL, true, ReadLimits.rows(5));
        assertThat(sortKeys(page)).hasSize(5);
        assertThat(page.stopReason()).isEqualTo(StopReason.ROW_LIMIT);
        Page next = storage.read(TABLE, bytes("p"), KeyRange.ALL, true, new ReadLimits(5, Long.MAX_VALUE, bytes("e")));
        assertThat(next.rows()).isEmpty();
        assertThat(next.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(next.mayHaveMore()).isFalse();
    }

    @Test
    void byteLimitIncludesTheRowThatCrossesIt() {
        // Each row is 10 bytes: partition key "p" (1) + sort key (1) + value (8).
        for (String sk : ABCDE) put(TABLE, "p", sk, "12345678");
        assertThat(sortKeys(read("p", true, new ReadLimits(100, 25, null)))).containsExactly("a", "b", "c");
        assertThat(read("p", true, new ReadLimits(100, 25, null)).stopReason()).isEqualTo(StopReason.BYTE_LIMIT);
        assertThat(sortKeys(read("p", true, new ReadLimits(100, 20, null)))).containsExactly("a", "b");
        assertThat(sortKeys(read("p", true, new ReadLimits(100, 1, null)))).containsExactly("a");
        assertThat(sortKeys(read("p", false, new ReadLimits(100, 11, null)))).containsExactly("e", "d");
        assertThat(read("p", false, new ReadLimits(100, 11, null)).stopReason()).isEqualTo(StopReason.BYTE_LIMIT);
        assertThat(read("p", true, new ReadLimits(100, 50, null)).stopReason()).isEqualTo(StopReason.BYTE_LIMIT);
        assertThat(read("p", true, new ReadLimits(100, 51, null)).stopReason()).isEqualTo(StopReason.EXHAUSTED);
    }

    @Test
    void whenBothLimitsAreReachedOnOneRowTheRowLimitIsReported() {
        for (String sk : ABCDE) put(TABLE, "p", sk, "12345678");
        Page page = read("p", true, new ReadLimits(2, 20, null));
        assertThat(sortKeys(page)).containsExactly("a", "b");
        assertThat(page.stopReason()).isEqualTo(StopReason.ROW_LIMIT);
    }

    @Test
    void startAfterContinuesForward() {
        partitionWithNeighbours("p", ABCDE);
        List<String> read = new ArrayList<>();
        List<StopReason> reasons = new ArrayList<>();
        pages(bytes("p"), KeyRange.ALL, true, 2, page -> {
            read.addAll(sortKeys(page));
            reasons.add(page.stopReason());
        });
        assertThat(read).containsExactly(ABCDE);
        assertThat(reasons).containsExactly(StopReason.ROW_LIMIT, StopReason.ROW_LIMIT, StopReason.EXHAUSTED);
    }

    @Test
    void startAfterContinuesBackward() {
        partitionWithNeighbours("p", ABCDE);
        List<String> read = new ArrayList<>();
        pages(bytes("p"), KeyRange.ALL, false, 2, page -> read.addAll(sortKeys(page)));
        assertThat(read).containsExactly("e", "d", "c", "b", "a");
    }

    @Test
    void startAfterNeedNotBeAStoredKey() {
        partitionWithNeighbours("p", ABCDE);
        assertThat(sortKeys(read("p", true, new ReadLimits(10, Long.MAX_VALUE, bytes("bb"))))).containsExactly("c", "d", "e");
        assertThat(sortKeys(read("p", false, new ReadLimits(10, Long.MAX_VALUE, bytes("bb"))))).containsExactly("b", "a");
        assertThat(sortKeys(read("p", true, new ReadLimits(10, Long.MAX_VALUE, bytes("")))))
                .containsExactly(ABCDE);
        assertThat(sortKeys(read("p", false, new ReadLimits(10, Long.MAX_VALUE, bytes("")))))
                .isEmpty();
        assertThat(sortKeys(read("p", true, new ReadLimits(10, Long.MAX_VALUE, bytes("\u00FF"))))).isEmpty();
    }

    @Test
    void startAfterAndRangeBoundsBothApply() {
        partitionWithNeighbours("p", ABCDE);
        KeyRange bd = new KeyRange(bytes("b"), true, bytes("d"), true);
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), bd, true, new ReadLimits(10, Long.MAX_VALUE, bytes("a")))))
                .containsExactly("b", "c", "d");
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), bd, true, new ReadLimits(10, Long.MAX_VALUE, bytes("c")))))
                .containsExactly("d");
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), bd, false, new ReadLimits(10, Long.MAX_VALUE, bytes("e")))))
                .containsExactly("d", "c", "b");
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), bd, false, new ReadLimits(10, Long.MAX_VALUE, bytes("c")))))
                .containsExactly("b");
        assertThat(sortKeys(storage.read(TABLE, bytes("p"), bd, true, new ReadLimits(10, Long.MAX_VALUE, bytes("d")))))
                .isEmpty();
    }

    @Test
    void emptyPartitionsAndTablesReadAsExhausted() {
        partitionWithNeighbours("p", ABCDE);
        Page missingPartition = storage.read(TABLE, bytes("o"), KeyRange.ALL, true, ReadLimits.rows(1));
        Page missingTable = storage.read(TABLE + 100, bytes("p"), KeyRange.ALL, false, ReadLimits.rows(1));
        assertThat(missingPartition.rows()).isEmpty();
        assertThat(missingPartition.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        assertThat(missingTable.rows()).isEmpty();
        assertThat(missingTable.stopReason()).isEqualTo(StopReason.EXHAUSTED);
    }

    @Test
    void deletedRowsAreNotRead() {
        partitionWithNeighbours("p", ABCDE);
        delete(TABLE, "p", "a", Expected.ANY);
        delete(TABLE, "p", "c", Expected.ANY);
        delete(TABLE, "p", "e", Expected.ANY);
        assertThat(sortKeys(read("p", true, ReadLimits.NONE))).containsExactly("b", "d");
        assertThat(sortKeys(read("p", false, ReadLimits.rows(1)))).containsExactly("d");
    }

    // ---------------------------------------------------------------- scan

    @Test
    void scanOrderIsHashThenPartitionKeyThenSortKey() {
        List<RowKey> keys = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            for (String sk : new String[] {"y", "x", ""}) {
                put(TABLE, "pk-" + i, sk, "v");
                keys.add(new RowKey(bytes("pk-" + i), bytes(sk)));
            }
        }
        keys.sort(scanOrder(TABLE));
        List<String> expected = keys.stream().map(k -> show(k.partitionKey()) + "/" + show(k.sortKey()) + "=v").toList();
        assertThat(rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE))).containsExactlyElementsOf(expected);
        // The order really is by hash: the partition keys' own order would be different.
        assertThat(expected).isNotEqualTo(expected.stream().sorted().toList());
    }

    @Test
    void scanReadsOnlyItsTable() {
        put(TABLE - 1, "p", "s", "before");
        put(TABLE, "p", "s", "this");
        put(TABLE + 1, "p", "s", "after");
        assertThat(rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE))).containsExactly("p/s=this");
        assertThat(storage.scan(TABLE + 100, 0, 1, null, ReadLimits.NONE).rows()).isEmpty();
    }

    @Test
    void scanContinuesAfterARowKey() {
        fillTable(TABLE, 30, 2);
        fillTable(TABLE + 1, 5, 1);
        List<String> all = rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE));
        List<String> paged = new ArrayList<>();
        List<StopReason> reasons = new ArrayList<>();
        scanPages(TABLE, 0, 1, ReadLimits.rows(7), page -> {
            paged.addAll(rows(page));
            reasons.add(page.stopReason());
        });
        assertThat(paged).containsExactlyElementsOf(all);
        assertThat(all).hasSize(60);
        assertThat(reasons).hasSize(9).endsWith(StopReason.EXHAUSTED);
    }

    @Test
    void scanContinuesAfterADeletedRowKey() {
        fillTable(TABLE, 10, 2);
        List<Row> all = storage.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows();
        Row gone = all.get(7);
        storage.write(PartitionWrite.of(TABLE, gone.partitionKey(), RowWrite.delete(gone.sortKey(), Expected.ANY)));
        assertThat(rows(storage.scan(TABLE, 0, 1, gone.key(), ReadLimits.NONE)))
                .containsExactlyElementsOf(rows(new Page(all.subList(8, all.size()), StopReason.EXHAUSTED)));
    }

    @Test
    void scanStopsAtTheByteLimit() {
        fillTable(TABLE, 10, 1);
        List<Row> all = storage.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows();
        long firstTwo = all.get(0).size() + all.get(1).size();
        Page page = storage.scan(TABLE, 0, 1, null, new ReadLimits(100, firstTwo - 1, null));
        assertThat(page.rows()).hasSize(2);
        assertThat(page.stopReason()).isEqualTo(StopReason.BYTE_LIMIT);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 1000})
    void parallelSegmentsPartitionTheTable(int totalSegments) {
        fillTable(TABLE - 1, 20, 1);
        fillTable(TABLE, 200, 2);
        fillTable(TABLE + 1, 20, 1);
        List<String> concatenated = new ArrayList<>();
        for (int segment = 0; segment < totalSegments; segment++) {
            Page page = storage.scan(TABLE, segment, totalSegments, null, ReadLimits.NONE);
            assertThat(page.stopReason()).isEqualTo(StopReason.EXHAUSTED);
            for (Row row : page.rows()) assertThat(segmentOf(row.partitionKey(), totalSegments)).isEqualTo(segment);
            concatenated.addAll(rows(page));
        }
        // Segments follow each other in hash order, so their concatenation is the whole Scan: each row once.
        assertThat(concatenated).hasSize(400).containsExactlyElementsOf(rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE)));
    }

    @Test
    void aSegmentCanBeReadInPages() {
        fillTable(TABLE, 60, 2);
        for (int segment = 0; segment < 3; segment++) {
            List<String> paged = new ArrayList<>();
            scanPages(TABLE, segment, 3, ReadLimits.rows(5), page -> paged.addAll(rows(page)));
            assertThat(paged).containsExactlyElementsOf(rows(storage.scan(TABLE, segment, 3, null, ReadLimits.NONE)));
        }
    }

    @Test
    void scanAfterAKeyOutsideTheSegment() {
        fillTable(TABLE, 40, 1);
        List<Row> first = storage.scan(TABLE, 0, 2, null, ReadLimits.NONE).rows();
        List<Row> second = storage.scan(TABLE, 1, 2, null, ReadLimits.NONE).rows();
        assertThat(first).isNotEmpty();
        assertThat(second).isNotEmpty();
        assertThat(rows(storage.scan(TABLE, 1, 2, first.getFirst().key(), ReadLimits.NONE)))
                .containsExactlyElementsOf(rows(new Page(second, StopReason.EXHAUSTED)));
        assertThat(storage.scan(TABLE, 0, 2, second.getFirst().key(), ReadLimits.NONE).rows()).isEmpty();
    }

    @Test
    void scanArgumentsAreChecked() {
        assertThatThrownBy(() -> storage.scan(TABLE, -1, 2, null, ReadLimits.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.scan(TABLE, 2, 2, null, ReadLimits.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.scan(TABLE, 0, 0, null, ReadLimits.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> storage.scan(TABLE, 0, 1, null, new ReadLimits(1, 1, bytes("s"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * An eventually consistent read may miss recent writes, but nothing else changes: the same ranges,
     * order, limits, continuations and segments. With no write in flight (and, on a replicated backend,
     * every replica up to date, as on one node) it returns exactly what a strong read returns.
     */
    @Test
    void eventualReadsFollowTheSameRulesAsStrongOnes() {
        fillTable(TABLE, 30, 3);
        fillTable(TABLE + 1, 5, 1);
        ReadConsistency eventual = ReadConsistency.EVENTUAL;
        assertThat(show(storage.get(TABLE, bytes("pk3"), bytes("sk1"), eventual))).isEqualTo("value-3-1");
        assertThat(storage.get(TABLE, bytes("pk3"), bytes("sk9"), eventual)).isNull();
        KeyRange range = new KeyRange(bytes("sk0"), false, bytes("sk2"), true);
        for (boolean forward : new boolean[] {true, false}) {
            for (ReadLimits limits : List.of(ReadLimits.NONE, ReadLimits.rows(1), new ReadLimits(5, 1, bytes("sk2")))) {
                assertThat(rows(storage.read(TABLE, bytes("pk4"), range, forward, limits, eventual)))
                        .containsExactlyElementsOf(rows(storage.read(TABLE, bytes("pk4"), range, forward, limits)));
            }
        }
        List<Row> all = storage.scan(TABLE, 0, 1, null, ReadLimits.NONE).rows();
        assertThat(rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE, eventual)))
                .containsExactlyElementsOf(rows(new Page(all, StopReason.EXHAUSTED)));
        Page continued = storage.scan(TABLE, 0, 1, all.get(40).key(), ReadLimits.rows(7), eventual);
        assertThat(rows(continued)).containsExactlyElementsOf(rows(new Page(all.subList(41, 48), StopReason.ROW_LIMIT)));
        assertThat(continued.stopReason()).isEqualTo(StopReason.ROW_LIMIT);
        for (int segment = 0; segment < 3; segment++) {
            assertThat(rows(storage.scan(TABLE, segment, 3, null, ReadLimits.NONE, eventual)))
                    .containsExactlyElementsOf(rows(storage.scan(TABLE, segment, 3, null, ReadLimits.NONE)));
        }
    }

    // ---------------------------------------------------------------- preconditions

    @Test
    void absentHoldsOnlyForAnAbsentRow() {
        assertThat(put(TABLE, "p", "s", "v1", Expected.ABSENT)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(put(TABLE, "p", "s", "v2", Expected.ABSENT)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v1");
    }

    @Test
    void valueHoldsOnlyForTheSameBytes() {
        put(TABLE, "p", "s", "v1");
        assertThat(put(TABLE, "p", "s", "v2", Expected.value(bytes("v0")))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(put(TABLE, "p", "s", "v2", Expected.value(bytes("v1\u0000")))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v1");
        assertThat(put(TABLE, "p", "s", "v2", Expected.value(bytes("v1")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v2");
    }

    @Test
    void valueDoesNotHoldForAnAbsentRow() {
        assertThat(put(TABLE, "p", "s", "v", Expected.value(bytes("")))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE, "p", "s")).isNull();
    }

    @Test
    void deletesAreConditionalToo() {
        put(TABLE, "p", "s", "v1");
        assertThat(delete(TABLE, "p", "s", Expected.ABSENT)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(delete(TABLE, "p", "s", Expected.value(bytes("v2")))).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v1");
        assertThat(delete(TABLE, "p", "s", Expected.value(bytes("v1")))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(get(TABLE, "p", "s")).isNull();
        assertThat(put(TABLE, "p", "s", "v3", Expected.ABSENT)).isEqualTo(WriteOutcome.APPLIED);
    }

    @Test
    void aMultiRowWriteIsAllOrNothing() {
        put(TABLE, "p", "item", "old");
        put(TABLE, "p", "lsi", "old-index");
        PartitionWrite failing = new PartitionWrite(TABLE, bytes("p"), List.of(
                RowWrite.put(bytes("item"), bytes("new"), Expected.value(bytes("old"))),
                RowWrite.delete(bytes("lsi"), Expected.value(bytes("old-index"))),
                RowWrite.put(bytes("lsi2"), bytes("new-index"), Expected.value(bytes("not there")))),
                List.of(new DerivedRecord("stream", bytes("change"))));
        assertThat(write(failing)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(rows(read("p", true, ReadLimits.NONE))).containsExactly("p/item=old", "p/lsi=old-index");
        assertThat(storage.readLog("stream", 0, 10)).isEmpty();

        PartitionWrite passing = new PartitionWrite(TABLE, bytes("p"), List.of(
                RowWrite.put(bytes("item"), bytes("new"), Expected.value(bytes("old"))),
                RowWrite.delete(bytes("lsi"), Expected.value(bytes("old-index"))),
                RowWrite.put(bytes("lsi2"), bytes("new-index"), Expected.ABSENT)),
                List.of(new DerivedRecord("stream", bytes("change"))));
        assertThat(write(passing)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(rows(read("p", true, ReadLimits.NONE))).containsExactly("p/item=new", "p/lsi2=new-index");
        assertThat(logPayloads("stream")).containsExactly("change");
    }

    // ---------------------------------------------------------------- companion tables (local secondary indexes)

    /** An item and its index entry, as the engine writes them: the entry in the index's own table. */
    private static PartitionWrite itemWithIndexEntry(String item, Expected itemExpected, String entry, Expected entryExpected) {
        return new PartitionWrite(TABLE, bytes("p"), List.of(RowWrite.put(bytes("item"), bytes(item), itemExpected)),
                List.of(new DerivedRecord("stream", bytes(item))),
                List.of(new CompanionWrite(TABLE + 1, List.of(RowWrite.put(bytes(entry), bytes(item), entryExpected)))));
    }

    @Test
    void companionRowsLiveInTheirOwnTableAtTheSamePartitionKey() {
        assertThat(write(itemWithIndexEntry("v1", Expected.ABSENT, "a#item", Expected.ABSENT))).isEqualTo(WriteOutcome.APPLIED);
        assertThat(rows(read("p", true, ReadLimits.NONE))).containsExactly("p/item=v1");
        assertThat(rows(storage.scan(TABLE, 0, 1, null, ReadLimits.NONE))).containsExactly("p/item=v1");
        assertThat(rows(storage.read(TABLE + 1, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("p/a#item=v1");
        assertThat(rows(storage.scan(TABLE + 1, 0, 1, null, ReadLimits.NONE))).containsExactly("p/a#item=v1");
        assertThat(storage.stats(TABLE).rowCount()).isEqualTo(1);
        assertThat(storage.stats(TABLE + 1).rowCount()).isEqualTo(1);
    }

    @Test
    void aFailedCompanionPreconditionWritesNothing() {
        write(itemWithIndexEntry("v1", Expected.ABSENT, "a#item", Expected.ABSENT));
        // The item's precondition holds, the entry's does not.
        assertThat(write(itemWithIndexEntry("v2", Expected.value(bytes("v1")), "a#item", Expected.ABSENT)))
                .isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE, "p", "item")).isEqualTo("v1");
        assertThat(get(TABLE + 1, "p", "a#item")).isEqualTo("v1");
        assertThat(logPayloads("stream")).containsExactly("v1");
    }

    @Test
    void aFailedItemPreconditionWritesNoCompanionRow() {
        write(itemWithIndexEntry("v1", Expected.ABSENT, "a#item", Expected.ABSENT));
        assertThat(write(itemWithIndexEntry("v2", Expected.ABSENT, "b#item", Expected.ABSENT)))
                .isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(get(TABLE + 1, "p", "b#item")).isNull();
    }

    @Test
    void companionRowsMoveWithTheItem() {
        write(itemWithIndexEntry("v1", Expected.ABSENT, "a#item", Expected.ABSENT));
        PartitionWrite move = new PartitionWrite(TABLE, bytes("p"),
                List.of(RowWrite.put(bytes("item"), bytes("v2"), Expected.value(bytes("v1")))), List.of(),
                List.of(new CompanionWrite(TABLE + 1, List.of(
                        RowWrite.delete(bytes("a#item"), Expected.value(bytes("v1"))),
                        RowWrite.put(bytes("b#item"), bytes("v2"), Expected.ABSENT)))));
        assertThat(write(move)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(rows(storage.read(TABLE + 1, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE))).containsExactly("p/b#item=v2");
        storage.dropTable(TABLE + 1);
        assertThat(storage.read(TABLE + 1, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE).rows()).isEmpty();
        assertThat(get(TABLE, "p", "item")).isEqualTo("v2");
    }

    @Test
    void aCompanionMayNotRepeatATableId() {
        List<RowWrite> none = List.of();
        assertThatThrownBy(() -> new PartitionWrite(TABLE, bytes("p"), none, List.of(), List.of(new CompanionWrite(TABLE, none))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PartitionWrite(TABLE, bytes("p"), none, List.of(),
                List.of(new CompanionWrite(TABLE + 1, none), new CompanionWrite(TABLE + 1, none))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CompanionWrite(TABLE + 1, List.of(
                RowWrite.delete(bytes("s"), Expected.ANY), RowWrite.put(bytes("s"), bytes("v"), Expected.ANY))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentCompareAndSetIncrementsLoseNoUpdate() throws Exception {
        int threads = 4;
        int incrementsEach = 250;
        Callable<Integer> incrementer = () -> {
            int retries = 0;
            for (int i = 0; i < incrementsEach; i++) {
                while (true) {
                    byte[] current = storage.get(TABLE, bytes("counter"), bytes(""));
                    long next = (current == null ? 0 : Long.parseLong(new String(current, ISO_8859_1))) + 1;
                    byte[] value = bytes(Long.toString(next));
                    PartitionWrite increment = new PartitionWrite(TABLE, bytes("counter"),
                            List.of(RowWrite.put(bytes(""), value, Expected.value(current))),
                            List.of(new DerivedRecord("increments", value)));
                    if (write(increment) == WriteOutcome.APPLIED) break;
                    retries++;
                }
            }
            return retries;
        };
        runConcurrently(Collections.nCopies(threads, incrementer));

        int total = threads * incrementsEach;
        assertThat(get(TABLE, "counter", "")).isEqualTo(Long.toString(total));
        // Writes to one item are ordered, and so are their derived records: 1, 2, ..., total.
        List<LogEntry> log = storage.readLog("increments", 0, total + 1);
        assertThat(log.stream().map(e -> show(e.payload())).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, total).mapToObj(Integer::toString).toList());
        assertSequencesIncrease(log);
    }

    // ---------------------------------------------------------------- derived logs

    @Test
    void derivedRecordsAreAppendedWithTheirWrite() {
        PartitionWrite write = new PartitionWrite(TABLE, bytes("p"),
                List.of(RowWrite.put(bytes("s"), bytes("v"), Expected.ABSENT)),
                List.of(new DerivedRecord("stream", bytes("insert")), new DerivedRecord("gsi", bytes("index")),
                        new DerivedRecord("stream", bytes("second"))));
        assertThat(write(write)).isEqualTo(WriteOutcome.APPLIED);
        List<LogEntry> stream = storage.readLog("stream", 0, 10);
        assertThat(stream).extracting(e -> show(e.payload())).containsExactly("insert", "second");
        assertThat(stream.getFirst().sequence()).isEqualTo(1);
        assertSequencesIncrease(stream);
        assertThat(logPayloads("gsi")).containsExactly("index");
    }

    @Test
    void derivedRecordsAreNotAppendedWhenAPreconditionFails() {
        put(TABLE, "p", "s", "v");
        PartitionWrite write = new PartitionWrite(TABLE, bytes("p"),
                List.of(RowWrite.put(bytes("s"), bytes("v2"), Expected.ABSENT)),
                List.of(new DerivedRecord("stream", bytes("insert"))));
        assertThat(write(write)).isEqualTo(WriteOutcome.PRECONDITION_FAILED);
        assertThat(storage.readLog("stream", 0, 10)).isEmpty();
    }

    @Test
    void aWriteMayCarryOnlyDerivedRecords() {
        PartitionWrite write = new PartitionWrite(TABLE, bytes("p"), List.of(), List.of(new DerivedRecord("stream", bytes("x"))));
        assertThat(write(write)).isEqualTo(WriteOutcome.APPLIED);
        assertThat(logPayloads("stream")).containsExactly("x");
    }

    @Test
    void sequenceNumbersIncreaseAcrossWrites() {
        for (int i = 0; i < 20; i++) appendTo("stream", "r" + i);
        List<LogEntry> entries = storage.readLog("stream", 0, 100);
        assertThat(entries).extracting(e -> show(e.payload()))
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, 20).mapToObj(i -> "r" + i).toList());
        assertThat(entries.getFirst().sequence()).isEqualTo(1);
        assertSequencesIncrease(entries);
    }

    @Test
    void readLogContinuesAfterASequenceAndStopsAtMaxEntries() {
        for (int i = 0; i < 10; i++) appendTo("stream", "r" + i);
        List<LogEntry> all = storage.readLog("stream", 0, 100);
        assertThat(storage.readLog("stream", 0, 3)).extracting(e -> show(e.payload())).containsExactly("r0", "r1", "r2");
        assertThat(storage.readLog("stream", all.get(6).sequence(), 100)).extracting(e -> show(e.payload()))
                .containsExactly("r7", "r8", "r9");
        assertThat(storage.readLog("stream", all.getLast().sequence(), 100)).isEmpty();
        assertThat(storage.readLog("stream", Long.MAX_VALUE, 100)).isEmpty();
        assertThat(storage.readLog("stream", -5, 1)).extracting(e -> show(e.payload())).containsExactly("r0");
        assertThatThrownBy(() -> storage.readLog("stream", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logsAreIndependent() {
        // "a" is a prefix of "ab": their entries must not mix, whatever the key encoding.
        appendTo("a", "a1");
        appendTo("ab", "ab1");
        appendTo("a", "a2");
        appendTo("", "empty");
        appendTo("\u00e9t\u00e9", "summer");
        assertThat(logPayloads("a")).containsExactly("a1", "a2");
        assertThat(logPayloads("ab")).containsExactly("ab1");
        assertThat(logPayloads("")).containsExactly("empty");
        assertThat(logPayloads("\u00e9t\u00e9")).containsExactly("summer");
        assertThat(storage.readLog("b", 0, 10)).isEmpty();
        storage.trimLog("a", Long.MAX_VALUE);
        assertThat(logPayloads("ab")).containsExactly("ab1");
    }

    @Test
    void trimForgetsEntriesThroughASequence() {
        for (int i = 0; i < 6; i++) appendTo("stream", "r" + i);
        List<LogEntry> all = storage.readLog("stream", 0, 100);
        storage.trimLog("stream", all.get(2).sequence());
        assertThat(logPayloads("stream")).containsExactly("r3", "r4", "r5");
        storage.trimLog("stream", all.get(1).sequence());
        assertThat(logPayloads("stream")).containsExactly("r3", "r4", "r5");
        assertThat(storage.readLog("stream", 0, 100)).extracting(LogEntry::sequence)
                .containsExactly(all.get(3).sequence(), all.get(4).sequence(), all.get(5).sequence());
    }

    @Test
    void sequencesAreNotReusedAfterTrimmingEverything() {
        for (int i = 0; i < 3; i++) appendTo("stream", "r" + i);
        long last = storage.readLog("stream", 0, 100).getLast().sequence();
        storage.trimLog("stream", Long.MAX_VALUE);
        assertThat(storage.readLog("stream", 0, 100)).isEmpty();
        appendTo("stream", "after");
        List<LogEntry> entries = storage.readLog("stream", 0, 100);
        assertThat(entries).extracting(e -> show(e.payload())).containsExactly("after");
        assertThat(entries.getFirst().sequence()).isGreaterThan(last);
    }

    @Test
    void trimmingAnUnknownLogIsHarmless() {
        storage.trimLog("nothing", 10);
        assertThat(storage.readLog("nothing", 0, 10)).isEmpty();
        appendTo("nothing", "first");
        assertThat(logPayloads("nothing")).containsExactly("first");
    }

    @Test
    void aLogTailerNeverSkipsAnEntry() throws Exception {
        // Writers on different partitions commit concurrently; a consumer that continues after the last
        // sequence it read must still see every entry exactly once.
        int writers = 3;
        int writesEach = 200;
        AtomicBoolean writersDone = new AtomicBoolean();
        List<Callable<Object>> tasks = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            String partition = "writer-" + w;
            tasks.add(() -> {
                for (int i = 0; i < writesEach; i++) {
                    write(new PartitionWrite(TABLE, bytes(partition), List.of(RowWrite.put(bytes("n"), bytes("" + i), Expected.ANY)),
                            List.of(new DerivedRecord("tail", bytes(partition + "#" + i)))));
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
        try {
            Future<List<LogEntry>> tailer = pool.submit(() -> {
                List<LogEntry> seen = new ArrayList<>();
                long after = 0;
                while (true) {
                    boolean finished = writersDone.get();
                    List<LogEntry> entries = storage.readLog("tail", after, 64);
                    if (entries.isEmpty() && finished) return seen;
                    seen.addAll(entries);
                    if (seen.size() > writers * writesEach) throw new AssertionError("entries read twice: " + seen.size());
                    if (!entries.isEmpty()) after = entries.getLast().sequence();
                }
            });
            for (Future<Object> f : pool.invokeAll(tasks)) f.get();
            writersDone.set(true);
            List<LogEntry> seen = tailer.get();
            Set<String> payloads = new HashSet<>();
            for (LogEntry e : seen) payloads.add(show(e.payload()));
            assertThat(seen).hasSize(writers * writesEach);
            assertThat(payloads).hasSize(writers * writesEach);
            assertSequencesIncrease(seen);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---------------------------------------------------------------- tables

    @Test
    void droppingATableLeavesTheOthers() {
        fillTable(TABLE - 1, 10, 2);
        fillTable(TABLE, 10, 2);
        fillTable(TABLE + 1, 10, 2);
        List<String> before = rows(storage.scan(TABLE - 1, 0, 1, null, ReadLimits.NONE));
        List<String> after = rows(storage.scan(TABLE + 1, 0, 1, null, ReadLimits.NONE));
        storage.dropTable(TABLE);
        tablesWritten.remove(TABLE); // its rows may disappear in the background: nothing to check
        assertThat(rows(storage.scan(TABLE - 1, 0, 1, null, ReadLimits.NONE))).containsExactlyElementsOf(before);
        assertThat(rows(storage.scan(TABLE + 1, 0, 1, null, ReadLimits.NONE))).containsExactlyElementsOf(after);
        assertStats(TABLE + 1, 20, sizeOf(storage.scan(TABLE + 1, 0, 1, null, ReadLimits.NONE)));
    }

    @Test
    void droppingAnUnknownTableIsHarmless() {
        put(TABLE, "p", "s", "v");
        storage.dropTable(TABLE + 100);
        assertThat(get(TABLE, "p", "s")).isEqualTo("v");
    }

    @Test
    void statsCountRowsAndBytes() {
        assertStats(TABLE, 0, 0);
        put(TABLE, "p", "s", "value");     // 1 + 1 + 5
        put(TABLE, "pp", "", "");          // 2
        put(TABLE + 1, "other", "s", "v"); // another table
        assertStats(TABLE, 2, 9);
        delete(TABLE, "p", "s", Expected.ANY);
        assertStats(TABLE, 1, 2);
    }

    // ---------------------------------------------------------------- metadata

    @Test
    void metadataPutGetDelete() {
        assertThat(storage.getMeta("table/Music")).isNull();
        storage.putMeta("table/Music", bytes("v1"));
        assertThat(show(storage.getMeta("table/Music"))).isEqualTo("v1");
        storage.putMeta("table/Music", bytes("v2"));
        assertThat(show(storage.getMeta("table/Music"))).isEqualTo("v2");
        storage.putMeta("table/Music", null);
        assertThat(storage.getMeta("table/Music")).isNull();
        storage.putMeta("absent", null);
        assertThat(storage.getMeta("absent")).isNull();
    }

    @Test
    void metadataPutIfAbsentKeepsTheFirstValue() {
        assertThat(show(storage.putMetaIfAbsent("key/first", bytes("v1")))).isEqualTo("v1");
        assertThat(show(storage.putMetaIfAbsent("key/first", bytes("v2")))).isEqualTo("v1");
        assertThat(show(storage.getMeta("key/first"))).isEqualTo("v1");
        storage.putMeta("key/first", null);
        assertThat(show(storage.putMetaIfAbsent("key/first", bytes("v3")))).isEqualTo("v3");
    }

    @Test
    void metadataIsListedByPrefixInKeyOrder() {
        for (String key : new String[] {"tablex", "table/b", "other", "table/a", "table/", "tabl"}) storage.putMeta(key, bytes(key));
        assertThat(storage.listMeta("table/").keySet()).containsExactly("table/", "table/a", "table/b");
        assertThat(storage.listMeta("table").keySet()).containsExactly("table/", "table/a", "table/b", "tablex");
        assertThat(storage.listMeta("").keySet()).containsExactly("other", "tabl", "table/", "table/a", "table/b", "tablex");
        assertThat(storage.listMeta("zzz")).isEmpty();
        assertThat(show(storage.listMeta("table/").get("table/a"))).isEqualTo("table/a");
    }

    @Test
    void metadataKeysAreOrderedByTheirUtf8Bytes() {
        // UTF-16 order would put the emoji (a surrogate pair, D83D...) before U+FFFD.
        for (String key : new String[] {"k\uD83D\uDE00", "k\uFFFD", "k\u00e9", "kz"}) storage.putMeta(key, new byte[] {1});
        assertThat(storage.listMeta("k").keySet()).containsExactly("kz", "k\u00e9", "k\uFFFD", "k\uD83D\uDE00");
        assertThat(storage.listMeta("k\u00e9").keySet()).containsExactly("k\u00e9");
    }

    // ---------------------------------------------------------------- closing

    @Test
    void everyMethodFailsAsUnavailableAfterClose() {
        put(TABLE, "p", "s", "v");
        storage.close();
        closedByTest = true;
        List<Runnable> calls = List.of(
                () -> storage.get(TABLE, bytes("p"), bytes("s")),
                () -> storage.read(TABLE, bytes("p"), KeyRange.ALL, true, ReadLimits.NONE),
                () -> storage.scan(TABLE, 0, 1, null, ReadLimits.NONE),
                () -> storage.write(PartitionWrite.of(TABLE, bytes("p"), RowWrite.put(bytes("s"), bytes("v"), Expected.ANY))),
                () -> storage.dropTable(TABLE),
                () -> storage.stats(TABLE),
                () -> storage.readLog("stream", 0, 1),
                () -> storage.trimLog("stream", 1),
                () -> storage.getMeta("k"),
                () -> storage.putMeta("k", bytes("v")),
                () -> storage.listMeta("k"));
        for (Runnable call : calls) assertThatThrownBy(call::run).isInstanceOf(StorageException.Unavailable.class);
    }

    @Test
    void closingTwiceIsHarmless() {
        storage.close();
        storage.close();
        closedByTest = true;
    }

    // ---------------------------------------------------------------- invariants

    /** Every way of reading {@code table} agrees with a full Scan, which is in scan order. */
    private void checkInvariants(long table) {
        Page scan = storage.scan(table, 0, 1, null, ReadLimits.NONE);
        assertThat(scan.stopReason()).isEqualTo(StopReason.EXHAUSTED);
        List<Row> all = scan.rows();
        for (int i = 1; i < all.size(); i++) {
            assertThat(scanOrder(table).compare(all.get(i - 1).key(), all.get(i).key()))
                    .as("scan order of table %d at row %d", table, i).isNegative();
        }
        Map<String, List<Row>> partitions = new LinkedHashMap<>();
        for (Row row : all) {
            assertThat(storage.get(table, row.partitionKey(), row.sortKey())).isEqualTo(row.value());
            partitions.computeIfAbsent(show(row.partitionKey()), k -> new ArrayList<>()).add(row);
        }
        for (List<Row> partition : partitions.values()) {
            byte[] pk = partition.getFirst().partitionKey();
            List<String> expected = rows(new Page(partition, StopReason.EXHAUSTED));
            List<String> backward = new ArrayList<>(expected);
            Collections.reverse(backward);
            assertThat(rows(storage.read(table, pk, KeyRange.ALL, true, ReadLimits.NONE))).containsExactlyElementsOf(expected);
            assertThat(rows(storage.read(table, pk, KeyRange.ALL, false, ReadLimits.NONE))).containsExactlyElementsOf(backward);
        }
        List<String> segments = new ArrayList<>();
        for (int segment = 0; segment < 4; segment++) segments.addAll(rows(storage.scan(table, segment, 4, null, ReadLimits.NONE)));
        assertThat(segments).containsExactlyElementsOf(rows(scan));
        assertStats(table, all.size(), sizeOf(scan));
    }

    // ---------------------------------------------------------------- helpers

    private static byte[] bytesOrNull(String s) {
        return s == null ? null : bytes(s);
    }

    protected WriteOutcome write(PartitionWrite write) {
        tablesWritten.add(write.tableId());
        for (CompanionWrite companion : write.companions()) tablesWritten.add(companion.tableId());
        return storage.write(write);
    }

    protected WriteOutcome put(long table, String pk, String sk, String value) {
        return put(table, pk, sk, value, Expected.ANY);
    }

    protected WriteOutcome put(long table, String pk, String sk, String value, Expected expected) {
        return write(PartitionWrite.of(table, bytes(pk), RowWrite.put(bytes(sk), bytes(value), expected)));
    }

    protected WriteOutcome delete(long table, String pk, String sk, Expected expected) {
        return write(PartitionWrite.of(table, bytes(pk), RowWrite.delete(bytes(sk), expected)));
    }

    protected String get(long table, String pk, String sk) {
        byte[] value = storage.get(table, bytes(pk), bytes(sk));
        return value == null ? null : show(value);
    }

    private Page read(String pk, boolean forward, ReadLimits limits) {
        return storage.read(TABLE, bytes(pk), KeyRange.ALL, forward, limits);
    }

    private void appendTo(String log, String payload) {
        write(new PartitionWrite(TABLE, bytes("p"), List.of(), List.of(new DerivedRecord(log, bytes(payload)))));
    }

    private List<String> logPayloads(String log) {
        return storage.readLog(log, 0, 1000).stream().map(e -> show(e.payload())).toList();
    }

    private static void assertSequencesIncrease(List<LogEntry> entries) {
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).sequence()).isGreaterThan(entries.get(i - 1).sequence());
        }
    }

    protected static List<String> sortKeys(Page page) {
        return page.rows().stream().map(r -> show(r.sortKey())).toList();
    }

    /** Rows as {@code partitionKey/sortKey=value}. */
    protected static List<String> rows(Page page) {
        return page.rows().stream().map(Bytes::show).toList();
    }

    private static long sizeOf(Page page) {
        return page.rows().stream().mapToLong(Row::size).sum();
    }

    /** Rows {@code pk/sk} in TABLE, and the same sort keys in partitions and tables around it. */
    private void partitionWithNeighbours(String pk, String... sortKeys) {
        for (String sk : sortKeys) {
            put(TABLE, pk, sk, pk + "." + sk + "@" + TABLE);
            for (String other : new String[] {"", "\u0000", "\u00FF", pk + "\u0000", pk + "\u00FF", "q"}) {
                if (!other.equals(pk)) put(TABLE, other, sk, "neighbour");
            }
            put(TABLE - 1, pk, sk, "table before");
            put(TABLE + 1, pk, sk, "table after");
        }
    }

    /** {@code partitions} partitions of {@code rowsEach} rows each. */
    private void fillTable(long table, int partitions, int rowsEach) {
        for (int p = 0; p < partitions; p++) {
            for (int s = 0; s < rowsEach; s++) put(table, "pk" + p, "sk" + s, "value-" + p + "-" + s);
        }
    }

    private static final int MAX_PAGES = 1000;

    private int segmentOf(byte[] partitionKey, int totalSegments) {
        long hash = PartitionHash.of(placementKey(TABLE, partitionKey));
        for (int segment = 0; segment < totalSegments; segment++) {
            Long end = PartitionHash.segmentStart(segment + 1, totalSegments);
            if (end == null || Long.compareUnsigned(hash, end) < 0) return segment;
        }
        throw new AssertionError("no segment for hash " + Long.toUnsignedString(hash));
    }

    /** Pages through a read; a continuation that does not advance fails rather than loops. */
    private void pages(byte[] pk, KeyRange range, boolean forward, int pageRows, Consumer<Page> consumer) {
        byte[] startAfter = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            Page page = storage.read(TABLE, pk, range, forward, new ReadLimits(pageRows, Long.MAX_VALUE, startAfter));
            consumer.accept(page);
            if (!page.mayHaveMore()) return;
            startAfter = page.rows().getLast().sortKey();
        }
        throw new AssertionError("more than " + MAX_PAGES + " pages");
    }

    private void scanPages(long table, int segment, int totalSegments, ReadLimits limits, Consumer<Page> consumer) {
        RowKey after = null;
        for (int pages = 0; pages < MAX_PAGES; pages++) {
            Page page = storage.scan(table, segment, totalSegments, after, limits);
            consumer.accept(page);
            if (!page.mayHaveMore()) return;
            after = page.rows().getLast().key();
        }
        throw new AssertionError("more than " + MAX_PAGES + " pages");
    }

    private static <T> List<T> runConcurrently(List<Callable<T>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            List<T> results = new ArrayList<>();
            for (Future<T> f : pool.invokeAll(tasks)) results.add(f.get());
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}

package dev.flywheel.storage;

import static dev.flywheel.storage.Bytes.bytes;
import static dev.flywheel.storage.Bytes.show;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The storage contract as a property: random operations applied to a backend and to
 * {@link TreeMapStorage} give the same results. A backend's test extends it and says how to open a
 * storage. One storage serves all tries of the property; each try works in a table of its own (table
 * ids are never reused) and a log and metadata prefix named after it, so tries do not meet.
 *
 * <p>Keys come from a few bytes chosen to meet at the edges: 0x00, 0xFF, and partition keys that are
 * prefixes of one another. jqwik prints the seed of a failing run; rerun it with {@code @Property(seed=...)}.
 */
public abstract class StorageModelProperties {

    /** A fresh storage; the property closes it. */
    protected abstract Storage newStorage();

    private Storage storage;
    private long nextTable = 1;

    @BeforeProperty
    void openStorage() {
        storage = newStorage();
    }

    @AfterProperty
    void closeStorage() {
        storage.close();
    }

    @Property(tries = 300)
    @Tag("random")
    void behavesLikeTheModel(@ForAll("operations") List<Operation> operations) {
        long table = nextTable++;
        TreeMapStorage model = new TreeMapStorage();
        for (Operation operation : operations) {
            // The real storage goes first: a precondition taken from the model's current value must be
            // resolved before the model changes.
            String actual = operation.apply(storage, model, table);
            String expected = operation.apply(model, model, table);
            assertThat(actual).as("%s", operation).isEqualTo(expected);
        }
        Operation everything = new Scan(0, 1, null, null, ReadLimits.NONE);
        assertThat(everything.apply(storage, model, table)).isEqualTo(everything.apply(model, model, table));
        Operation wholeLog = new ReadLog(0, Integer.MAX_VALUE);
        assertThat(wholeLog.apply(storage, model, table)).isEqualTo(wholeLog.apply(model, model, table));
    }

    // ---------------------------------------------------------------- operations

    /** One call on a storage; its result as text, so that two storages' results compare with equals. */
    sealed interface Operation {
        String apply(Storage target, Storage model, long table);
    }

    enum Precondition { ANY, ABSENT, CURRENT, STALE }

    /** A row of a {@link Write}: a new value (null deletes) and what the row must hold. */
    record RowChange(String sortKey, String value, Precondition precondition) {
        RowWrite toRowWrite(Storage model, long table, String partitionKey) {
            byte[] current = model.get(table, bytes(partitionKey), bytes(sortKey));
            Expected expected = switch (precondition) {
                case ANY -> Expected.ANY;
                case ABSENT -> Expected.ABSENT;
                case CURRENT -> Expected.value(current);
                case STALE -> Expected.value(current == null ? bytes("stale") : Arrays.copyOf(current, current.length + 1));
            };
            return new RowWrite(bytes(sortKey), value == null ? null : bytes(value), expected);
        }
    }

    record Write(String partitionKey, List<RowChange> rows, boolean derive) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            List<RowWrite> writes = new ArrayList<>();
            for (RowChange row : rows) writes.add(row.toRowWrite(model, table, partitionKey));
            List<DerivedRecord> derived = derive ? List.of(new DerivedRecord(log(table), bytes(partitionKey + ":" + rows))) : List.of();
            return target.write(new PartitionWrite(table, bytes(partitionKey), writes, derived)).name();
        }
    }

    record Get(String partitionKey, String sortKey) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            byte[] value = target.get(table, bytes(partitionKey), bytes(sortKey));
            return value == null ? "absent" : show(value);
        }
    }

    /** A {@link KeyRange}: the keys starting with {@code prefix} if it is set, else between the bounds. */
    record Range(String prefix, String lower, boolean lowerInclusive, String upper, boolean upperInclusive) {
        KeyRange toKeyRange() {
            if (prefix != null) return KeyRange.prefix(bytes(prefix));
            return new KeyRange(lower == null ? null : bytes(lower), lowerInclusive, upper == null ? null : bytes(upper), upperInclusive);
        }
    }

    record Read(String partitionKey, Range range, boolean forward, ReadLimits limits, String startAfter) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            ReadLimits withStart = new ReadLimits(limits.maxRows(), limits.maxBytes(), startAfter == null ? null : bytes(startAfter));
            return describe(target.read(table, bytes(partitionKey), range.toKeyRange(), forward, withStart));
        }
    }

    record Scan(int segment, int totalSegments, String afterPartitionKey, String afterSortKey, ReadLimits limits) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            RowKey after = afterPartitionKey == null ? null : new RowKey(bytes(afterPartitionKey), bytes(afterSortKey));
            return describe(target.scan(table, segment, totalSegments, after, limits));
        }
    }

    record ReadLog(long afterSequence, int maxEntries) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            StringBuilder s = new StringBuilder();
            for (LogEntry e : target.readLog(log(table), afterSequence, maxEntries)) s.append(e.sequence()).append(':').append(show(e.payload())).append(' ');
            return s.toString();
        }
    }

    record TrimLog(long throughSequence) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            target.trimLog(log(table), throughSequence);
            return "trimmed";
        }
    }

    record Stats() implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            return target.stats(table).toString();
        }
    }

    record PutMeta(String key, String value) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            target.putMeta("t" + table + "/" + key, value == null ? null : bytes(value));
            return "put";
        }
    }

    record ListMeta(String prefix) implements Operation {
        @Override
        public String apply(Storage target, Storage model, long table) {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<String, byte[]> e : target.listMeta("t" + table + "/" + prefix).entrySet()) {
                s.append(e.getKey()).append('=').append(show(e.getValue())).append(' ');
            }
            return s.toString();
        }
    }

    private static String log(long table) {
        return "log-" + table;
    }

    private static String describe(Page page) {
        return page.stopReason() + " " + page.rows().stream().map(Bytes::show).toList();
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<List<Operation>> operations() {
        return Arbitraries.frequencyOf(
                Tuple.of(8, writes()),
                Tuple.of(2, gets()),
                Tuple.of(4, reads()),
                Tuple.of(3, scans()),
                Tuple.of(2, logOperations()),
                Tuple.of(1, Arbitraries.<Operation>just(new Stats())),
                Tuple.of(1, metaOperations())
        ).list().ofMaxSize(40);
    }

    private static Arbitrary<String> partitionKeys() {
        return Arbitraries.of("", "a", "b", "ab", "a\u00FF", "\u00FF", "\u0000", "\u00FF\u00FF");
    }

    private static Arbitrary<String> sortKeys() {
        return Arbitraries.strings().withChars('\u0000', 'a', 'b', '\u00FF').ofMaxLength(3);
    }

    private static Arbitrary<ReadLimits> limits() {
        Arbitrary<Integer> rows = Arbitraries.oneOf(Arbitraries.integers().between(1, 6), Arbitraries.just(Integer.MAX_VALUE));
        Arbitrary<Long> bytes = Arbitraries.oneOf(Arbitraries.longs().between(1, 30), Arbitraries.just(Long.MAX_VALUE));
        return Combinators.combine(rows, bytes).as((r, b) -> new ReadLimits(r, b, null));
    }

    private static Arbitrary<Operation> writes() {
        Arbitrary<RowChange> rows = Combinators.combine(
                sortKeys(),
                Arbitraries.strings().withChars('x', 'y').ofMaxLength(6).injectNull(0.25),
                Arbitraries.of(Precondition.class)).as(RowChange::new);
        return Combinators.combine(
                partitionKeys(),
                rows.list().ofMinSize(1).ofMaxSize(3).uniqueElements(RowChange::sortKey),
                Arbitraries.of(true, false)).<Operation>as(Write::new);
    }

    private static Arbitrary<Operation> gets() {
        return Combinators.combine(partitionKeys(), sortKeys()).<Operation>as(Get::new);
    }

    private static Arbitrary<Operation> reads() {
        Arbitrary<Range> prefixes = sortKeys().map(p -> new Range(p, null, true, null, true));
        Arbitrary<Range> bounds = Combinators.combine(
                sortKeys().injectNull(0.3), Arbitraries.of(true, false), sortKeys().injectNull(0.3), Arbitraries.of(true, false))
                .as((lower, li, upper, ui) -> new Range(null, lower, li, upper, ui));
        return Combinators.combine(
                partitionKeys(),
                Arbitraries.oneOf(prefixes, bounds),
                Arbitraries.of(true, false),
                limits(),
                sortKeys().injectNull(0.6)).<Operation>as(Read::new);
    }

    private static Arbitrary<Operation> scans() {
        return Combinators.combine(
                Arbitraries.of(1, 2, 3, 7),
                Arbitraries.integers().between(0, 6),
                partitionKeys().injectNull(0.5),
                sortKeys(),
                limits()).<Operation>as((total, segment, afterPk, afterSk, limits) -> new Scan(segment % total, total, afterPk, afterSk, limits));
    }

    private static Arbitrary<Operation> logOperations() {
        Arbitrary<Operation> reads = Combinators.combine(Arbitraries.longs().between(0, 12), Arbitraries.integers().between(1, 5)).<Operation>as(ReadLog::new);
        Arbitrary<Operation> trims = Arbitraries.longs().between(0, 12).<Operation>map(TrimLog::new);
        return Arbitraries.oneOf(reads, trims);
    }

    private static Arbitrary<Operation> metaOperations() {
        Arbitrary<String> keys = Arbitraries.strings().withChars('a', 'b', '/').ofMaxLength(3);
        Arbitrary<Operation> puts = Combinators.combine(keys, Arbitraries.strings().withChars('v').ofMaxLength(2).injectNull(0.3)).<Operation>as(PutMeta::new);
        Arbitrary<Operation> lists = keys.<Operation>map(ListMeta::new);
        return Arbitraries.oneOf(puts, lists);
    }
}

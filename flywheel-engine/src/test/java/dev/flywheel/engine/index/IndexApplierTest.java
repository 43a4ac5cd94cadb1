package dev.flywheel.engine.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.GlobalIndex;
import dev.flywheel.engine.table.KeyAttribute;
import dev.flywheel.engine.table.KeySchema;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.ReadLimits;
import dev.flywheel.storage.Row;
import dev.flywheel.storage.TreeMapStorage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The applier against an oracle: after a log of changes, the index holds exactly the entries of the
 * items as they end up; and applying any suffix of the log again (a crash before the checkpoint)
 * changes nothing.
 */
class IndexApplierTest {
    static final GlobalIndex INDEX = new GlobalIndex("by-g", 2,
            new KeySchema(new KeyAttribute("g", "S"), new KeyAttribute("r", "N")), GlobalIndex.INCLUDE, List.of("other"),
            0, 0, GlobalIndex.Status.ACTIVE);
    static final TableDefinition TABLE = new TableDefinition(1, "orders", "id", new KeyAttribute("pk", "S"), null,
            Map.of("pk", "S", "g", "S", "r", "N"), TableDefinition.PAY_PER_REQUEST, 0, 0, Instant.EPOCH, null, null,
            null, 0, false, TableDefinition.STANDARD, null, Map.of(), List.of(INDEX), List.of(), null,
            null, null);

    /** A write: the item pk becomes the given item, or is deleted (null). */
    record Op(String pk, Map<String, AttributeValue> item) {}

    @Provide
    Arbitrary<List<Op>> logs() {
        Arbitrary<String> pks = Arbitraries.of("a", "b", "c");
        // Index keys sometimes absent or of a type the index cannot hold (an item written before the index).
        Arbitrary<AttributeValue> g = Arbitraries.<AttributeValue>of(new AttributeValue.S("x"), new AttributeValue.S("y"),
                new AttributeValue.N("7"), new AttributeValue.S("")).injectNull(0.25);
        Arbitrary<AttributeValue> r = Arbitraries.<AttributeValue>of(new AttributeValue.N("1"), new AttributeValue.N("2")).injectNull(0.2);
        Arbitrary<AttributeValue> other = Arbitraries.<AttributeValue>of(new AttributeValue.S("o1"), new AttributeValue.S("o2")).injectNull(0.3);
        Arbitrary<Op> op = Combinators.combine(pks, g, r, other, Arbitraries.integers().between(0, 5)).as((pk, gv, rv, ov, dice) -> {
            if (dice == 0) return new Op(pk, null);
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            item.put("pk", new AttributeValue.S(pk));
            if (gv != null) item.put("g", gv);
            if (rv != null) item.put("r", rv);
            if (ov != null) item.put("other", ov);
            item.put("unprojected", new AttributeValue.S("u" + dice));
            return new Op(pk, item);
        });
        return op.list().ofMaxSize(30);
    }

    @Property(tries = 500)
    void theIndexHoldsTheEntriesOfTheFinalItemsAndReplayChangesNothing(@ForAll("logs") List<Op> ops,
                                                                        @ForAll @IntRange(min = 0, max = 30) int replayFrom) {
        List<IndexChange> log = new ArrayList<>();
        Map<String, byte[]> items = new HashMap<>();
        for (Op op : ops) {
            byte[] old = items.get(op.pk());
            byte[] updated = op.item() == null ? null : ItemCodec.encode(op.item());
            if (old == null && updated == null) continue;  // deleting nothing writes nothing
            if (updated == null) items.remove(op.pk()); else items.put(op.pk(), updated);
            log.add(IndexChange.decode(IndexChange.of(old, updated).encode()));
        }
        TreeMapStorage storage = new TreeMapStorage();
        IndexApplier applier = new IndexApplier(storage);
        for (IndexChange change : log) applier.apply(TABLE, change);
        TreeSet<String> applied = rows(storage);

        TreeSet<String> expected = new TreeSet<>();
        for (byte[] item : items.values()) {
            IndexEntry entry = IndexEntry.of(storage, TABLE, INDEX, ItemCodec.decode(item));
            if (entry != null) expected.add(row(entry.partitionKey(), entry.sortKey(), ItemCodec.encode(entry.item())));
        }
        assertThat(applied).isEqualTo(expected);

        for (IndexChange change : log.subList(Math.min(replayFrom, log.size()), log.size())) applier.apply(TABLE, change);
        assertThat(rows(storage)).isEqualTo(applied);
    }

    @Property(tries = 200)
    void aBackfillRecordPutsTheEntryEvenWhenNothingChanged(@ForAll("logs") List<Op> ops) {
        TreeMapStorage storage = new TreeMapStorage();
        IndexApplier applier = new IndexApplier(storage);
        for (Op op : ops) {
            if (op.item() == null) continue;
            byte[] item = ItemCodec.encode(op.item());
            applier.apply(TABLE, IndexChange.decode(IndexChange.backfill(INDEX.storageId(), item).encode()));
            IndexEntry entry = IndexEntry.of(storage, TABLE, INDEX, op.item());
            if (entry != null) {
                assertThat(storage.get(INDEX.storageId(), entry.partitionKey(), entry.sortKey()))
                        .isEqualTo(ItemCodec.encode(entry.item()));
            }
        }
    }

    private static TreeSet<String> rows(TreeMapStorage storage) {
        TreeSet<String> rows = new TreeSet<>();
        for (Row row : storage.scan(INDEX.storageId(), 0, 1, null, ReadLimits.NONE).rows()) {
            rows.add(row(row.partitionKey(), row.sortKey(), row.value()));
        }
        return rows;
    }

    private static String row(byte[] partitionKey, byte[] sortKey, byte[] value) {
        HexFormat hex = HexFormat.of();
        return hex.formatHex(partitionKey) + "/" + hex.formatHex(sortKey) + "=" + hex.formatHex(value);
    }
}

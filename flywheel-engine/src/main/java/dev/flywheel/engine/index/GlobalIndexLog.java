package dev.flywheel.engine.index;

import dev.flywheel.engine.item.ChangeOrigin;
import dev.flywheel.engine.item.ItemChangeLog;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.storage.DerivedRecord;
import java.util.List;

/**
 * The {@link ItemChangeLog} of global secondary indexes: a write to a table that has any appends one
 * {@link IndexChange} with the old and new item to the table's log {@code gsi/<table storage id>},
 * which {@link IndexMaintenance} applies. The whole items are logged, not what today's indexes
 * project of them, so the record serves whatever indexes the table has when it is applied (one added
 * since included).
 */
public final class GlobalIndexLog implements ItemChangeLog {
    private final IndexMaintenance maintenance;

    public GlobalIndexLog(IndexMaintenance maintenance) {
        this.maintenance = maintenance;
    }

    /** The name of a table's log. Persisted (storage keeps logs by name): never change it. */
    static String name(long tableStorageId) {
        return "gsi/" + tableStorageId;
    }

    @Override
    public List<DerivedRecord> records(TableDefinition table, byte[] oldItem, byte[] newItem, ChangeOrigin origin) {
        if (table.globalIndexes().isEmpty()) return List.of();
        return List.of(new DerivedRecord(name(table.id()), IndexChange.of(oldItem, newItem).encode()));
    }

    @Override
    public void appended(TableDefinition table) {
        maintenance.appended(table.id());
    }
}

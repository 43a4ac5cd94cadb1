package dev.flywheel.engine.item;

import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.storage.DerivedRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * What an item write derives (DESIGN.md: GSI entries today, stream records later), as records that
 * storage appends to their logs atomically with the write. Implementations are thread-safe.
 */
public interface ItemChangeLog {
    /** Derives nothing: for engines and tests without indexes. */
    ItemChangeLog NONE = new ItemChangeLog() {
        @Override public List<DerivedRecord> records(TableDefinition table, byte[] oldItem, byte[] newItem,
                                                     ChangeOrigin origin) { return List.of(); }
        @Override public void appended(TableDefinition table) { }
    };

    /**
     * The records for one change of an item, from {@code oldItem} to {@code newItem} (stored forms,
     * {@link ItemCodec}; null when absent; never equal), under {@code table}'s current definition.
     * Empty when nothing derives from the change.
     */
    List<DerivedRecord> records(TableDefinition table, byte[] oldItem, byte[] newItem, ChangeOrigin origin);

    /** Called once a write that carried records is applied, so their consumers can be woken. */
    void appended(TableDefinition table);

    /** Every record of each of {@code logs}, in that order. */
    static ItemChangeLog all(List<ItemChangeLog> logs) {
        List<ItemChangeLog> each = List.copyOf(logs);
        return new ItemChangeLog() {
            @Override
            public List<DerivedRecord> records(TableDefinition table, byte[] oldItem, byte[] newItem, ChangeOrigin origin) {
                List<DerivedRecord> records = List.of();
                for (ItemChangeLog log : each) {
                    List<DerivedRecord> more = log.records(table, oldItem, newItem, origin);
                    if (more.isEmpty()) continue;
                    if (records.isEmpty()) {
                        records = more;
                    } else {
                        records = new ArrayList<>(records);
                        records.addAll(more);
                    }
                }
                return records;
            }

            @Override
            public void appended(TableDefinition table) {
                for (ItemChangeLog log : each) log.appended(table);
            }
        };
    }
}

package dev.flywheel.engine.stream;

import dev.flywheel.engine.item.ChangeOrigin;
import dev.flywheel.engine.item.ItemChangeLog;
import dev.flywheel.engine.item.ItemCodec;
import dev.flywheel.engine.table.StreamCatalog;
import dev.flywheel.engine.table.StreamSettings;
import dev.flywheel.engine.table.TableDefinition;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.storage.DerivedRecord;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@link ItemChangeLog} of DynamoDB Streams: a write to a table whose stream is enabled appends
 * one {@link StreamChange} to the stream's log, in the same atomic storage write as the item, so each
 * change appears exactly once and in the item's order, also after a crash. A write that changes
 * nothing is never logged (the item store derives nothing from it), as DynamoDB writes no record then.
 */
public final class StreamLog implements ItemChangeLog {
    private final Clock clock;

    public StreamLog(Clock clock) {
        this.clock = clock;
    }

    @Override
    public List<DerivedRecord> records(TableDefinition table, byte[] oldItem, byte[] newItem, ChangeOrigin origin) {
        if (!table.hasEnabledStream()) return List.of();
        StreamSettings stream = table.stream();
        Set<String> keyNames = new HashSet<>(2);
        for (var key : table.keyAttributes()) keyNames.add(key.name());
        Map<String, AttributeValue> keys = ItemCodec.decode(newItem != null ? newItem : oldItem, keyNames);
        StreamChange change = new StreamChange(oldItem != null, newItem != null, origin == ChangeOrigin.TIME_TO_LIVE,
                clock.millis(), ItemCodec.encode(keys),
                stream.keepsOldImage() ? oldItem : null,
                stream.keepsNewImage() ? newItem : null);
        return List.of(new DerivedRecord(StreamCatalog.logName(stream.logId()), change.encode()));
    }

    @Override
    public void appended(TableDefinition table) {
        // Readers poll with GetRecords: nobody to wake.
    }
}

package dev.flywheel.engine.capacity;

import dev.flywheel.model.shapes.Capacity;
import dev.flywheel.model.shapes.ConsumedCapacity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the ConsumedCapacity a response carries for its ReturnConsumedCapacity: nothing for NONE
 * (or absent), the total for TOTAL, the total and the table's share for INDEXES.
 */
public final class ConsumedCapacities {
    private ConsumedCapacities() {}

    public static ConsumedCapacity read(String returnConsumedCapacity, String tableName, double units) {
        return build(returnConsumedCapacity, tableName, units, true);
    }

    /** A read of a global secondary index: with INDEXES, the units are the index's, none the table's. */
    public static ConsumedCapacity readIndex(String returnConsumedCapacity, String tableName, String indexName, double units) {
        ConsumedCapacity total = build(returnConsumedCapacity, tableName, units, true);
        if (total == null || !returnConsumedCapacity.equals("INDEXES")) return total;
        return total.toBuilder()
                .table(Capacity.builder().capacityUnits(0.0).readCapacityUnits(0.0).build())
                .globalSecondaryIndexes(java.util.Map.of(indexName,
                        Capacity.builder().capacityUnits(units).readCapacityUnits(units).build()))
                .build();
    }

    /**
     * A read of a local secondary index that fetched unprojected attributes from the table: the index's
     * units plus the fetches' ({@code tableUnits}), which INDEXES shows as the table's share.
     */
    public static ConsumedCapacity readLocalIndex(String returnConsumedCapacity, String tableName, String indexName,
                                                  double indexUnits, double tableUnits) {
        ConsumedCapacity total = build(returnConsumedCapacity, tableName, indexUnits + tableUnits, true);
        if (total == null || !returnConsumedCapacity.equals("INDEXES")) return total;
        return total.toBuilder()
                .table(Capacity.builder().capacityUnits(tableUnits).readCapacityUnits(tableUnits).build())
                .localSecondaryIndexes(java.util.Map.of(indexName,
                        Capacity.builder().capacityUnits(indexUnits).readCapacityUnits(indexUnits).build()))
                .build();
    }

    /**
     * A write to a table with local secondary indexes: the table's units plus each index's
     * ({@code indexUnits}, by index name), which INDEXES shows apart.
     */
    public static ConsumedCapacity writeWithLocalIndexes(String returnConsumedCapacity, String tableName, double tableUnits,
                                                         Map<String, Double> indexUnits) {
        if (indexUnits.isEmpty()) return write(returnConsumedCapacity, tableName, tableUnits);
        double total = tableUnits;
        for (double units : indexUnits.values()) total += units;
        ConsumedCapacity consumed = build(returnConsumedCapacity, tableName, total, false);
        if (consumed == null || !returnConsumedCapacity.equals("INDEXES")) return consumed;
        Map<String, Capacity> indexes = new LinkedHashMap<>();
        indexUnits.forEach((name, units) -> indexes.put(name,
                Capacity.builder().capacityUnits(units).writeCapacityUnits(units).build()));
        return consumed.toBuilder()
                .table(Capacity.builder().capacityUnits(tableUnits).writeCapacityUnits(tableUnits).build())
                .localSecondaryIndexes(indexes)
                .build();
    }

    public static ConsumedCapacity write(String returnConsumedCapacity, String tableName, double units) {
        return build(returnConsumedCapacity, tableName, units, false);
    }

    private static ConsumedCapacity build(String mode, String tableName, double units, boolean read) {
        if (mode == null || mode.equals("NONE")) return null;
        ConsumedCapacity.Builder b = ConsumedCapacity.builder().tableName(tableName).capacityUnits(units);
        if (read) b.readCapacityUnits(units); else b.writeCapacityUnits(units);
        if (mode.equals("INDEXES")) {
            Capacity.Builder table = Capacity.builder().capacityUnits(units);
            if (read) table.readCapacityUnits(units); else table.writeCapacityUnits(units);
            b.table(table.build());
        }
        return b.build();
    }
}

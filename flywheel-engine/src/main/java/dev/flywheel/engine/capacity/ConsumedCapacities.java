package dev.flywheel.engine.capacity;

import dev.flywheel.model.shapes.Capacity;
import dev.flywheel.model.shapes.ConsumedCapacity;

/**
 * Builds the ConsumedCapacity a response carries for its ReturnConsumedCapacity: nothing for NONE
 * (or absent), the total for TOTAL, the total and the table's share for INDEXES.
 */
public final class ConsumedCapacities {
    private ConsumedCapacities() {}

    public static ConsumedCapacity read(String returnConsumedCapacity, String tableName, double units) {
        return build(returnConsumedCapacity, tableName, units, true);
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

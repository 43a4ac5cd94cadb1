package dev.flywheel.engine.item;

import dev.flywheel.model.DynamoDbException.ValidationException;
/** The ReturnValues options, and which an operation allows. */
enum ReturnValues {
    NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW;

    /**
     * The option requested (NONE when absent), if the operation allows it; DynamoDB answers
     * "ReturnValues can only be ALL_OLD or NONE" for the operations that allow only those (PutItem,
     * DeleteItem); every other value was already refused by the service model's enum.
     */
    static ReturnValues parse(String requested, ReturnValues... allowed) {
        if (requested == null) return NONE;
        for (ReturnValues r : allowed) {
            if (r.name().equals(requested)) return r;
        }
        throw new ValidationException("ReturnValues can only be ALL_OLD or NONE");
    }

}

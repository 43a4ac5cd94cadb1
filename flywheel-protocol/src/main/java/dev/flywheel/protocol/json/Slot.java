package dev.flywheel.protocol.json;

/**
 * Where a structure sits in the JSON, which decides how DynamoDB words a scalar found in its place:
 * "Unexpected field type" for a member of a structure, "Unexpected value type in payload" for a list
 * element, a map value or the whole body.
 */
enum Slot {
    MEMBER,
    VALUE
}

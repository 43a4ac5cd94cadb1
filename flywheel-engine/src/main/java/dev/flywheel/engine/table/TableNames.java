package dev.flywheel.engine.table;

import dev.flywheel.model.DynamoDbException.ValidationException;
import java.util.regex.Pattern;

/**
 * DynamoDB's rules for table names: 3 to 255 characters of {@code [a-zA-Z0-9_.-]}. The service
 * model now types most TableName members as "name or ARN" (1 to 1024 characters, no pattern), so
 * the engine checks a name that is not an ARN itself, with DynamoDB's messages.
 */
final class TableNames {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");

    private TableNames() {}

    static void validate(String name) {
        if (name.length() < 3 || name.length() > 255) {
            throw new ValidationException("TableName must be at least 3 characters long and at most 255 characters long");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ValidationException("1 validation error detected: Value '" + name + "' at 'tableName' failed to"
                    + " satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        }
    }
}

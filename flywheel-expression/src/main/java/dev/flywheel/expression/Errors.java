package dev.flywheel.expression;

import dev.flywheel.model.DynamoDbException.ValidationException;

/** Builds DynamoDB's validation errors about an expression, all prefixed "Invalid &lt;Parameter&gt;: ". */
final class Errors {
    private Errors() {}

    static ValidationException invalid(ExpressionKind kind, String message) {
        return new ValidationException("Invalid " + kind.parameterName() + ": " + message);
    }

    /** A runtime error of an update, which DynamoDB reports without the "Invalid ..." prefix. */
    static ValidationException update(String message) {
        return new ValidationException(message);
    }

    static final String INVALID_PATH_FOR_UPDATE = "The document path provided in the update expression is invalid for update";
    static final String INCORRECT_DATA_TYPE = "An operand in the update expression has an incorrect data type";
    static final String MISSING_ATTRIBUTE = "The provided expression refers to an attribute that does not exist in the item";
}

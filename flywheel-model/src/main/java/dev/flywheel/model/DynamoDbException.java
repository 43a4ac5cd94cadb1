package dev.flywheel.model;

import dev.flywheel.model.shapes.CancellationReason;
import java.util.List;
import java.util.Map;

/**
 * Every error Flywheel answers, one final subclass per DynamoDB error type. Each carries its wire
 * {@code __type} and HTTP status; the protocol layer renders them in one exhaustive switch.
 *
 * <p>Client errors (status 4xx) skip the stack trace: they are expected outcomes, and filling it in
 * costs more than the rest of a failed request. The {@code __type} prefixes are the ones DynamoDB
 * answers with: {@code com.amazon.coral.validate#} for validation, {@code com.amazon.coral.service#}
 * for errors of the service framework (serialization, authentication), and
 * {@code com.amazonaws.dynamodb.v20120810#} for DynamoDB's own.
 *
 * <p>This file is written by {@code tools/codegen/generate_errors.py} from the service model; edit
 * the generator, not the file.
 */
public abstract sealed class DynamoDbException extends RuntimeException {
    private static final String DYNAMODB = "com.amazonaws.dynamodb.v20120810#";

    private final String type;
    private final int status;

    private DynamoDbException(String typePrefix, String name, int status, String message) {
        super(message, null, false, status >= 500);
        this.type = typePrefix + name;
        this.status = status;
    }

    /** The full {@code __type}, e.g. {@code com.amazon.coral.validate#ValidationException}. */
    public String type() { return type; }

    /** The short error code SDKs match on, e.g. {@code ValidationException}. */
    public String code() { return type.substring(type.indexOf('#') + 1); }

    public int status() { return status; }

    public static final class AccessDeniedException extends DynamoDbException {
        public AccessDeniedException(String message) { super("com.amazon.coral.service#", "AccessDeniedException", 400, message); }
    }

    public static final class BackupInUseException extends DynamoDbException {
        public BackupInUseException(String message) { super(DYNAMODB, "BackupInUseException", 400, message); }
    }

    public static final class BackupNotFoundException extends DynamoDbException {
        public BackupNotFoundException(String message) { super(DYNAMODB, "BackupNotFoundException", 400, message); }
    }

    /** A condition failed; {@link #item()} is the item as it was, when the request asked for it. */
    public static final class ConditionalCheckFailedException extends DynamoDbException {
        private final Map<String, AttributeValue> item;
        public ConditionalCheckFailedException(String message) { this(message, null); }
        public ConditionalCheckFailedException(String message, Map<String, AttributeValue> item) {
            super(DYNAMODB, "ConditionalCheckFailedException", 400, message);
            this.item = item;
        }
        /** The item's attributes, or null when ReturnValuesOnConditionCheckFailure was not ALL_OLD. */
        public Map<String, AttributeValue> item() { return item; }
    }

    public static final class ContinuousBackupsUnavailableException extends DynamoDbException {
        public ContinuousBackupsUnavailableException(String message) { super(DYNAMODB, "ContinuousBackupsUnavailableException", 400, message); }
    }

    public static final class DuplicateItemException extends DynamoDbException {
        public DuplicateItemException(String message) { super(DYNAMODB, "DuplicateItemException", 400, message); }
    }

    public static final class ExpiredIteratorException extends DynamoDbException {
        public ExpiredIteratorException(String message) { super(DYNAMODB, "ExpiredIteratorException", 400, message); }
    }

    public static final class ExportConflictException extends DynamoDbException {
        public ExportConflictException(String message) { super(DYNAMODB, "ExportConflictException", 400, message); }
    }

    public static final class ExportNotFoundException extends DynamoDbException {
        public ExportNotFoundException(String message) { super(DYNAMODB, "ExportNotFoundException", 400, message); }
    }

    public static final class GlobalTableAlreadyExistsException extends DynamoDbException {
        public GlobalTableAlreadyExistsException(String message) { super(DYNAMODB, "GlobalTableAlreadyExistsException", 400, message); }
    }

    public static final class GlobalTableNotFoundException extends DynamoDbException {
        public GlobalTableNotFoundException(String message) { super(DYNAMODB, "GlobalTableNotFoundException", 400, message); }
    }

    public static final class IdempotentParameterMismatchException extends DynamoDbException {
        public IdempotentParameterMismatchException(String message) { super(DYNAMODB, "IdempotentParameterMismatchException", 400, message); }
    }

    public static final class ImportConflictException extends DynamoDbException {
        public ImportConflictException(String message) { super(DYNAMODB, "ImportConflictException", 400, message); }
    }

    public static final class ImportNotFoundException extends DynamoDbException {
        public ImportNotFoundException(String message) { super(DYNAMODB, "ImportNotFoundException", 400, message); }
    }

    public static final class IncompleteSignatureException extends DynamoDbException {
        public IncompleteSignatureException(String message) { super("com.amazon.coral.service#", "IncompleteSignatureException", 400, message); }
    }

    public static final class IndexNotFoundException extends DynamoDbException {
        public IndexNotFoundException(String message) { super(DYNAMODB, "IndexNotFoundException", 400, message); }
    }

    public static final class InternalServerError extends DynamoDbException {
        public InternalServerError(String message) { super(DYNAMODB, "InternalServerError", 500, message); }
    }

    public static final class InvalidExportTimeException extends DynamoDbException {
        public InvalidExportTimeException(String message) { super(DYNAMODB, "InvalidExportTimeException", 400, message); }
    }

    public static final class InvalidRestoreTimeException extends DynamoDbException {
        public InvalidRestoreTimeException(String message) { super(DYNAMODB, "InvalidRestoreTimeException", 400, message); }
    }

    public static final class InvalidSignatureException extends DynamoDbException {
        public InvalidSignatureException(String message) { super("com.amazon.coral.service#", "InvalidSignatureException", 400, message); }
    }

    public static final class ItemCollectionSizeLimitExceededException extends DynamoDbException {
        public ItemCollectionSizeLimitExceededException(String message) { super(DYNAMODB, "ItemCollectionSizeLimitExceededException", 400, message); }
    }

    public static final class LimitExceededException extends DynamoDbException {
        public LimitExceededException(String message) { super(DYNAMODB, "LimitExceededException", 400, message); }
    }

    public static final class MissingAuthenticationTokenException extends DynamoDbException {
        public MissingAuthenticationTokenException(String message) { super("com.amazon.coral.service#", "MissingAuthenticationTokenException", 400, message); }
    }

    public static final class PointInTimeRecoveryUnavailableException extends DynamoDbException {
        public PointInTimeRecoveryUnavailableException(String message) { super(DYNAMODB, "PointInTimeRecoveryUnavailableException", 400, message); }
    }

    public static final class PolicyNotFoundException extends DynamoDbException {
        public PolicyNotFoundException(String message) { super(DYNAMODB, "PolicyNotFoundException", 400, message); }
    }

    public static final class ProvisionedThroughputExceededException extends DynamoDbException {
        public ProvisionedThroughputExceededException(String message) { super(DYNAMODB, "ProvisionedThroughputExceededException", 400, message); }
    }

    public static final class ReplicaAlreadyExistsException extends DynamoDbException {
        public ReplicaAlreadyExistsException(String message) { super(DYNAMODB, "ReplicaAlreadyExistsException", 400, message); }
    }

    public static final class ReplicaNotFoundException extends DynamoDbException {
        public ReplicaNotFoundException(String message) { super(DYNAMODB, "ReplicaNotFoundException", 400, message); }
    }

    public static final class ReplicatedWriteConflictException extends DynamoDbException {
        public ReplicatedWriteConflictException(String message) { super(DYNAMODB, "ReplicatedWriteConflictException", 400, message); }
    }

    public static final class RequestEntityTooLargeException extends DynamoDbException {
        public RequestEntityTooLargeException(String message) { super("com.amazon.coral.service#", "RequestEntityTooLargeException", 413, message); }
    }

    public static final class RequestLimitExceeded extends DynamoDbException {
        public RequestLimitExceeded(String message) { super(DYNAMODB, "RequestLimitExceeded", 400, message); }
    }

    public static final class ResourceInUseException extends DynamoDbException {
        public ResourceInUseException(String message) { super(DYNAMODB, "ResourceInUseException", 400, message); }
    }

    public static final class ResourceNotFoundException extends DynamoDbException {
        public ResourceNotFoundException(String message) { super(DYNAMODB, "ResourceNotFoundException", 400, message); }
    }

    public static final class SerializationException extends DynamoDbException {
        public SerializationException(String message) { super("com.amazon.coral.service#", "SerializationException", 400, message); }
    }

    public static final class ServiceUnavailableException extends DynamoDbException {
        public ServiceUnavailableException(String message) { super("com.amazon.coral.availability#", "ServiceUnavailableException", 503, message); }
    }

    public static final class TableAlreadyExistsException extends DynamoDbException {
        public TableAlreadyExistsException(String message) { super(DYNAMODB, "TableAlreadyExistsException", 400, message); }
    }

    public static final class TableInUseException extends DynamoDbException {
        public TableInUseException(String message) { super(DYNAMODB, "TableInUseException", 400, message); }
    }

    public static final class TableNotFoundException extends DynamoDbException {
        public TableNotFoundException(String message) { super(DYNAMODB, "TableNotFoundException", 400, message); }
    }

    public static final class ThrottlingException extends DynamoDbException {
        public ThrottlingException(String message) { super(DYNAMODB, "ThrottlingException", 400, message); }
    }

    /**
     * A transaction was cancelled; {@link #cancellationReasons()} holds one reason per action, in
     * request order (Code "None" for the actions that did not cause it), as DynamoDB sends them.
     */
    public static final class TransactionCanceledException extends DynamoDbException {
        private final List<CancellationReason> cancellationReasons;
        public TransactionCanceledException(String message) { this(message, null); }
        public TransactionCanceledException(String message, List<CancellationReason> cancellationReasons) {
            super(DYNAMODB, "TransactionCanceledException", 400, message);
            this.cancellationReasons = cancellationReasons == null ? null : List.copyOf(cancellationReasons);
        }
        /** One reason per action of the request, or null when there are none to report. */
        public List<CancellationReason> cancellationReasons() { return cancellationReasons; }
    }

    public static final class TransactionConflictException extends DynamoDbException {
        public TransactionConflictException(String message) { super(DYNAMODB, "TransactionConflictException", 400, message); }
    }

    public static final class TransactionInProgressException extends DynamoDbException {
        public TransactionInProgressException(String message) { super(DYNAMODB, "TransactionInProgressException", 400, message); }
    }

    public static final class TrimmedDataAccessException extends DynamoDbException {
        public TrimmedDataAccessException(String message) { super(DYNAMODB, "TrimmedDataAccessException", 400, message); }
    }

    public static final class UnknownOperationException extends DynamoDbException {
        public UnknownOperationException(String message) { super("com.amazon.coral.service#", "UnknownOperationException", 400, message); }
    }

    public static final class UnrecognizedClientException extends DynamoDbException {
        public UnrecognizedClientException(String message) { super("com.amazon.coral.service#", "UnrecognizedClientException", 400, message); }
    }

    public static final class ValidationException extends DynamoDbException {
        public ValidationException(String message) { super("com.amazon.coral.validate#", "ValidationException", 400, message); }
    }
}

package dev.flywheel.protocol.json;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.*;
import dev.flywheel.model.shapes.CancellationReason;
import java.util.List;
import java.util.Map;

/**
 * Reads an error response body ({@code {"__type":"...","message":"..."}}) back into the
 * {@link DynamoDbException} it renders, for a client of a remote endpoint: the inverse of
 * {@link ErrorJson}. The message is read under either spelling ({@code message}, {@code Message}),
 * as the SDKs do; the extras (a failed condition's {@code Item}, a cancelled transaction's
 * {@code CancellationReasons}) come along.
 *
 * <p>Stateless and thread-safe.
 */
public final class ErrorJsonReader {
    private ErrorJsonReader() {}

    /** What was read: the short error code, the message, and the extras (null when absent). */
    private record Body(String code, String message, Map<String, AttributeValue> item, List<CancellationReason> reasons) {}

    /**
     * The error {@code body[offset, offset+length)} describes, or null when it is not an error body of
     * the AWS JSON protocol (not JSON, no {@code __type}, or a type this model does not know).
     */
    public static DynamoDbException read(byte[] body, int offset, int length) {
        Body read;
        try {
            read = new JsonInput(body, offset, length).readDocument(ErrorJsonReader::readBody);
        } catch (DynamoDbException notAnErrorBody) {
            return null;
        }
        return read == null || read.code() == null ? null : toException(read);
    }

    private static Body readBody(JsonInput in) throws java.io.IOException {
        if (!in.startStructure(Slot.VALUE, "error")) {
            return null;
        }
        String type = null;
        String message = null;
        Map<String, AttributeValue> item = null;
        List<CancellationReason> reasons = null;
        for (String member = in.nextMember(); member != null; member = in.nextMember()) {
            switch (member) {
                case "__type" -> type = in.readString();
                case "message", "Message" -> message = in.readString();
                case "Item" -> item = in.readMap("AttributeValue", AttributeValueJson::readValue);
                case "CancellationReasons" -> reasons = in.readList(r -> CancellationReasonJson.read(r, Slot.VALUE));
                default -> in.skipValue();
            }
        }
        // "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" -> "ResourceNotFoundException"
        String code = type == null ? null : type.substring(type.indexOf('#') + 1);
        return new Body(code, message, item, reasons);
    }

    /** One case per error the model has; null for any other code. */
    private static DynamoDbException toException(Body b) {
        String m = b.message();
        return switch (b.code()) {
            case "AccessDeniedException" -> new AccessDeniedException(m);
            case "BackupInUseException" -> new BackupInUseException(m);
            case "BackupNotFoundException" -> new BackupNotFoundException(m);
            case "ConditionalCheckFailedException" -> new ConditionalCheckFailedException(m, b.item());
            case "ContinuousBackupsUnavailableException" -> new ContinuousBackupsUnavailableException(m);
            case "DuplicateItemException" -> new DuplicateItemException(m);
            case "ExpiredIteratorException" -> new ExpiredIteratorException(m);
            case "ExportConflictException" -> new ExportConflictException(m);
            case "ExportNotFoundException" -> new ExportNotFoundException(m);
            case "GlobalTableAlreadyExistsException" -> new GlobalTableAlreadyExistsException(m);
            case "GlobalTableNotFoundException" -> new GlobalTableNotFoundException(m);
            case "IdempotentParameterMismatchException" -> new IdempotentParameterMismatchException(m);
            case "ImportConflictException" -> new ImportConflictException(m);
            case "ImportNotFoundException" -> new ImportNotFoundException(m);
            case "IncompleteSignatureException" -> new IncompleteSignatureException(m);
            case "IndexNotFoundException" -> new IndexNotFoundException(m);
            case "InternalServerError" -> new InternalServerError(m);
            case "InvalidExportTimeException" -> new InvalidExportTimeException(m);
            case "InvalidRestoreTimeException" -> new InvalidRestoreTimeException(m);
            case "InvalidSignatureException" -> new InvalidSignatureException(m);
            case "ItemCollectionSizeLimitExceededException" -> new ItemCollectionSizeLimitExceededException(m);
            case "LimitExceededException" -> new LimitExceededException(m);
            case "MissingAuthenticationTokenException" -> new MissingAuthenticationTokenException(m);
            case "PointInTimeRecoveryUnavailableException" -> new PointInTimeRecoveryUnavailableException(m);
            case "PolicyNotFoundException" -> new PolicyNotFoundException(m);
            case "ProvisionedThroughputExceededException" -> new ProvisionedThroughputExceededException(m);
            case "ReplicaAlreadyExistsException" -> new ReplicaAlreadyExistsException(m);
            case "ReplicaNotFoundException" -> new ReplicaNotFoundException(m);
            case "ReplicatedWriteConflictException" -> new ReplicatedWriteConflictException(m);
            case "RequestEntityTooLargeException" -> new RequestEntityTooLargeException(m);
            case "RequestLimitExceeded" -> new RequestLimitExceeded(m);
            case "ResourceInUseException" -> new ResourceInUseException(m);
            case "ResourceNotFoundException" -> new ResourceNotFoundException(m);
            case "SerializationException" -> new SerializationException(m);
            case "ServiceUnavailableException" -> new ServiceUnavailableException(m);
            case "TableAlreadyExistsException" -> new TableAlreadyExistsException(m);
            case "TableInUseException" -> new TableInUseException(m);
            case "TableNotFoundException" -> new TableNotFoundException(m);
            case "ThrottlingException" -> new ThrottlingException(m);
            case "TransactionCanceledException" -> new TransactionCanceledException(m, b.reasons());
            case "TransactionConflictException" -> new TransactionConflictException(m);
            case "TransactionInProgressException" -> new TransactionInProgressException(m);
            case "TrimmedDataAccessException" -> new TrimmedDataAccessException(m);
            case "UnknownOperationException" -> new UnknownOperationException(m);
            case "UnrecognizedClientException" -> new UnrecognizedClientException(m);
            case "ValidationException" -> new ValidationException(m);
            default -> null;
        };
    }
}

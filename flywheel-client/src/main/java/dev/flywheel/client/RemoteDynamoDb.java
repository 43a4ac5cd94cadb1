package dev.flywheel.client;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.*;
import dev.flywheel.protocol.json.DynamoDbOperations;
import dev.flywheel.protocol.json.Operation;
import java.time.Clock;

/**
 * DynamoDB's API answered by a remote endpoint: every operation is written with the protocol's codec,
 * signed with the accelerator's credentials, posted to the {@link Target}, and its answer read back;
 * the target's errors are thrown as the same {@link DynamoDbException}s.
 *
 * <p>No validation happens here: the target validates, and its errors pass through unchanged.
 * Thread-safe.
 */
public final class RemoteDynamoDb implements DynamoDbApi {
    private final RemoteEndpoint endpoint;

    public RemoteDynamoDb(Target target) {
        this(target, Clock.systemUTC());
    }

    RemoteDynamoDb(Target target, Clock clock) {
        this.endpoint = new RemoteEndpoint(target.endpoint(), "DynamoDB_20120810", target.signer(),
                target.connectTimeout(), target.requestTimeout(), clock);
    }

    /** Posts {@code request} as {@code operation} and reads the answer. */
    @SuppressWarnings("unchecked")
    private <I, O> O call(String operation, I request) {
        Operation<DynamoDbApi, I, O> op = (Operation<DynamoDbApi, I, O>) DynamoDbOperations.named(operation);
        byte[] answer = endpoint.post(operation, op.writeInput(request));
        return op.readOutput(answer, 0, answer.length);
    }

    @Override
    public BatchExecuteStatementOutput batchExecuteStatement(BatchExecuteStatementInput request) {
        return call("BatchExecuteStatement", request);
    }

    @Override
    public BatchGetItemOutput batchGetItem(BatchGetItemInput request) {
        return call("BatchGetItem", request);
    }

    @Override
    public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) {
        return call("BatchWriteItem", request);
    }

    @Override
    public CreateBackupOutput createBackup(CreateBackupInput request) {
        return call("CreateBackup", request);
    }

    @Override
    public CreateGlobalTableOutput createGlobalTable(CreateGlobalTableInput request) {
        return call("CreateGlobalTable", request);
    }

    @Override
    public CreateTableOutput createTable(CreateTableInput request) {
        return call("CreateTable", request);
    }

    @Override
    public DeleteBackupOutput deleteBackup(DeleteBackupInput request) {
        return call("DeleteBackup", request);
    }

    @Override
    public DeleteItemOutput deleteItem(DeleteItemInput request) {
        return call("DeleteItem", request);
    }

    @Override
    public DeleteResourcePolicyOutput deleteResourcePolicy(DeleteResourcePolicyInput request) {
        return call("DeleteResourcePolicy", request);
    }

    @Override
    public DeleteTableOutput deleteTable(DeleteTableInput request) {
        return call("DeleteTable", request);
    }

    @Override
    public DescribeBackupOutput describeBackup(DescribeBackupInput request) {
        return call("DescribeBackup", request);
    }

    @Override
    public DescribeContinuousBackupsOutput describeContinuousBackups(DescribeContinuousBackupsInput request) {
        return call("DescribeContinuousBackups", request);
    }

    @Override
    public DescribeContributorInsightsOutput describeContributorInsights(DescribeContributorInsightsInput request) {
        return call("DescribeContributorInsights", request);
    }

    @Override
    public DescribeEndpointsResponse describeEndpoints(DescribeEndpointsRequest request) {
        return call("DescribeEndpoints", request);
    }

    @Override
    public DescribeExportOutput describeExport(DescribeExportInput request) {
        return call("DescribeExport", request);
    }

    @Override
    public DescribeGlobalTableOutput describeGlobalTable(DescribeGlobalTableInput request) {
        return call("DescribeGlobalTable", request);
    }

    @Override
    public DescribeGlobalTableSettingsOutput describeGlobalTableSettings(DescribeGlobalTableSettingsInput request) {
        return call("DescribeGlobalTableSettings", request);
    }

    @Override
    public DescribeImportOutput describeImport(DescribeImportInput request) {
        return call("DescribeImport", request);
    }

    @Override
    public DescribeKinesisStreamingDestinationOutput describeKinesisStreamingDestination(DescribeKinesisStreamingDestinationInput request) {
        return call("DescribeKinesisStreamingDestination", request);
    }

    @Override
    public DescribeLimitsOutput describeLimits(DescribeLimitsInput request) {
        return call("DescribeLimits", request);
    }

    @Override
    public DescribeTableOutput describeTable(DescribeTableInput request) {
        return call("DescribeTable", request);
    }

    @Override
    public DescribeTableReplicaAutoScalingOutput describeTableReplicaAutoScaling(DescribeTableReplicaAutoScalingInput request) {
        return call("DescribeTableReplicaAutoScaling", request);
    }

    @Override
    public DescribeTimeToLiveOutput describeTimeToLive(DescribeTimeToLiveInput request) {
        return call("DescribeTimeToLive", request);
    }

    @Override
    public KinesisStreamingDestinationOutput disableKinesisStreamingDestination(KinesisStreamingDestinationInput request) {
        return call("DisableKinesisStreamingDestination", request);
    }

    @Override
    public KinesisStreamingDestinationOutput enableKinesisStreamingDestination(KinesisStreamingDestinationInput request) {
        return call("EnableKinesisStreamingDestination", request);
    }

    @Override
    public ExecuteStatementOutput executeStatement(ExecuteStatementInput request) {
        return call("ExecuteStatement", request);
    }

    @Override
    public ExecuteTransactionOutput executeTransaction(ExecuteTransactionInput request) {
        return call("ExecuteTransaction", request);
    }

    @Override
    public ExportTableToPointInTimeOutput exportTableToPointInTime(ExportTableToPointInTimeInput request) {
        return call("ExportTableToPointInTime", request);
    }

    @Override
    public GetItemOutput getItem(GetItemInput request) {
        return call("GetItem", request);
    }

    @Override
    public GetResourcePolicyOutput getResourcePolicy(GetResourcePolicyInput request) {
        return call("GetResourcePolicy", request);
    }

    @Override
    public ImportTableOutput importTable(ImportTableInput request) {
        return call("ImportTable", request);
    }

    @Override
    public ListBackupsOutput listBackups(ListBackupsInput request) {
        return call("ListBackups", request);
    }

    @Override
    public ListContributorInsightsOutput listContributorInsights(ListContributorInsightsInput request) {
        return call("ListContributorInsights", request);
    }

    @Override
    public ListExportsOutput listExports(ListExportsInput request) {
        return call("ListExports", request);
    }

    @Override
    public ListGlobalTablesOutput listGlobalTables(ListGlobalTablesInput request) {
        return call("ListGlobalTables", request);
    }

    @Override
    public ListImportsOutput listImports(ListImportsInput request) {
        return call("ListImports", request);
    }

    @Override
    public ListTablesOutput listTables(ListTablesInput request) {
        return call("ListTables", request);
    }

    @Override
    public ListTagsOfResourceOutput listTagsOfResource(ListTagsOfResourceInput request) {
        return call("ListTagsOfResource", request);
    }

    @Override
    public PutItemOutput putItem(PutItemInput request) {
        return call("PutItem", request);
    }

    @Override
    public PutResourcePolicyOutput putResourcePolicy(PutResourcePolicyInput request) {
        return call("PutResourcePolicy", request);
    }

    @Override
    public QueryOutput query(QueryInput request) {
        return call("Query", request);
    }

    @Override
    public RestoreTableFromBackupOutput restoreTableFromBackup(RestoreTableFromBackupInput request) {
        return call("RestoreTableFromBackup", request);
    }

    @Override
    public RestoreTableToPointInTimeOutput restoreTableToPointInTime(RestoreTableToPointInTimeInput request) {
        return call("RestoreTableToPointInTime", request);
    }

    @Override
    public ScanOutput scan(ScanInput request) {
        return call("Scan", request);
    }

    @Override
    public Void tagResource(TagResourceInput request) {
        return call("TagResource", request);
    }

    @Override
    public TransactGetItemsOutput transactGetItems(TransactGetItemsInput request) {
        return call("TransactGetItems", request);
    }

    @Override
    public TransactWriteItemsOutput transactWriteItems(TransactWriteItemsInput request) {
        return call("TransactWriteItems", request);
    }

    @Override
    public Void untagResource(UntagResourceInput request) {
        return call("UntagResource", request);
    }

    @Override
    public UpdateContinuousBackupsOutput updateContinuousBackups(UpdateContinuousBackupsInput request) {
        return call("UpdateContinuousBackups", request);
    }

    @Override
    public UpdateContributorInsightsOutput updateContributorInsights(UpdateContributorInsightsInput request) {
        return call("UpdateContributorInsights", request);
    }

    @Override
    public UpdateGlobalTableOutput updateGlobalTable(UpdateGlobalTableInput request) {
        return call("UpdateGlobalTable", request);
    }

    @Override
    public UpdateGlobalTableSettingsOutput updateGlobalTableSettings(UpdateGlobalTableSettingsInput request) {
        return call("UpdateGlobalTableSettings", request);
    }

    @Override
    public UpdateItemOutput updateItem(UpdateItemInput request) {
        return call("UpdateItem", request);
    }

    @Override
    public UpdateKinesisStreamingDestinationOutput updateKinesisStreamingDestination(UpdateKinesisStreamingDestinationInput request) {
        return call("UpdateKinesisStreamingDestination", request);
    }

    @Override
    public UpdateTableOutput updateTable(UpdateTableInput request) {
        return call("UpdateTable", request);
    }

    @Override
    public UpdateTableReplicaAutoScalingOutput updateTableReplicaAutoScaling(UpdateTableReplicaAutoScalingInput request) {
        return call("UpdateTableReplicaAutoScaling", request);
    }

    @Override
    public UpdateTimeToLiveOutput updateTimeToLive(UpdateTimeToLiveInput request) {
        return call("UpdateTimeToLive", request);
    }
}

package dev.flywheel.accelerator;

import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.shapes.*;
import java.util.Objects;

/**
 * A {@link DynamoDbApi} that hands every operation to another one unchanged: the base of decorators
 * that change only a few operations (the caching one). Thread-safe when the delegate is.
 */
class ForwardingDynamoDb implements DynamoDbApi {
    protected final DynamoDbApi delegate;

    ForwardingDynamoDb(DynamoDbApi delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public BatchExecuteStatementOutput batchExecuteStatement(BatchExecuteStatementInput request) {
        return delegate.batchExecuteStatement(request);
    }

    @Override
    public BatchGetItemOutput batchGetItem(BatchGetItemInput request) {
        return delegate.batchGetItem(request);
    }

    @Override
    public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) {
        return delegate.batchWriteItem(request);
    }

    @Override
    public CreateBackupOutput createBackup(CreateBackupInput request) {
        return delegate.createBackup(request);
    }

    @Override
    public CreateGlobalTableOutput createGlobalTable(CreateGlobalTableInput request) {
        return delegate.createGlobalTable(request);
    }

    @Override
    public CreateTableOutput createTable(CreateTableInput request) {
        return delegate.createTable(request);
    }

    @Override
    public DeleteBackupOutput deleteBackup(DeleteBackupInput request) {
        return delegate.deleteBackup(request);
    }

    @Override
    public DeleteItemOutput deleteItem(DeleteItemInput request) {
        return delegate.deleteItem(request);
    }

    @Override
    public DeleteResourcePolicyOutput deleteResourcePolicy(DeleteResourcePolicyInput request) {
        return delegate.deleteResourcePolicy(request);
    }

    @Override
    public DeleteTableOutput deleteTable(DeleteTableInput request) {
        return delegate.deleteTable(request);
    }

    @Override
    public DescribeBackupOutput describeBackup(DescribeBackupInput request) {
        return delegate.describeBackup(request);
    }

    @Override
    public DescribeContinuousBackupsOutput describeContinuousBackups(DescribeContinuousBackupsInput request) {
        return delegate.describeContinuousBackups(request);
    }

    @Override
    public DescribeContributorInsightsOutput describeContributorInsights(DescribeContributorInsightsInput request) {
        return delegate.describeContributorInsights(request);
    }

    @Override
    public DescribeEndpointsResponse describeEndpoints(DescribeEndpointsRequest request) {
        return delegate.describeEndpoints(request);
    }

    @Override
    public DescribeExportOutput describeExport(DescribeExportInput request) {
        return delegate.describeExport(request);
    }

    @Override
    public DescribeGlobalTableOutput describeGlobalTable(DescribeGlobalTableInput request) {
        return delegate.describeGlobalTable(request);
    }

    @Override
    public DescribeGlobalTableSettingsOutput describeGlobalTableSettings(DescribeGlobalTableSettingsInput request) {
        return delegate.describeGlobalTableSettings(request);
    }

    @Override
    public DescribeImportOutput describeImport(DescribeImportInput request) {
        return delegate.describeImport(request);
    }

    @Override
    public DescribeKinesisStreamingDestinationOutput describeKinesisStreamingDestination(DescribeKinesisStreamingDestinationInput request) {
        return delegate.describeKinesisStreamingDestination(request);
    }

    @Override
    public DescribeLimitsOutput describeLimits(DescribeLimitsInput request) {
        return delegate.describeLimits(request);
    }

    @Override
    public DescribeTableOutput describeTable(DescribeTableInput request) {
        return delegate.describeTable(request);
    }

    @Override
    public DescribeTableReplicaAutoScalingOutput describeTableReplicaAutoScaling(DescribeTableReplicaAutoScalingInput request) {
        return delegate.describeTableReplicaAutoScaling(request);
    }

    @Override
    public DescribeTimeToLiveOutput describeTimeToLive(DescribeTimeToLiveInput request) {
        return delegate.describeTimeToLive(request);
    }

    @Override
    public KinesisStreamingDestinationOutput disableKinesisStreamingDestination(KinesisStreamingDestinationInput request) {
        return delegate.disableKinesisStreamingDestination(request);
    }

    @Override
    public KinesisStreamingDestinationOutput enableKinesisStreamingDestination(KinesisStreamingDestinationInput request) {
        return delegate.enableKinesisStreamingDestination(request);
    }

    @Override
    public ExecuteStatementOutput executeStatement(ExecuteStatementInput request) {
        return delegate.executeStatement(request);
    }

    @Override
    public ExecuteTransactionOutput executeTransaction(ExecuteTransactionInput request) {
        return delegate.executeTransaction(request);
    }

    @Override
    public ExportTableToPointInTimeOutput exportTableToPointInTime(ExportTableToPointInTimeInput request) {
        return delegate.exportTableToPointInTime(request);
    }

    @Override
    public GetItemOutput getItem(GetItemInput request) {
        return delegate.getItem(request);
    }

    @Override
    public GetResourcePolicyOutput getResourcePolicy(GetResourcePolicyInput request) {
        return delegate.getResourcePolicy(request);
    }

    @Override
    public ImportTableOutput importTable(ImportTableInput request) {
        return delegate.importTable(request);
    }

    @Override
    public ListBackupsOutput listBackups(ListBackupsInput request) {
        return delegate.listBackups(request);
    }

    @Override
    public ListContributorInsightsOutput listContributorInsights(ListContributorInsightsInput request) {
        return delegate.listContributorInsights(request);
    }

    @Override
    public ListExportsOutput listExports(ListExportsInput request) {
        return delegate.listExports(request);
    }

    @Override
    public ListGlobalTablesOutput listGlobalTables(ListGlobalTablesInput request) {
        return delegate.listGlobalTables(request);
    }

    @Override
    public ListImportsOutput listImports(ListImportsInput request) {
        return delegate.listImports(request);
    }

    @Override
    public ListTablesOutput listTables(ListTablesInput request) {
        return delegate.listTables(request);
    }

    @Override
    public ListTagsOfResourceOutput listTagsOfResource(ListTagsOfResourceInput request) {
        return delegate.listTagsOfResource(request);
    }

    @Override
    public PutItemOutput putItem(PutItemInput request) {
        return delegate.putItem(request);
    }

    @Override
    public PutResourcePolicyOutput putResourcePolicy(PutResourcePolicyInput request) {
        return delegate.putResourcePolicy(request);
    }

    @Override
    public QueryOutput query(QueryInput request) {
        return delegate.query(request);
    }

    @Override
    public RestoreTableFromBackupOutput restoreTableFromBackup(RestoreTableFromBackupInput request) {
        return delegate.restoreTableFromBackup(request);
    }

    @Override
    public RestoreTableToPointInTimeOutput restoreTableToPointInTime(RestoreTableToPointInTimeInput request) {
        return delegate.restoreTableToPointInTime(request);
    }

    @Override
    public ScanOutput scan(ScanInput request) {
        return delegate.scan(request);
    }

    @Override
    public Void tagResource(TagResourceInput request) {
        return delegate.tagResource(request);
    }

    @Override
    public TransactGetItemsOutput transactGetItems(TransactGetItemsInput request) {
        return delegate.transactGetItems(request);
    }

    @Override
    public TransactWriteItemsOutput transactWriteItems(TransactWriteItemsInput request) {
        return delegate.transactWriteItems(request);
    }

    @Override
    public Void untagResource(UntagResourceInput request) {
        return delegate.untagResource(request);
    }

    @Override
    public UpdateContinuousBackupsOutput updateContinuousBackups(UpdateContinuousBackupsInput request) {
        return delegate.updateContinuousBackups(request);
    }

    @Override
    public UpdateContributorInsightsOutput updateContributorInsights(UpdateContributorInsightsInput request) {
        return delegate.updateContributorInsights(request);
    }

    @Override
    public UpdateGlobalTableOutput updateGlobalTable(UpdateGlobalTableInput request) {
        return delegate.updateGlobalTable(request);
    }

    @Override
    public UpdateGlobalTableSettingsOutput updateGlobalTableSettings(UpdateGlobalTableSettingsInput request) {
        return delegate.updateGlobalTableSettings(request);
    }

    @Override
    public UpdateItemOutput updateItem(UpdateItemInput request) {
        return delegate.updateItem(request);
    }

    @Override
    public UpdateKinesisStreamingDestinationOutput updateKinesisStreamingDestination(UpdateKinesisStreamingDestinationInput request) {
        return delegate.updateKinesisStreamingDestination(request);
    }

    @Override
    public UpdateTableOutput updateTable(UpdateTableInput request) {
        return delegate.updateTable(request);
    }

    @Override
    public UpdateTableReplicaAutoScalingOutput updateTableReplicaAutoScaling(UpdateTableReplicaAutoScalingInput request) {
        return delegate.updateTableReplicaAutoScaling(request);
    }

    @Override
    public UpdateTimeToLiveOutput updateTimeToLive(UpdateTimeToLiveInput request) {
        return delegate.updateTimeToLive(request);
    }
}

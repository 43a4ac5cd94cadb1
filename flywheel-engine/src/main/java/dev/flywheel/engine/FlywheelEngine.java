package dev.flywheel.engine;

import dev.flywheel.engine.encryption.Encryption;
import dev.flywheel.engine.expressions.ParsedExpressions;
import dev.flywheel.engine.index.GlobalIndexLog;
import dev.flywheel.engine.index.IndexMaintenance;
import dev.flywheel.engine.item.BatchOperations;
import dev.flywheel.engine.item.ItemOperations;
import dev.flywheel.engine.item.ItemStore;
import dev.flywheel.engine.item.ItemVersions;
import dev.flywheel.engine.replication.GlobalTables;
import dev.flywheel.engine.replication.LegacyGlobalTables;
import dev.flywheel.engine.table.ReplicaCopyProgress;
import dev.flywheel.model.replication.ApplyChangesInput;
import dev.flywheel.model.replication.ReplicaGroupInput;
import dev.flywheel.model.replication.ReplicationApi;
import dev.flywheel.engine.query.QueryOperations;
import dev.flywheel.engine.table.Arns;
import dev.flywheel.engine.table.Catalog;
import dev.flywheel.engine.table.TableOperations;
import dev.flywheel.engine.table.TagOperations;
import dev.flywheel.engine.item.ItemChangeLog;
import dev.flywheel.engine.item.ItemCollections;
import dev.flywheel.engine.stream.StreamLog;
import dev.flywheel.engine.stream.StreamOperations;
import dev.flywheel.engine.stream.StreamRetention;
import dev.flywheel.engine.table.StreamCatalog;
import dev.flywheel.engine.transaction.TransactionOperations;
import dev.flywheel.engine.ttl.TimeToLiveOperations;
import dev.flywheel.engine.ttl.TimeToLiveSweeper;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbStreamsApi;
import dev.flywheel.model.shapes.*;
import dev.flywheel.model.streams.DescribeStreamInput;
import dev.flywheel.model.streams.DescribeStreamOutput;
import dev.flywheel.model.streams.GetRecordsInput;
import dev.flywheel.model.streams.GetRecordsOutput;
import dev.flywheel.model.streams.GetShardIteratorInput;
import dev.flywheel.model.streams.GetShardIteratorOutput;
import dev.flywheel.model.streams.ListStreamsInput;
import dev.flywheel.model.streams.ListStreamsOutput;
import dev.flywheel.storage.Storage;
import java.time.Duration;
import java.util.List;

/**
 * DynamoDB's semantics over a {@link Storage}: the {@link DynamoDbApi} and {@link DynamoDbStreamsApi}
 * that the server serves. Each operation is delegated to the class that owns its concern; this class
 * only routes.
 *
 * <p>Thread-safe. It runs background threads: one keeps global secondary indexes current, one
 * deletes expired items (time to live), one trims and rolls over streams, one manages global tables
 * (and one more per global table and peer region replicates changes). The caller owns the storage,
 * and closes it after {@link #close closing} the engine.
 */
public final class FlywheelEngine implements DynamoDbApi, DynamoDbStreamsApi, ReplicationApi, AutoCloseable {
    // Documented default quotas of an account (Developer Guide, "Service, account, and table quotas").
    private static final long ACCOUNT_MAX_CAPACITY_UNITS = 80_000;
    private static final long TABLE_MAX_CAPACITY_UNITS = 40_000;
    private static final long ENDPOINT_CACHE_MINUTES = 1440;
    /** How soon a table changed or deleted by another server sharing the storage is seen here. */
    private static final Duration CATALOG_REFRESH = Duration.ofSeconds(1);
    /** How often expired ClientRequestTokens are deleted (they are ignored from their expiry on anyway). */
    private static final Duration TOKEN_SWEEP = Duration.ofMinutes(5);

    private final EngineConfig config;
    private final TableOperations tables;
    private final ItemOperations items;
    private final TagOperations tags;
    private final TimeToLiveOperations timeToLive;
    private final BatchOperations batches;
    private final QueryOperations queries;
    private final TransactionOperations transactions;
    private final IndexMaintenance indexMaintenance;
    private final StreamOperations streamOperations;
    private final StreamRetention streamRetention;
    /** Finishes transactions whose coordinator died or lost its storage, so their locks go. */
    private final PeriodicTask transactionRecovery;
    /** Deletes ClientRequestTokens past their ten minutes. */
    private final PeriodicTask tokenExpiry;
    /** On a storage other servers share: re-reads table definitions they may have changed; null otherwise. */
    private final PeriodicTask catalogRefresh;
    private final TimeToLiveSweeper timeToLiveSweeper;
    private final Catalog catalog;
    private final GlobalTables globalTables;

    /** An engine over {@code storage} as it is: nothing encrypted, SSESpecification refused (for tests and tools). */
    public FlywheelEngine(Storage storage, EngineConfig config) {
        this(storage, null, config);
    }

    /** An engine whose data is encrypted at rest by {@code encryption} (what the server runs). */
    public FlywheelEngine(Encryption encryption, EngineConfig config) {
        this(encryption.storage(), encryption, config);
    }

    private FlywheelEngine(Storage storage, Encryption encryption, EngineConfig config) {
        this.config = config;
        this.catalog = new Catalog(storage, new Arns(config.region(), config.accountId()));
        if (encryption != null) encryption.tablesBy(catalog::tableOfStorageId);
        StreamCatalog streams = new StreamCatalog(storage, catalog);
        streams.reconcile(config.clock().instant());
        ReplicaCopyProgress copies = new ReplicaCopyProgress();
        this.tables = new TableOperations(catalog, streams, storage, config.clock(), encryption, copies);
        this.indexMaintenance = new IndexMaintenance(catalog, storage);
        ItemVersions versions = new ItemVersions(storage, config.clock(), config.region());
        ItemStore itemStore = new ItemStore(storage, catalog, ItemChangeLog.all(List.of(
                new GlobalIndexLog(indexMaintenance), new StreamLog(config.clock()))), new ItemCollections(storage), versions);
        this.streamOperations = new StreamOperations(streams, storage, config.clock(), config.region());
        this.streamRetention = new StreamRetention(streams, storage, config.clock(), config.shardLifetime());
        this.timeToLiveSweeper = new TimeToLiveSweeper(catalog, storage, itemStore, config.clock(),
                config.timeToLiveInterval());
        ParsedExpressions parsed = new ParsedExpressions();
        this.items = new ItemOperations(catalog, itemStore, parsed);
        this.batches = new BatchOperations(catalog, itemStore, parsed);
        this.queries = new QueryOperations(catalog, storage, parsed);
        this.transactions = new TransactionOperations(storage, catalog, itemStore, parsed, config.clock());
        // Before any request: a transaction a crash interrupted is completed or rolled back, nothing stays locked.
        transactions.recover(storage.isShared());
        this.transactionRecovery = new PeriodicTask("transaction-recovery", TransactionOperations.recoveryPeriod(storage.isShared()),
                transactions::recoverAbandoned);
        this.tokenExpiry = new PeriodicTask("transaction-token-expiry", TOKEN_SWEEP, transactions::forgetExpiredTokens);
        this.tags = new TagOperations(catalog);
        this.timeToLive = new TimeToLiveOperations(catalog, config.clock());
        this.globalTables = new GlobalTables(catalog, tables, itemStore, versions, storage, config.region(), config.peers(),
                copies);
        if (config.maintainIndexes()) indexMaintenance.start();
        this.catalogRefresh = storage.isShared() ? new PeriodicTask("catalog-refresh", CATALOG_REFRESH, catalog::refresh) : null;
        if (catalogRefresh != null) catalogRefresh.start();
        streamRetention.start();
        timeToLiveSweeper.start();
        transactionRecovery.start();
        tokenExpiry.start();
    }

    /**
     * Waits until every write acknowledged before this call is reflected in the global secondary
     * indexes (which DynamoDB, and Flywheel, update asynchronously), and every index being created or
     * deleted then is done. For tests and tools; clients see index reads as eventually consistent.
     *
     * @return false if {@code timeout} passed first
     */
    public boolean awaitIndexes(Duration timeout) throws InterruptedException {
        return indexMaintenance.awaitCurrent(timeout);
    }

    /**
     * The partition key attribute of a table (by name or ARN), or null when there is no such table: what
     * access policies need to evaluate {@code dynamodb:LeadingKeys}, at the cost of a catalog lookup.
     */
    public String partitionKeyName(String tableNameOrArn) {
        try {
            var table = catalog.find(tableNameOrArn);
            return table == null ? null : table.hashKey().name();
        } catch (dev.flywheel.model.DynamoDbException invalidName) {
            return null; // the operation itself reports it
        }
    }

    /** Stops the background work; call before closing the storage. The engine must not be used after. */
    @Override
    public void close() {
        if (catalogRefresh != null) catalogRefresh.close();
        tokenExpiry.close();
        transactionRecovery.close();
        globalTables.close();
        timeToLiveSweeper.close();
        streamRetention.close();
        indexMaintenance.close();
    }

    /** Trims, rolls over and forgets streams now, as the retention thread does each minute (tests). */
    public void maintainStreams() {
        streamRetention.pass();
    }

    /** Finishes the transactions older than the lease now, as the recovery thread does periodically (tests). */
    public int recoverAbandonedTransactions() {
        return transactions.recoverAbandoned();
    }

    /** Deletes the ClientRequestTokens past their ten minutes now, as a background thread does every few minutes (tests). */
    public int forgetExpiredTokensNow() {
        return transactions.forgetExpiredTokens();
    }

    /** Deletes the expired items of every table with time to live now, as the sweeper does each interval (tests). */
    public void sweepExpiredItems() {
        timeToLiveSweeper.sweep();
    }

    @Override public CreateTableOutput createTable(CreateTableInput request) { return tables.createTable(request); }
    @Override public DescribeTableOutput describeTable(DescribeTableInput request) { return tables.describeTable(request); }
    @Override public ListTablesOutput listTables(ListTablesInput request) { return tables.listTables(request); }
    @Override public UpdateTableOutput updateTable(UpdateTableInput request) {
        if (request.replicaUpdates() != null) return globalTables.updateTable(request);
        globalTables.checkUpdate(request);
        return tables.updateTable(request);
    }

    /** Version 2017.11.29 (legacy) global tables: answered as DynamoDB does, which no longer creates them. */
    @Override public CreateGlobalTableOutput createGlobalTable(CreateGlobalTableInput request) {
        return LegacyGlobalTables.createGlobalTable(request);
    }
    @Override public DescribeGlobalTableOutput describeGlobalTable(DescribeGlobalTableInput request) {
        return LegacyGlobalTables.describeGlobalTable(request);
    }
    @Override public DescribeGlobalTableSettingsOutput describeGlobalTableSettings(DescribeGlobalTableSettingsInput request) {
        return LegacyGlobalTables.describeGlobalTableSettings(request);
    }
    @Override public UpdateGlobalTableOutput updateGlobalTable(UpdateGlobalTableInput request) {
        return LegacyGlobalTables.updateGlobalTable(request);
    }
    @Override public UpdateGlobalTableSettingsOutput updateGlobalTableSettings(UpdateGlobalTableSettingsInput request) {
        return LegacyGlobalTables.updateGlobalTableSettings(request);
    }
    @Override public ListGlobalTablesOutput listGlobalTables(ListGlobalTablesInput request) {
        return LegacyGlobalTables.listGlobalTables(request);
    }

    @Override public Void putReplicaGroup(ReplicaGroupInput request) { return globalTables.putReplicaGroup(request); }
    @Override public Void applyChanges(ApplyChangesInput request) { return globalTables.applyChanges(request); }
    @Override public ApplyChangesInput settledTombstones(ApplyChangesInput request) {
        return globalTables.settledTombstones(request);
    }

    /**
     * Forgets the tombstones of {@code tableName}'s items deleted before {@code deletedBefore} (epoch
     * millis) that every other region has settled; as the background pass does (tests). Returns how many.
     */
    public int collectTombstones(String tableName, long deletedBefore) {
        return globalTables.collectTombstones(tableName, deletedBefore);
    }
    @Override public DeleteTableOutput deleteTable(DeleteTableInput request) { return tables.deleteTable(request); }
    @Override public DescribeTimeToLiveOutput describeTimeToLive(DescribeTimeToLiveInput request) {
        return timeToLive.describeTimeToLive(request);
    }
    @Override public UpdateTimeToLiveOutput updateTimeToLive(UpdateTimeToLiveInput request) {
        return timeToLive.updateTimeToLive(request);
    }

    @Override public ListStreamsOutput listStreams(ListStreamsInput request) { return streamOperations.listStreams(request); }
    @Override public DescribeStreamOutput describeStream(DescribeStreamInput request) {
        return streamOperations.describeStream(request);
    }
    @Override public GetShardIteratorOutput getShardIterator(GetShardIteratorInput request) {
        return streamOperations.getShardIterator(request);
    }
    @Override public GetRecordsOutput getRecords(GetRecordsInput request) { return streamOperations.getRecords(request); }

    @Override public PutItemOutput putItem(PutItemInput request) { return items.putItem(request); }
    @Override public GetItemOutput getItem(GetItemInput request) { return items.getItem(request); }
    @Override public DeleteItemOutput deleteItem(DeleteItemInput request) { return items.deleteItem(request); }
    @Override public UpdateItemOutput updateItem(UpdateItemInput request) { return items.updateItem(request); }

    @Override public QueryOutput query(QueryInput request) { return queries.query(request); }
    @Override public ScanOutput scan(ScanInput request) { return queries.scan(request); }

    @Override public BatchGetItemOutput batchGetItem(BatchGetItemInput request) { return batches.batchGetItem(request); }
    @Override public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) { return batches.batchWriteItem(request); }

    @Override public TransactWriteItemsOutput transactWriteItems(TransactWriteItemsInput request) {
        return transactions.transactWriteItems(request);
    }
    @Override public TransactGetItemsOutput transactGetItems(TransactGetItemsInput request) {
        return transactions.transactGetItems(request);
    }

    @Override public Void tagResource(TagResourceInput request) { tags.tagResource(request); return null; }
    @Override public Void untagResource(UntagResourceInput request) { tags.untagResource(request); return null; }
    @Override public ListTagsOfResourceOutput listTagsOfResource(ListTagsOfResourceInput request) {
        return tags.listTagsOfResource(request);
    }

    @Override
    public DescribeLimitsOutput describeLimits(DescribeLimitsInput request) {
        return new DescribeLimitsOutput(ACCOUNT_MAX_CAPACITY_UNITS, ACCOUNT_MAX_CAPACITY_UNITS,
                TABLE_MAX_CAPACITY_UNITS, TABLE_MAX_CAPACITY_UNITS);
    }

    @Override
    public DescribeEndpointsResponse describeEndpoints(DescribeEndpointsRequest request) {
        return new DescribeEndpointsResponse(List.of(new Endpoint(config.endpointAddress(), ENDPOINT_CACHE_MINUTES)));
    }
}

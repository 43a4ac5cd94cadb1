package dev.flywheel.cli;

import dev.flywheel.client.RemoteDynamoDb;
import dev.flywheel.client.Target;
import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.BatchGetItemInput;
import dev.flywheel.model.shapes.BatchWriteItemInput;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.DeleteItemInput;
import dev.flywheel.model.shapes.DeleteTableInput;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.Get;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.KeysAndAttributes;
import dev.flywheel.model.shapes.ListTablesInput;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutRequest;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.ScanInput;
import dev.flywheel.model.shapes.TransactGetItem;
import dev.flywheel.model.shapes.TransactGetItemsInput;
import dev.flywheel.model.shapes.TransactWriteItem;
import dev.flywheel.model.shapes.TransactWriteItemsInput;
import dev.flywheel.model.shapes.Update;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.model.shapes.WriteRequest;
import dev.flywheel.protocol.auth.RequestSigner;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code flywheel train} (hidden): starts a server on a temporary directory, sends it the common
 * requests a few hundred times each, and stops. The launcher runs it once per build under the JDK's
 * {@code -XX:AOTCacheOutput}, so that every later {@code serve} starts from a cache of the classes it
 * loads, linked, with their methods' profiles: about half the startup time (BENCHMARKS.md).
 */
@Command(name = "train", hidden = true, description = "Exercise a temporary server (for the launcher's startup cache).")
final class TrainCommand implements Callable<Integer> {
    private static final int ROUNDS = 300;

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("flywheel-train");
        try {
            ServeCommand serve = new ServeCommand();
            new CommandLine(serve).parseArgs("--port", "0", "--data-dir", dir.resolve("data").toString());
            try (ServeCommand.Running running = serve.start()) {
                URI endpoint = URI.create("http://127.0.0.1:" + running.address().getPort());
                exercise(new RemoteDynamoDb(Target.of(endpoint, new RequestSigner("train", "train", "us-east-1", "dynamodb"))));
            }
        } finally {
            deleteRecursively(dir);
        }
        return 0;
    }

    private static void exercise(DynamoDbApi ddb) {
        String table = "train";
        ddb.createTable(CreateTableInput.builder().tableName(table).billingMode("PAY_PER_REQUEST")
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S"), new AttributeDefinition("sk", "N"),
                        new AttributeDefinition("g", "S")))
                .keySchema(List.of(new KeySchemaElement("pk", "HASH"), new KeySchemaElement("sk", "RANGE")))
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndex.builder().indexName("by-g")
                        .keySchema(List.of(new KeySchemaElement("g", "HASH"), new KeySchemaElement("sk", "RANGE")))
                        .projection(Projection.builder().projectionType("ALL").build()).build()))
                .build());
        for (int i = 0; i < ROUNDS; i++) {
            Map<String, AttributeValue> key = key(i);
            ddb.putItem(PutItemInput.builder().tableName(table).item(Map.of("pk", key.get("pk"), "sk", key.get("sk"),
                    "g", AttributeValue.s("g" + i % 7), "field", AttributeValue.s("x".repeat(100)))).build());
            ddb.getItem(GetItemInput.builder().tableName(table).key(key).build());
            ddb.updateItem(UpdateItemInput.builder().tableName(table).key(key).updateExpression("SET n = if_not_exists(n, :z) + :one")
                    .conditionExpression("attribute_exists(pk)")
                    .expressionAttributeValues(Map.of(":z", AttributeValue.n(0), ":one", AttributeValue.n(1))).build());
            ddb.query(QueryInput.builder().tableName(table).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", key.get("pk"))).build());
            if (i % 10 == 0) {
                ddb.query(QueryInput.builder().tableName(table).indexName("by-g").keyConditionExpression("g = :g")
                        .expressionAttributeValues(Map.of(":g", AttributeValue.s("g" + i % 7))).limit(10).build());
                ddb.scan(ScanInput.builder().tableName(table).limit(25).build());
                batches(ddb, table, i);
                transactions(ddb, table, i);
                ddb.describeTable(DescribeTableInput.builder().tableName(table).build());
                ddb.listTables(ListTablesInput.builder().build());
            }
        }
        for (int i = 0; i < ROUNDS; i += 3) ddb.deleteItem(DeleteItemInput.builder().tableName(table).key(key(i)).build());
        ddb.deleteTable(DeleteTableInput.builder().tableName(table).build());
    }

    private static void batches(DynamoDbApi ddb, String table, int round) {
        List<WriteRequest> writes = new ArrayList<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Map<String, AttributeValue> key = key(10_000 + round * 10 + i);
            writes.add(WriteRequest.builder().putRequest(PutRequest.builder()
                    .item(Map.of("pk", key.get("pk"), "sk", key.get("sk"), "field", AttributeValue.s("y"))).build()).build());
            keys.add(key);
        }
        ddb.batchWriteItem(BatchWriteItemInput.builder().requestItems(Map.of(table, writes)).build());
        ddb.batchGetItem(BatchGetItemInput.builder()
                .requestItems(Map.of(table, KeysAndAttributes.builder().keys(keys).build())).build());
    }

    private static void transactions(DynamoDbApi ddb, String table, int round) {
        List<TransactWriteItem> writes = new ArrayList<>();
        List<TransactGetItem> gets = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, AttributeValue> key = key(round + i);
            writes.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key)
                    .updateExpression("SET t = :t").expressionAttributeValues(Map.of(":t", AttributeValue.n(round))).build()).build());
            gets.add(new TransactGetItem(Get.builder().tableName(table).key(key).build()));
        }
        ddb.transactWriteItems(TransactWriteItemsInput.builder().transactItems(writes)
                .clientRequestToken(UUID.randomUUID().toString()).build());
        ddb.transactGetItems(TransactGetItemsInput.builder().transactItems(gets).build());
    }

    private static Map<String, AttributeValue> key(int i) {
        return Map.of("pk", AttributeValue.s("user#" + i % 50), "sk", AttributeValue.n(i));
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}

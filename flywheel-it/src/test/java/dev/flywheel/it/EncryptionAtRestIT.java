package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Encryption at rest through the real server: nothing but sort keys is readable in the files of the
 * data directory; the master key is required to start; managed keys can be created, rotated, disabled
 * and enabled with {@code flywheel keys}, and tables name them in SSESpecification.
 */
class EncryptionAtRestIT {
    /** In partition keys, attribute names and values: must never reach the disk in the clear. */
    private static final String SECRET = "ZQX7SECRET";
    /** In sort keys only: must be visible on disk, which proves the scan sees unencrypted bytes when there are any. */
    private static final String VISIBLE = "ZQX7SORTKEY";

    @TempDir
    Path dir;

    @Test
    void onlySortKeysAreReadableOnDiskAndTheSameMasterKeyReadsEverythingBack() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            assertThat(server.output()).contains("Created a master key in " + data.resolve("master.key"));
            MarkedItems.createTable(client, SECRET, b -> { });
            for (int i = 0; i < 50; i++) {
                Map<String, AttributeValue> item = item(i);
                client.putItem(b -> b.tableName("orders").item(item));
            }
            assertThat(server.stop()).isEqualTo(143);
        }
        List<String> files = MarkedItems.filesContaining(data, VISIBLE);
        assertThat(files).as("sort keys are stored in the clear (the control of this test)").isNotEmpty();
        assertThat(MarkedItems.filesContaining(data, SECRET)).as("files holding a partition key, attribute name or value in the clear").isEmpty();

        try (ServerProcess again = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(again.endpoint())) {
            assertThat(client.getItem(b -> b.tableName("orders").key(Map.of("pk_" + SECRET, AttributeValue.fromS("owner-7-" + SECRET),
                    "sk", AttributeValue.fromS(VISIBLE + "-7")))).item()).isEqualTo(item(7));
            assertThat(client.query(b -> b.tableName("orders").indexName("byOwner").keyConditionExpression("#g = :g")
                    .expressionAttributeNames(Map.of("#g", "gpk_" + SECRET))
                    .expressionAttributeValues(Map.of(":g", AttributeValue.fromS("group-" + SECRET)))).count()).isEqualTo(50);
            assertThat(client.scan(b -> b.tableName("orders")).count()).isEqualTo(50);
        }
    }

    @Test
    void aWrongOrMissingMasterKeyRefusesToStart() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.jar(data)) {
            assertThat(server.stop()).isEqualTo(143);
        }
        Path other = dir.resolve("other.key");
        Files.writeString(other, java.util.Base64.getEncoder().encodeToString(new byte[32]) + "\n");
        CommandLineIT.Run wrong = CommandLineIT.flywheel("serve", "--port", "0", "--data-dir", data.toString(),
                "--master-key-file", other.toString());
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.output()).contains("the master key does not open the keyring of this data");
        Files.delete(data.resolve("master.key"));
        CommandLineIT.Run missing = CommandLineIT.flywheel("serve", "--port", "0", "--data-dir", data.toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.output()).contains("is encrypted, but there is no master key at " + data.resolve("master.key"));
    }

    @Test
    void customerKeysProtectTablesAndCanBeRotatedDisabledAndEnabled() throws Exception {
        Path data = dir.resolve("data");
        try (ServerProcess server = ServerProcess.jar(data)) {
            assertThat(server.stop()).isEqualTo(143);
        }
        CommandLineIT.Run created = keys(data, "create", "--alias", "alias/orders");
        assertThat(created.exit()).as(created.output()).isZero();
        String arn = created.output().lines().filter(l -> l.contains("alias/orders")).findFirst().orElseThrow().split("\t")[3];
        assertThat(arn).startsWith("arn:aws:kms:us-east-1:000000000000:key/");

        try (ServerProcess server = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            TableDescription protectedTable = createTable(client, "protected", "alias/orders");
            assertThat(protectedTable.sseDescription().sseType()).isEqualTo(SSEType.KMS);
            assertThat(protectedTable.sseDescription().kmsMasterKeyArn()).isEqualTo(arn);
            TableDescription managed = createTable(client, "managed", null);
            assertThat(managed.sseDescription().kmsMasterKeyArn()).startsWith("arn:aws:kms:us-east-1:000000000000:key/")
                    .isNotEqualTo(arn);
            createTable(client, "plain", "-");
            assertThat(client.describeTable(b -> b.tableName("plain")).table().sseDescription()).isNull();
            for (String table : List.of("protected", "managed", "plain")) {
                client.putItem(b -> b.tableName(table).item(Map.of("id", AttributeValue.fromS("before rotation"))));
            }
            assertThat(server.stop()).isEqualTo(143);
        }
        assertThat(keys(data, "rotate", "alias/orders").output()).contains("versions=2");
        try (ServerProcess server = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            client.putItem(b -> b.tableName("protected").item(Map.of("id", AttributeValue.fromS("after rotation"))));
            assertThat(client.scan(b -> b.tableName("protected")).count()).isEqualTo(2);
            assertThat(server.stop()).isEqualTo(143);
        }
        assertThat(keys(data, "disable", arn).output()).contains("Disabled");
        try (ServerProcess server = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            DynamoDbException e = catchThrowableOfType(DynamoDbException.class,
                    () -> client.getItem(b -> b.tableName("protected").key(Map.of("id", AttributeValue.fromS("after rotation")))));
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The table's KMS key " + arn
                    + " is disabled: the table is inaccessible until the key is enabled again");
            assertThat(client.describeTable(b -> b.tableName("protected")).table().tableStatus())
                    .isEqualTo(TableStatus.INACCESSIBLE_ENCRYPTION_CREDENTIALS);
            assertThat(client.scan(b -> b.tableName("managed")).count()).isEqualTo(1);
            assertThat(server.stop()).isEqualTo(143);
        }
        keys(data, "enable", "alias/orders");
        try (ServerProcess server = ServerProcess.jar(data);
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            assertThat(client.scan(b -> b.tableName("protected")).count()).isEqualTo(2);
            assertThat(client.describeTable(b -> b.tableName("protected")).table().tableStatus()).isEqualTo(TableStatus.ACTIVE);
        }
        CommandLineIT.Run list = keys(data, "list");
        assertThat(list.output()).contains("service-owned", "alias/aws/dynamodb", "alias/orders");
    }

    @Test
    void updateTableSwitchesTheKeyWithoutLosingData() throws Exception {
        try (InProcessServer server = new InProcessServer();
                DynamoDbClient client = Clients.sync(server.endpoint())) {
            createTable(client, "switching", "-");
            client.putItem(b -> b.tableName("switching").item(Map.of("id", AttributeValue.fromS("a"))));
            var updated = client.updateTable(b -> b.tableName("switching").sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS)));
            assertThat(updated.tableDescription().sseDescription().kmsMasterKeyArn()).startsWith("arn:aws:kms:");
            assertThat(client.getItem(b -> b.tableName("switching").key(Map.of("id", AttributeValue.fromS("a")))).item()).isNotEmpty();
            client.updateTable(b -> b.tableName("switching").sseSpecification(s -> s.enabled(false)));
            assertThat(client.describeTable(b -> b.tableName("switching")).table().sseDescription()).isNull();
            assertThat(client.getItem(b -> b.tableName("switching").key(Map.of("id", AttributeValue.fromS("a")))).item()).isNotEmpty();
            DynamoDbException unknown = catchThrowableOfType(DynamoDbException.class,
                    () -> createTable(client, "nokey", "alias/none"));
            assertThat(unknown.awsErrorDetails().errorMessage())
                    .isEqualTo("One or more parameter values were invalid: KMSMasterKeyId alias/none does not exist");
        }
    }

    /** {@code key}: null the AWS managed key, "-" no SSESpecification, else a key reference. */
    private static TableDescription createTable(DynamoDbClient client, String name, String key) {
        return client.createTable(b -> {
            b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(a -> a.attributeName("id").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH));
            if (key == null) b.sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS));
            else if (!key.equals("-")) b.sseSpecification(s -> s.enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(key));
        }).tableDescription();
    }

    private static CommandLineIT.Run keys(Path data, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("keys"));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", data.toString()));
        return CommandLineIT.flywheel(command.toArray(String[]::new));
    }

    private static Map<String, AttributeValue> item(int i) {
        return MarkedItems.item(i, SECRET, VISIBLE);
    }
}

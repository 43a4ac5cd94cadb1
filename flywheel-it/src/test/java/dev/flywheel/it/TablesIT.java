package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.*;

/** The table operations through the AWS SDK for Java v2, against a server in this JVM. */
class TablesIT {
    private static InProcessServer server;
    private static DynamoDbClient ddb;

    @BeforeAll
    static void start() {
        server = new InProcessServer();
        ddb = Clients.sync(server.endpoint());
    }

    @AfterAll
    static void stop() {
        ddb.close();
        server.close();
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static CreateTableRequest.Builder hashAndRange(String name) {
        return CreateTableRequest.builder()
                .tableName(name)
                .attributeDefinitions(
                        AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType(ScalarAttributeType.N).build())
                .keySchema(
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build())
                .billingMode(BillingMode.PAY_PER_REQUEST);
    }

    @Test
    void createDescribeAndDelete() {
        String name = uniqueName("tables");
        CreateTableResponse created = ddb.createTable(hashAndRange(name).build());
        TableDescription t = created.tableDescription();
        assertThat(t.tableName()).isEqualTo(name);
        assertThat(t.tableStatus()).isEqualTo(TableStatus.CREATING);
        assertThat(t.tableArn()).isEqualTo("arn:aws:dynamodb:us-east-1:000000000000:table/" + name);
        assertThat(t.tableId()).hasSize(36);
        assertThat(t.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("pk", "sk");
        assertThat(t.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(t.creationDateTime()).isNotNull();

        ddb.waiter().waitUntilTableExists(b -> b.tableName(name));
        TableDescription described = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(described.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(described.itemCount()).isZero();
        assertThat(described.tableSizeBytes()).isZero();
        assertThat(described.deletionProtectionEnabled()).isFalse();
        assertThat(described.tableId()).isEqualTo(t.tableId());

        // A table ARN is accepted wherever a table name is.
        assertThat(ddb.describeTable(b -> b.tableName(t.tableArn())).table().tableName()).isEqualTo(name);

        DeleteTableResponse deleted = ddb.deleteTable(b -> b.tableName(name));
        assertThat(deleted.tableDescription().tableStatus()).isEqualTo(TableStatus.DELETING);
        ddb.waiter().waitUntilTableNotExists(b -> b.tableName(name));
        assertThatThrownBy(() -> ddb.describeTable(b -> b.tableName(name)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: Table: " + name + " not found");
    }

    @Test
    void creatingAnExistingTableIsResourceInUse() {
        String name = uniqueName("dup");
        ddb.createTable(hashAndRange(name).build());
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(name).build()))
                .isInstanceOf(ResourceInUseException.class)
                .hasMessageStartingWith("Table already exists: " + name);
    }

    @Test
    void keySchemaMustMatchAttributeDefinitions() {
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("bad"))
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build(),
                        AttributeDefinition.builder().attributeName("sk").attributeType("N").build(),
                        AttributeDefinition.builder().attributeName("extra").attributeType("S").build())
                .build()))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageStartingWith("One or more parameter values were invalid: Number of attributes in KeySchema"
                        + " does not exactly match number of attributes defined in AttributeDefinitions");
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("bad"))
                .keySchema(KeySchemaElement.builder().attributeName("other").keyType(KeyType.HASH).build())
                .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType("S").build())
                .build()))
                .hasMessageStartingWith("One or more parameter values were invalid: Some index key attributes are not"
                        + " defined in AttributeDefinitions. Keys: [other], AttributeDefinitions: [pk]");
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("bad"))
                .keySchema(KeySchemaElement.builder().attributeName("sk").keyType(KeyType.RANGE).build(),
                        KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build())
                .build()))
                .hasMessageStartingWith("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
    }

    @Test
    void tableNamesAreValidatedByTheServiceModel() {
        DynamoDbException e = (DynamoDbException) catchThrowable(() -> ddb.createTable(hashAndRange("abc!").build()));
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("1 validation error detected: Value 'abc!' at 'tableName'"
                + " failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
        assertThat(e.statusCode()).isEqualTo(400);
        assertThatThrownBy(() -> ddb.createTable(hashAndRange("ab").build()))
                .hasMessageStartingWith("TableName must be at least 3 characters long and at most 255 characters long");
        assertThatThrownBy(() -> ddb.describeTable(b -> b.tableName("x".repeat(256))))
                .hasMessageStartingWith("TableName must be at least 3 characters long and at most 255 characters long");
    }

    @Test
    void provisionedBillingNeedsThroughput() {
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("prov")).billingMode(BillingMode.PROVISIONED).build()))
                .hasMessageStartingWith("One or more parameter values were invalid: ReadCapacityUnits and"
                        + " WriteCapacityUnits must both be specified when BillingMode is PROVISIONED");
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("ppr"))
                .provisionedThroughput(p -> p.readCapacityUnits(1L).writeCapacityUnits(1L)).build()))
                .hasMessageContaining("Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode"
                        + " is PAY_PER_REQUEST");
    }

    @Test
    void updateTableChangesThroughputBillingProtectionAndClass() {
        String name = uniqueName("upd");
        ddb.createTable(hashAndRange(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(5L)).build());

        TableDescription raised = ddb.updateTable(b -> b.tableName(name)
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(5L))).tableDescription();
        assertThat(raised.provisionedThroughput().readCapacityUnits()).isEqualTo(10L);
        assertThat(raised.provisionedThroughput().lastIncreaseDateTime()).isNotNull();

        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name)
                .provisionedThroughput(p -> p.readCapacityUnits(10L).writeCapacityUnits(5L))))
                .hasMessageStartingWith("The provisioned throughput for the table will not change.");

        TableDescription onDemand = ddb.updateTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST))
                .tableDescription();
        assertThat(onDemand.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(onDemand.billingModeSummary().lastUpdateToPayPerRequestDateTime()).isNotNull();

        ddb.updateTable(b -> b.tableName(name).deletionProtectionEnabled(true)
                .tableClass(TableClass.STANDARD_INFREQUENT_ACCESS));
        TableDescription protectedTable = ddb.describeTable(b -> b.tableName(name)).table();
        assertThat(protectedTable.deletionProtectionEnabled()).isTrue();
        assertThat(protectedTable.tableClassSummary().tableClass()).isEqualTo(TableClass.STANDARD_INFREQUENT_ACCESS);
        assertThatThrownBy(() -> ddb.deleteTable(b -> b.tableName(name)))
                .hasMessageStartingWith("Resource cannot be deleted as it is currently protected against deletion.");
        ddb.updateTable(b -> b.tableName(name).deletionProtectionEnabled(false));
        ddb.deleteTable(b -> b.tableName(name));

        assertThatThrownBy(() -> ddb.updateTable(b -> b.tableName(name).deletionProtectionEnabled(true)))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    @Test
    void featuresNotBuiltYetAreRefusedNotIgnored() {
        assertThatThrownBy(() -> ddb.createTable(hashAndRange(uniqueName("policy"))
                .resourcePolicy("{\"Version\": \"2012-10-17\", \"Statement\": []}")
                .build()))
                .isInstanceOf(DynamoDbException.class)
                .hasMessageContaining("ResourcePolicy");
    }

    @Test
    void listTablesPaginates() {
        String prefix = uniqueName("list");
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            names.add(prefix + "-" + i);
            ddb.createTable(hashAndRange(prefix + "-" + i).build());
        }
        ListTablesResponse first = ddb.listTables(b -> b.limit(2).exclusiveStartTableName(prefix));
        assertThat(first.tableNames()).containsExactly(names.get(0), names.get(1));
        assertThat(first.lastEvaluatedTableName()).isEqualTo(names.get(1));

        List<String> all = new ArrayList<>();
        ddb.listTablesPaginator(b -> b.limit(2)).tableNames().forEach(all::add);
        assertThat(all).containsSubsequence(names).isSorted();

        assertThatThrownBy(() -> ddb.listTables(b -> b.limit(101)))
                .hasMessageContaining("Member must have value less than or equal to 100");
    }

    @Test
    void tagsOnTables() {
        String name = uniqueName("tags");
        String arn = ddb.createTable(hashAndRange(name).tags(Tag.builder().key("team").value("db").build()).build())
                .tableDescription().tableArn();
        ddb.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("test").build()));
        assertThat(ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags())
                .extracting(Tag::key, Tag::value)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("team", "db"), org.assertj.core.groups.Tuple.tuple("env", "test"));
        ddb.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertThat(ddb.listTagsOfResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key).containsExactly("env");

        String missing = arn + "-missing";
        assertThatThrownBy(() -> ddb.listTagsOfResource(b -> b.resourceArn(missing)))
                .isInstanceOf(ResourceNotFoundException.class)
                .hasMessageStartingWith("Requested resource not found: ResourcArn: " + missing + " not found");
    }

    @Test
    void limitsAndEndpoints() {
        DescribeLimitsResponse limits = ddb.describeLimits(b -> {});
        assertThat(limits.accountMaxReadCapacityUnits()).isEqualTo(80000L);
        assertThat(limits.tableMaxWriteCapacityUnits()).isEqualTo(40000L);
        assertThat(ddb.describeEndpoints(b -> {}).endpoints()).hasSize(1)
                .first().satisfies(e -> assertThat(e.cachePeriodInMinutes()).isEqualTo(1440L));
    }

    @Test
    void operationsNotBuiltYetAnswerAClearError() {
        assertThatThrownBy(() -> ddb.listBackups(b -> {}))
                .isInstanceOf(DynamoDbException.class)
                .satisfies(e -> {
                    DynamoDbException d = (DynamoDbException) e;
                    assertThat(d.statusCode()).isEqualTo(400);
                    assertThat(d.awsErrorDetails().errorCode()).isEqualTo("UnknownOperationException");
                });
    }

    private static Throwable catchThrowable(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowable(call);
    }
}

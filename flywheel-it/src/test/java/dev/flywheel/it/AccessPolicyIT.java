package dev.flywheel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * {@code serve --credentials FILE --policy FILE}: principals from an AWS shared-credentials file, held
 * to IAM-style policies (allow, implicit deny, wildcards, explicit Deny, {@code dynamodb:LeadingKeys}),
 * through the real command line and the AWS SDK for Java v2.
 */
class AccessPolicyIT {
    private static final String ARN = "arn:aws:dynamodb:us-east-1:000000000000:table/";

    @TempDir
    static Path dir;
    private static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        Path credentials = dir.resolve("credentials");
        Files.writeString(credentials, """
                [admin]
                aws_access_key_id = AKIDADMIN
                aws_secret_access_key = admin-secret

                [reader]
                aws_access_key_id = AKIDREADER
                aws_secret_access_key = reader-secret

                # may do everything but delete from "orders"
                [clerk]
                aws_access_key_id = AKIDCLERK
                aws_secret_access_key = clerk-secret

                [alice]
                aws_access_key_id = AKIDALICE
                aws_secret_access_key = alice-secret

                [nobody]
                aws_access_key_id = AKIDNOBODY
                aws_secret_access_key = nobody-secret
                """);
        Files.setPosixFilePermissions(credentials, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {
                  "admin": {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}},
                  "reader": {"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["dynamodb:Get*", "dynamodb:BatchGet*", "dynamodb:Query", "dynamodb:Describe*"],
                     "Resource": ["arn:aws:dynamodb:*:*:table/orders", "arn:aws:dynamodb:*:*:table/orders/index/*"]}]},
                  "AKIDCLERK": [
                    {"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "dynamodb:*", "Resource": "*"}},
                    {"Version": "2012-10-17", "Statement": {"Sid": "NoDeletes", "Effect": "Deny", "Action": "dynamodb:DeleteItem",
                     "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/orders"}}],
                  "alice": {"Version": "2012-10-17", "Statement": {"Effect": "Allow",
                    "Action": ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:BatchWriteItem"],
                    "Resource": "arn:aws:dynamodb:us-east-1:000000000000:table/orders",
                    "Condition": {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["${aws:username}"]}}}}
                }
                """);
        server = ServerProcess.jar(dir.resolve("data"), "--credentials", credentials.toString(), "--policy", policy.toString());
        try (DynamoDbClient admin = client("AKIDADMIN", "admin-secret")) {
            for (String table : List.of("orders", "other")) {
                admin.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(a -> a.attributeName("owner").attributeType(ScalarAttributeType.S),
                                a -> a.attributeName("n").attributeType(ScalarAttributeType.N))
                        .keySchema(k -> k.attributeName("owner").keyType(KeyType.HASH),
                                k -> k.attributeName("n").keyType(KeyType.RANGE)));
            }
            admin.putItem(b -> b.tableName("orders").item(item("alice", 1)));
            admin.putItem(b -> b.tableName("orders").item(item("bob", 1)));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theServerSaysPoliciesAreEnforcedAndWarnsAboutAReadableCredentialsFile() {
        assertThat(server.output()).contains("5 access key(s), signatures verified, access policies enforced");
        assertThat(server.output()).contains("credentials holds secrets but is accessible to others (rw-r--r--)");
        assertThat(server.output()).doesNotContain("admin-secret", "reader-secret");
    }

    @Test
    void allowedActionsRunAndOthersAreDeniedWithDynamoDbsMessage() {
        try (DynamoDbClient reader = client("AKIDREADER", "reader-secret")) {
            assertThat(reader.getItem(b -> b.tableName("orders").key(key("bob", 1))).item()).isNotEmpty();
            assertThat(reader.query(b -> b.tableName("orders").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("bob")))).count()).isEqualTo(1);
            assertDenied(() -> reader.putItem(b -> b.tableName("orders").item(item("bob", 2))),
                    "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: dynamodb:PutItem on resource: "
                            + ARN + "orders because no identity-based policy allows the dynamodb:PutItem action");
            assertDenied(() -> reader.getItem(b -> b.tableName("other").key(key("bob", 1))),
                    "User: arn:aws:iam::000000000000:user/reader is not authorized to perform: dynamodb:GetItem on resource: "
                            + ARN + "other because no identity-based policy allows the dynamodb:GetItem action");
            assertDenied(reader::listTables, "User: arn:aws:iam::000000000000:user/reader is not authorized to perform:"
                    + " dynamodb:ListTables on resource: " + ARN + "* because no identity-based policy allows the"
                    + " dynamodb:ListTables action");
        }
    }

    @Test
    void aPrincipalWithoutPoliciesMayDoNothing() {
        try (DynamoDbClient nobody = client("AKIDNOBODY", "nobody-secret")) {
            assertDenied(() -> nobody.describeTable(b -> b.tableName("orders")),
                    "User: arn:aws:iam::000000000000:user/nobody is not authorized to perform: dynamodb:DescribeTable"
                            + " on resource: " + ARN + "orders because no identity-based policy allows the"
                            + " dynamodb:DescribeTable action");
        }
    }

    @Test
    void anExplicitDenyWinsOverAnAllow() {
        try (DynamoDbClient clerk = client("AKIDCLERK", "clerk-secret")) {
            clerk.putItem(b -> b.tableName("orders").item(item("carol", 1)));
            clerk.deleteItem(b -> b.tableName("other").key(key("carol", 1)));
            assertDenied(() -> clerk.deleteItem(b -> b.tableName("orders").key(key("carol", 1))),
                    "User: arn:aws:iam::000000000000:user/clerk is not authorized to perform: dynamodb:DeleteItem on"
                            + " resource: " + ARN + "orders with an explicit deny in an identity-based policy");
            // A batch needs its action on each table it names; the deny is per action, so a batch delete is
            // dynamodb:BatchWriteItem and allowed, exactly as in IAM.
            clerk.batchWriteItem(b -> b.requestItems(Map.of("orders",
                    List.of(WriteRequest.builder().putRequest(PutRequest.builder().item(item("carol", 2)).build()).build()))));
        }
    }

    @Test
    void leadingKeysLimitAPrincipalToItsOwnPartition() {
        try (DynamoDbClient alice = client("AKIDALICE", "alice-secret")) {
            assertThat(alice.getItem(b -> b.tableName("orders").key(key("alice", 1))).item()).isNotEmpty();
            alice.putItem(b -> b.tableName("orders").item(item("alice", 2)));
            assertThat(alice.query(b -> b.tableName("orders").keyConditionExpression("#o = :o AND n > :n")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("alice"), ":n", AttributeValue.fromN("0"))))
                    .count()).isEqualTo(2);
            String bobsItem = "User: arn:aws:iam::000000000000:user/alice is not authorized to perform: dynamodb:%s on"
                    + " resource: " + ARN + "orders because no identity-based policy allows the dynamodb:%s action";
            assertDenied(() -> alice.getItem(b -> b.tableName("orders").key(key("bob", 1))), bobsItem.formatted("GetItem", "GetItem"));
            assertDenied(() -> alice.putItem(b -> b.tableName("orders").item(item("bob", 9))), bobsItem.formatted("PutItem", "PutItem"));
            assertDenied(() -> alice.query(b -> b.tableName("orders").keyConditionExpression("#o = :o")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":o", AttributeValue.fromS("bob")))), bobsItem.formatted("Query", "Query"));
            // One foreign key in a batch denies the whole batch.
            assertDenied(() -> alice.batchWriteItem(b -> b.requestItems(Map.of("orders", List.of(
                    WriteRequest.builder().putRequest(PutRequest.builder().item(item("alice", 3)).build()).build(),
                    WriteRequest.builder().putRequest(PutRequest.builder().item(item("bob", 3)).build()).build())))),
                    bobsItem.formatted("BatchWriteItem", "BatchWriteItem"));
        }
        try (DynamoDbClient admin = client("AKIDADMIN", "admin-secret")) {
            assertThat(admin.getItem(b -> b.tableName("orders").key(key("bob", 9))).hasItem()).isFalse();
            assertThat(admin.getItem(b -> b.tableName("orders").key(key("alice", 3))).hasItem()).isFalse();
        }
    }

    @Test
    void signaturesAreStillVerifiedFirst() {
        try (DynamoDbClient wrongSecret = client("AKIDADMIN", "not-the-secret");
                DynamoDbClient unknown = client("AKIDUNKNOWN", "whatever")) {
            assertThat(catchThrowableOfType(DynamoDbException.class, wrongSecret::listTables).awsErrorDetails().errorCode())
                    .isEqualTo("InvalidSignatureException");
            DynamoDbException e = catchThrowableOfType(DynamoDbException.class, unknown::listTables);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The security token included in the request is invalid.");
        }
    }

    private static void assertDenied(Executable call, String message) {
        DynamoDbException e = catchThrowableOfType(DynamoDbException.class, () -> {
            try {
                call.execute();
            } catch (Throwable t) {
                if (t instanceof RuntimeException r) throw r;
                throw new RuntimeException(t);
            }
        });
        assertThat(e).as("expected AccessDeniedException").isNotNull();
        assertThat(e.statusCode()).isEqualTo(400);
        assertThat(e.awsErrorDetails().errorCode()).isEqualTo("AccessDeniedException");
        assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
    }

    private static DynamoDbClient client(String accessKey, String secret) {
        return Clients.sync(server.endpoint(), accessKey, secret);
    }

    private static Map<String, AttributeValue> key(String owner, int n) {
        return Map.of("owner", AttributeValue.fromS(owner), "n", AttributeValue.fromN(Integer.toString(n)));
    }

    private static Map<String, AttributeValue> item(String owner, int n) {
        return Map.of("owner", AttributeValue.fromS(owner), "n", AttributeValue.fromN(Integer.toString(n)),
                "note", AttributeValue.fromS("order " + n));
    }
}

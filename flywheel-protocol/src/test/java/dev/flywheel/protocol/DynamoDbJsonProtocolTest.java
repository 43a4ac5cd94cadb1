package dev.flywheel.protocol;

import static dev.flywheel.model.AttributeValue.n;
import static dev.flywheel.model.AttributeValue.s;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.shapes.AttributeDefinition;
import dev.flywheel.model.shapes.AttributeValueUpdate;
import dev.flywheel.model.shapes.BatchWriteItemInput;
import dev.flywheel.model.shapes.BatchWriteItemOutput;
import dev.flywheel.model.shapes.Condition;
import dev.flywheel.model.shapes.ConsumedCapacity;
import dev.flywheel.model.shapes.CreateTableInput;
import dev.flywheel.model.shapes.CreateTableOutput;
import dev.flywheel.model.shapes.DeleteRequest;
import dev.flywheel.model.shapes.DescribeTableInput;
import dev.flywheel.model.shapes.DescribeTableOutput;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GetItemOutput;
import dev.flywheel.model.shapes.GlobalSecondaryIndex;
import dev.flywheel.model.shapes.GlobalSecondaryIndexDescription;
import dev.flywheel.model.shapes.KeySchemaElement;
import dev.flywheel.model.shapes.Projection;
import dev.flywheel.model.shapes.ProvisionedThroughput;
import dev.flywheel.model.shapes.ProvisionedThroughputDescription;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutItemOutput;
import dev.flywheel.model.shapes.PutRequest;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.model.shapes.TableDescription;
import dev.flywheel.model.shapes.Tag;
import dev.flywheel.model.shapes.TagResourceInput;
import dev.flywheel.model.shapes.UpdateItemInput;
import dev.flywheel.model.shapes.UpdateItemOutput;
import dev.flywheel.model.shapes.WriteRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The protocol end to end for the main item and table operations: the JSON an SDK sends becomes the
 * record the API receives, and the record the API returns becomes the JSON DynamoDB answers.
 */
class DynamoDbJsonProtocolTest {
    private final DynamoDbJsonProtocol protocol = new DynamoDbJsonProtocol();

    /** An item whose attributes keep the order given. */
    private static Map<String, AttributeValue> item(Object... namesAndValues) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            item.put((String) namesAndValues[i], (AttributeValue) namesAndValues[i + 1]);
        }
        return item;
    }

    private String invoke(DynamoDbApi api, String operation, String json) {
        byte[] padded = ("xx" + json + "yy").getBytes(UTF_8);
        return new String(protocol.invoke(api, operation, padded, 2, padded.length - 4), UTF_8);
    }

    @Test
    void createTable() {
        AtomicReference<CreateTableInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public CreateTableOutput createTable(CreateTableInput request) {
                seen.set(request);
                return CreateTableOutput.builder().tableDescription(TableDescription.builder()
                        .tableName("Music").tableStatus("CREATING").build()).build();
            }
        };

        String response = invoke(api, "CreateTable", """
                {"TableName": "Music",
                 "AttributeDefinitions": [{"AttributeName": "Artist", "AttributeType": "S"},
                                          {"AttributeName": "Year", "AttributeType": "N"}],
                 "KeySchema": [{"AttributeName": "Artist", "KeyType": "HASH"}],
                 "GlobalSecondaryIndexes": [{"IndexName": "ByYear",
                     "KeySchema": [{"AttributeName": "Year", "KeyType": "HASH"}],
                     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["Title"]},
                     "ProvisionedThroughput": {"ReadCapacityUnits": 5, "WriteCapacityUnits": 1}}],
                 "BillingMode": "PROVISIONED",
                 "ProvisionedThroughput": {"ReadCapacityUnits": 10, "WriteCapacityUnits": 20},
                 "Tags": [{"Key": "team", "Value": "audio"}],
                 "DeletionProtectionEnabled": false,
                 "SomethingNew": {"ignored": [1, 2, {"deep": null}]}}
                """);

        assertThat(seen.get()).isEqualTo(CreateTableInput.builder()
                .tableName("Music")
                .attributeDefinitions(List.of(new AttributeDefinition("Artist", "S"), new AttributeDefinition("Year", "N")))
                .keySchema(List.of(new KeySchemaElement("Artist", "HASH")))
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndex.builder().indexName("ByYear")
                        .keySchema(List.of(new KeySchemaElement("Year", "HASH")))
                        .projection(new Projection("INCLUDE", List.of("Title")))
                        .provisionedThroughput(new ProvisionedThroughput(5L, 1L)).build()))
                .billingMode("PROVISIONED")
                .provisionedThroughput(new ProvisionedThroughput(10L, 20L))
                .tags(List.of(new Tag("team", "audio")))
                .deletionProtectionEnabled(false)
                .build());
        assertThat(response).isEqualTo("{\"TableDescription\":{\"TableName\":\"Music\",\"TableStatus\":\"CREATING\"}}");
    }

    @Test
    void describeTableWritesTheNestedDescriptionWithTimestampsInSeconds() {
        AtomicReference<DescribeTableInput> seen = new AtomicReference<>();
        TableDescription table = TableDescription.builder()
                .attributeDefinitions(List.of(new AttributeDefinition("pk", "S")))
                .tableName("Orders")
                .keySchema(List.of(new KeySchemaElement("pk", "HASH")))
                .tableStatus("ACTIVE")
                .creationDateTime(Instant.ofEpochSecond(1_700_000_000L, 123_000_000))
                .provisionedThroughput(ProvisionedThroughputDescription.builder()
                        .lastIncreaseDateTime(Instant.ofEpochSecond(1_700_000_100L))
                        .numberOfDecreasesToday(0L).readCapacityUnits(5L).writeCapacityUnits(5L).build())
                .tableSizeBytes(0L).itemCount(0L)
                .tableArn("arn:aws:dynamodb:us-east-1:000000000000:table/Orders")
                .globalSecondaryIndexes(List.of(GlobalSecondaryIndexDescription.builder()
                        .indexName("ByCustomer").indexStatus("ACTIVE").backfilling(false)
                        .projection(new Projection("KEYS_ONLY", null)).build()))
                .deletionProtectionEnabled(true)
                .build();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public DescribeTableOutput describeTable(DescribeTableInput request) {
                seen.set(request);
                return new DescribeTableOutput(table);
            }
        };

        String response = invoke(api, "DescribeTable", "{\"TableName\":\"Orders\"}");

        assertThat(seen.get()).isEqualTo(new DescribeTableInput("Orders"));
        assertThat(response).isEqualTo("{\"Table\":{"
                + "\"AttributeDefinitions\":[{\"AttributeName\":\"pk\",\"AttributeType\":\"S\"}],"
                + "\"TableName\":\"Orders\","
                + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"}],"
                + "\"TableStatus\":\"ACTIVE\","
                + "\"CreationDateTime\":1700000000.123,"
                + "\"ProvisionedThroughput\":{\"LastIncreaseDateTime\":1700000100,\"NumberOfDecreasesToday\":0,"
                + "\"ReadCapacityUnits\":5,\"WriteCapacityUnits\":5},"
                + "\"TableSizeBytes\":0,\"ItemCount\":0,"
                + "\"TableArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/Orders\","
                + "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"ByCustomer\",\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"},"
                + "\"IndexStatus\":\"ACTIVE\",\"Backfilling\":false}],"
                + "\"DeletionProtectionEnabled\":true}}");
    }

    @Test
    void putItemWithEveryAttributeType() {
        AtomicReference<PutItemInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public PutItemOutput putItem(PutItemInput request) {
                seen.set(request);
                return PutItemOutput.builder()
                        .consumedCapacity(ConsumedCapacity.builder().tableName("T").capacityUnits(1.0).build()).build();
            }
        };

        String response = invoke(api, "PutItem", """
                {"TableName": "T",
                 "Item": {"s": {"S": "héllo \\"q\\""}, "n": {"N": "-1.5e3"}, "b": {"B": "AAEC"},
                          "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2"]}, "bs": {"BS": ["AA==", "AQ=="]},
                          "m": {"M": {"x": {"L": [{"NULL": true}, {"BOOL": false}]}}}},
                 "ConditionExpression": "attribute_not_exists(#s)",
                 "ExpressionAttributeNames": {"#s": "s"},
                 "ReturnConsumedCapacity": "TOTAL"}
                """);

        assertThat(seen.get()).isEqualTo(PutItemInput.builder().tableName("T").item(item(
                        "s", s("héllo \"q\""),
                        "n", n("-1.5e3"),
                        "b", AttributeValue.b(new byte[] {0, 1, 2}),
                        "ss", new AttributeValue.SS(List.of("a", "b")),
                        "ns", new AttributeValue.NS(List.of("1", "2")),
                        "bs", new AttributeValue.BS(List.of(new byte[] {0}, new byte[] {1})),
                        "m", new AttributeValue.M(Map.of("x", new AttributeValue.L(List.of(AttributeValue.NULL, AttributeValue.FALSE))))))
                .conditionExpression("attribute_not_exists(#s)").expressionAttributeNames(Map.of("#s", "s"))
                .returnConsumedCapacity("TOTAL").build());
        assertThat(List.copyOf(seen.get().item().keySet())).as("attributes keep their order")
                .containsExactly("s", "n", "b", "ss", "ns", "bs", "m");
        assertThat(response).isEqualTo("{\"ConsumedCapacity\":{\"TableName\":\"T\",\"CapacityUnits\":1.0}}");
    }

    @Test
    void getItemReturnsTheItem() {
        AtomicReference<GetItemInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public GetItemOutput getItem(GetItemInput request) {
                seen.set(request);
                return new GetItemOutput(item("pk", s("k1"),
                        "bin", AttributeValue.b(new byte[] {(byte) 0xff, 0x00}),
                        "list", new AttributeValue.L(List.of(n(42), new AttributeValue.BS(List.of(new byte[] {7}))))), null);
            }
        };

        String response = invoke(api, "GetItem",
                "{\"TableName\":\"T\",\"Key\":{\"pk\":{\"S\":\"k1\"}},\"ConsistentRead\":true,\"AttributesToGet\":[\"bin\"]}");

        assertThat(seen.get()).isEqualTo(GetItemInput.builder().tableName("T").key(Map.of("pk", s("k1")))
                .consistentRead(true).attributesToGet(List.of("bin")).build());
        assertThat(response).isEqualTo("{\"Item\":{\"pk\":{\"S\":\"k1\"},\"bin\":{\"B\":\"/wA=\"},"
                + "\"list\":{\"L\":[{\"N\":\"42\"},{\"BS\":[\"Bw==\"]}]}}}");
    }

    @Test
    void updateItemWithAttributeUpdates() {
        AtomicReference<UpdateItemInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public UpdateItemOutput updateItem(UpdateItemInput request) {
                seen.set(request);
                return UpdateItemOutput.builder().attributes(Map.of("count", n(3))).build();
            }
        };

        String response = invoke(api, "UpdateItem", """
                {"TableName": "T", "Key": {"pk": {"S": "a"}},
                 "AttributeUpdates": {"count": {"Value": {"N": "1"}, "Action": "ADD"},
                                      "old": {"Action": "DELETE"}},
                 "ReturnValues": "UPDATED_NEW"}
                """);

        Map<String, AttributeValueUpdate> updates = new LinkedHashMap<>();
        updates.put("count", new AttributeValueUpdate(n("1"), "ADD"));
        updates.put("old", new AttributeValueUpdate(null, "DELETE"));
        assertThat(seen.get()).isEqualTo(UpdateItemInput.builder().tableName("T").key(Map.of("pk", s("a")))
                .attributeUpdates(updates).returnValues("UPDATED_NEW").build());
        assertThat(response).isEqualTo("{\"Attributes\":{\"count\":{\"N\":\"3\"}}}");
    }

    @Test
    void queryWithKeyConditionsAndPaging() {
        AtomicReference<QueryInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public QueryOutput query(QueryInput request) {
                seen.set(request);
                return QueryOutput.builder()
                        .items(List.of(item("pk", s("a"), "sk", n(1))))
                        .count(1).scannedCount(1)
                        .lastEvaluatedKey(Map.of("pk", s("a")))
                        .build();
            }
        };

        String response = invoke(api, "Query", """
                {"TableName": "T", "IndexName": "idx", "Limit": 10, "ScanIndexForward": false,
                 "KeyConditions": {"pk": {"AttributeValueList": [{"S": "a"}], "ComparisonOperator": "EQ"}},
                 "ExclusiveStartKey": {"pk": {"S": "a"}, "sk": {"N": "0"}}}
                """);

        assertThat(seen.get()).isEqualTo(QueryInput.builder().tableName("T").indexName("idx").limit(10)
                .scanIndexForward(false)
                .keyConditions(Map.of("pk", new Condition(List.of(s("a")), "EQ")))
                .exclusiveStartKey(Map.of("pk", s("a"), "sk", n("0")))
                .build());
        assertThat(response).isEqualTo("{\"Items\":[{\"pk\":{\"S\":\"a\"},\"sk\":{\"N\":\"1\"}}],"
                + "\"Count\":1,\"ScannedCount\":1,\"LastEvaluatedKey\":{\"pk\":{\"S\":\"a\"}}}");
    }

    @Test
    void batchWriteItem() {
        AtomicReference<BatchWriteItemInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public BatchWriteItemOutput batchWriteItem(BatchWriteItemInput request) {
                seen.set(request);
                return BatchWriteItemOutput.builder().unprocessedItems(Map.of()).build();
            }
        };

        String response = invoke(api, "BatchWriteItem", """
                {"RequestItems": {"T": [{"PutRequest": {"Item": {"pk": {"S": "a"}}}},
                                        {"DeleteRequest": {"Key": {"pk": {"S": "b"}}}}]}}
                """);

        assertThat(seen.get()).isEqualTo(BatchWriteItemInput.builder().requestItems(Map.of("T", List.of(
                new WriteRequest(new PutRequest(Map.of("pk", s("a"))), null),
                new WriteRequest(null, new DeleteRequest(Map.of("pk", s("b"))))))).build());
        assertThat(response).isEqualTo("{\"UnprocessedItems\":{}}");
    }

    @Test
    void operationsWithoutOutputAnswerAnEmptyObject() {
        AtomicReference<TagResourceInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public Void tagResource(TagResourceInput request) {
                seen.set(request);
                return null;
            }
        };

        String response = invoke(api, "TagResource",
                "{\"ResourceArn\":\"arn:aws:dynamodb:us-east-1:000000000000:table/T\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"\"}]}");

        assertThat(seen.get().tags()).containsExactly(new Tag("k", ""));
        assertThat(response).isEqualTo("{}");
    }

    @Test
    void anOperationTheModelLacksIsUnknown() {
        assertThatThrownBy(() -> invoke(new DynamoDbApi() { }, "PutItems", "{}"))
                .isInstanceOfSatisfying(DynamoDbException.UnknownOperationException.class, e -> {
                    assertThat(e.type()).isEqualTo("com.amazon.coral.service#UnknownOperationException");
                    assertThat(e.getMessage()).isNull();
                });
    }

    @Test
    void theApiSeesAnEmptyRequestForAnEmptyObject() {
        AtomicReference<DescribeTableInput> seen = new AtomicReference<>();
        DynamoDbApi api = new DynamoDbApi() {
            @Override public DescribeTableOutput describeTable(DescribeTableInput request) {
                seen.set(request);
                return new DescribeTableOutput(null);
            }
        };

        // TableName is required: the request never reaches the API.
        assertThatThrownBy(() -> invoke(api, "DescribeTable", "{}"))
                .isInstanceOf(DynamoDbException.ValidationException.class);
        assertThat(seen.get()).isNull();
        assertThat(invoke(api, "DescribeTable", "{\"TableName\":\"abc\"}")).isEqualTo("{}");
    }

    @Test
    void errorsFromTheApiPassThrough() {
        DynamoDbApi api = new DynamoDbApi() {
            @Override public GetItemOutput getItem(GetItemInput request) {
                throw new DynamoDbException.ResourceNotFoundException("Requested resource not found");
            }
        };

        assertThatThrownBy(() -> invoke(api, "GetItem", "{\"TableName\":\"abc\",\"Key\":{\"pk\":{\"S\":\"a\"}}}"))
                .isInstanceOf(DynamoDbException.ResourceNotFoundException.class)
                .hasMessage("Requested resource not found");
    }

    @Test
    void rendersErrors() {
        String body = new String(protocol.renderError(
                new DynamoDbException.ValidationException("Value 'a\"b' at 'tableName' failed")), UTF_8);

        assertThat(body).isEqualTo("{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                + "\"message\":\"Value 'a\\\"b' at 'tableName' failed\"}");
    }
}

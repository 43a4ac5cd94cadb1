package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import dev.flywheel.model.shapes.PutItemInput;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/**
 * The service model's constraints, answered in DynamoDB's words: "N validation error(s) detected: "
 * and one "Value ... at 'path' failed to satisfy constraint: ..." per violation, over the whole
 * request. Expected messages that DynamoDB itself was recorded giving are marked as such.
 */
class ValidationMessagesTest {
    private final RecordingApi api = new RecordingApi();

    private AbstractThrowableAssert<?, ? extends Throwable> assertValidation(String operation, String json) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown = assertThatThrownBy(() -> api.invoke(operation, json))
                .isInstanceOf(ValidationException.class);
        thrown.satisfies(e -> assertThat(((ValidationException) e).type())
                .isEqualTo("com.amazon.coral.validate#ValidationException"));
        assertThat(api.<Object>lastRequest()).as("the API was not called").isNull();
        return thrown;
    }

    @Test
    void aMissingRequiredMember() {
        // Recorded from DynamoDB.
        assertValidation("PutItem", "{\"Item\":{}}").hasMessage("1 validation error detected: "
                + "Value null at 'tableName' failed to satisfy constraint: Member must not be null");
    }

    @Test
    void lengthsFollowTheModelShapeOfEachMember() {
        // PutItem's TableName is a TableArn (1 to 1024, no pattern). Recorded from DynamoDB.
        assertValidation("PutItem", "{\"TableName\":\"\",\"Item\":{}}").hasMessage("1 validation error detected: "
                + "Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 1");
        String longName = "a".repeat(1025);
        assertValidation("PutItem", "{\"TableName\":\"" + longName + "\",\"Item\":{}}").hasMessage(
                "1 validation error detected: Value '" + longName + "' at 'tableName' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 1024");
    }

    @Test
    void aPatternViolationComesBeforeALengthViolationOfTheSameMember() {
        // DynamoDB's order for a TableName shape (3 to 255, [a-zA-Z0-9_.-]+) given ''.
        assertValidation("DescribeGlobalTable", "{\"GlobalTableName\":\"\"}").hasMessage("2 validation errors detected: "
                + "Value '' at 'globalTableName' failed to satisfy constraint: "
                + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; "
                + "Value '' at 'globalTableName' failed to satisfy constraint: "
                + "Member must have length greater than or equal to 3");
        assertValidation("DescribeGlobalTable", "{\"GlobalTableName\":\"bad table!@#\"}").hasMessage(
                "1 validation error detected: Value 'bad table!@#' at 'globalTableName' failed to satisfy constraint: "
                        + "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+");
    }

    @Test
    void enumsAndMemberOrder() {
        // DynamoDB was recorded reporting these three members in this order (its ReturnValue enum
        // lists its values in another order than the model's, which Flywheel follows).
        assertValidation("PutItem", "{\"TableName\":\"abc\",\"Item\":{},\"ReturnValues\":\"INVALID\","
                + "\"ReturnConsumedCapacity\":\"INVALID\",\"ReturnItemCollectionMetrics\":\"INVALID\"}")
                .hasMessage("3 validation errors detected: "
                        + "Value 'INVALID' at 'returnValues' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [NONE, ALL_OLD, UPDATED_OLD, ALL_NEW, UPDATED_NEW]; "
                        + "Value 'INVALID' at 'returnConsumedCapacity' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [INDEXES, TOTAL, NONE]; "
                        + "Value 'INVALID' at 'returnItemCollectionMetrics' failed to satisfy constraint: "
                        + "Member must satisfy enum value set: [SIZE, NONE]");
        // And in this order for UpdateItem.
        assertValidation("UpdateItem", "{\"TableName\":\"abc\",\"Key\":{},\"ReturnValues\":\"INVALID\","
                + "\"ReturnConsumedCapacity\":\"INVALID\"}")
                .message().matches("2 validation errors detected: Value 'INVALID' at 'returnConsumedCapacity' .*; "
                        + "Value 'INVALID' at 'returnValues' .*");
        // And tableName after returnValues for PutItem.
        assertValidation("PutItem", "{\"TableName\":\"\",\"Item\":{},\"ReturnValues\":\"INVALID\"}")
                .message().matches("2 validation errors detected: Value 'INVALID' at 'returnValues' .*; "
                        + "Value '' at 'tableName' .*");
    }

    @Test
    void pathsIntoListsOfStructures() {
        assertValidation("CreateTable", """
                {"TableName": "abc", "AttributeDefinitions": [],
                 "KeySchema": [{"AttributeName": "a", "KeyType": "PRIMARY"}, {"KeyType": "RANGE"}]}
                """).hasMessage("2 validation errors detected: "
                + "Value 'PRIMARY' at 'keySchema.1.member.keyType' failed to satisfy constraint: "
                + "Member must satisfy enum value set: [HASH, RANGE]; "
                + "Value null at 'keySchema.2.member.attributeName' failed to satisfy constraint: Member must not be null");
        assertValidation("CreateTable", "{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[]}")
                .hasMessage("1 validation error detected: Value '[]' at 'keySchema' failed to satisfy constraint: "
                        + "Member must have length greater than or equal to 1");
    }

    @Test
    void nestedStructuresAndNumbers() {
        assertValidation("UpdateTable", """
                {"TableName": "abc", "ProvisionedThroughput": {"ReadCapacityUnits": 0, "WriteCapacityUnits": 0}}
                """).hasMessage("2 validation errors detected: "
                // The order DynamoDB was recorded giving.
                + "Value '0' at 'provisionedThroughput.writeCapacityUnits' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1; "
                + "Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: "
                + "Member must have value greater than or equal to 1");
        assertValidation("Scan", "{\"TableName\":\"abc\",\"Segment\":1000000,\"TotalSegments\":0,\"Limit\":0}")
                .message()
                .contains("Value '1000000' at 'segment' failed to satisfy constraint: Member must have value less than or equal to 999999")
                .contains("Value '0' at 'totalSegments' failed to satisfy constraint: Member must have value greater than or equal to 1")
                .contains("Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
                .startsWith("3 validation errors detected: ");
    }

    @Test
    void theElementsOfAListOfStringsAreCheckedAsOne() {
        assertValidation("CreateTable", """
                {"TableName": "abc", "AttributeDefinitions": [], "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
                 "LocalSecondaryIndexes": [{"IndexName": "idx", "KeySchema": [{"AttributeName": "a", "KeyType": "HASH"}],
                     "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["", "b"]}}]}
                """).hasMessage("1 validation error detected: "
                + "Value '[, b]' at 'localSecondaryIndexes.1.member.projection.nonKeyAttributes' failed to satisfy constraint: "
                + "Member must satisfy constraint: [Member must have length less than or equal to 255, "
                + "Member must have length greater than or equal to 1]");
    }

    @Test
    void mapsReportTheirKeysAndValuesAtTheMapAndDescendIntoValues() {
        String requests = IntStream.range(0, 26)
                .mapToObj(i -> "{\"PutRequest\":{\"Item\":{\"pk\":{\"S\":\"" + i + "\"}}}}")
                .collect(Collectors.joining(",", "[", "]"));
        // Recorded from DynamoDB, apart from how an AttributeValue shows.
        assertValidation("BatchWriteItem", "{\"RequestItems\":{\"Music\":" + requests + "}}")
                .message()
                .startsWith("1 validation error detected: Value '{Music=[WriteRequest(putRequest=PutRequest(item={pk="
                        + "AttributeValue(s=0, n=null, b=null, sS=null, nS=null, bS=null, m=null, l=null, nULL=null, bOOL=null)}), "
                        + "deleteRequest=null), WriteRequest(")
                .endsWith("deleteRequest=null)]}' at 'requestItems' failed to satisfy constraint: "
                        + "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                        + "Member must have length greater than or equal to 1]");

        assertValidation("BatchWriteItem", "{\"RequestItems\":{\"\":[]}}").hasMessage("2 validation errors detected: "
                + "Value '{=[]}' at 'requestItems' failed to satisfy constraint: "
                + "Map keys must satisfy constraint: [Member must have length less than or equal to 1024, "
                + "Member must have length greater than or equal to 1]; "
                + "Value '{=[]}' at 'requestItems' failed to satisfy constraint: "
                + "Map value must satisfy constraint: [Member must have length less than or equal to 25, "
                + "Member must have length greater than or equal to 1]");

        // dynalite recorded this path from DynamoDB: requestItems.<table>.member.<n>.member...
        assertValidation("BatchWriteItem", "{\"RequestItems\":{\"aa;\":[{\"PutRequest\":{},\"DeleteRequest\":{}}]}}")
                .hasMessage("2 validation errors detected: "
                        + "Value null at 'requestItems.aa;.member.1.member.putRequest.item' failed to satisfy constraint: "
                        + "Member must not be null; "
                        + "Value null at 'requestItems.aa;.member.1.member.deleteRequest.key' failed to satisfy constraint: "
                        + "Member must not be null");

        String keys = IntStream.range(0, 101).mapToObj(i -> "{\"pk\":{\"N\":\"" + i + "\"}}")
                .collect(Collectors.joining(",", "[", "]"));
        assertValidation("BatchGetItem", "{\"RequestItems\":{\"Music\":{\"Keys\":" + keys + "}}}")
                .message()
                .endsWith("' at 'requestItems.Music.member.keys' failed to satisfy constraint: "
                        + "Member must have length less than or equal to 100");
    }

    @Test
    void attributeNamesInItemsAreCheckedAsMapKeys() {
        String name = "n".repeat(65536);
        assertValidation("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"" + name + "\":{\"NULL\":true}}}")
                .message().endsWith("' at 'item' failed to satisfy constraint: "
                        + "Map keys must satisfy constraint: [Member must have length less than or equal to 65535]");
    }

    @Test
    void atMostTenViolationsAreListed() {
        StringBuilder json = new StringBuilder("{\"TableName\":\"abc\",\"AttributeDefinitions\":[],\"KeySchema\":[");
        for (int i = 0; i < 12; i++) {
            json.append(i == 0 ? "" : ",").append("{\"KeyType\":\"HASH\"}");
        }
        json.append("]}");
        assertValidation("CreateTable", json.toString()).message()
                .startsWith("10 validation errors detected: Value null at 'keySchema.1.member.attributeName'")
                .contains("'keySchema.10.member.attributeName'")
                .doesNotContain("'keySchema.11.member.attributeName'");
    }

    @Test
    void attributeValueProblemsComeAfterTheConstraints() {
        // An AttributeValue with no type is reported only if the constraints hold (DynamoDB's order).
        assertValidation("PutItem", "{\"TableName\":\"\",\"Item\":{\"a\":{}}}").message()
                .startsWith("1 validation error detected: Value '' at 'tableName'");
        assertValidation("PutItem", "{\"TableName\":\"abc\",\"Item\":{\"a\":{}}}")
                .hasMessage("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }

    @Test
    void aValidRequestReachesTheApi() {
        api.invoke("PutItem", "{\"TableName\":\"arn:aws:dynamodb:us-east-1:000000000000:table/Music\","
                + "\"Item\":{\"a\":{\"S\":\"x\"}},\"ReturnValues\":\"ALL_OLD\"}");
        assertThat(api.<PutItemInput>lastRequest().item()).containsEntry("a", AttributeValue.s("x"));
    }
}

package dev.flywheel.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The encryption-at-rest tests' data, on either backend: a table "orders" and items whose partition
 * keys, attribute names, values and GSI partition keys carry a secret marker, and whose sort keys (of the
 * table and of the index) carry a visible one; then a scan of files for either marker.
 */
final class MarkedItems {
    private MarkedItems() {}

    /** Creates "orders" with the index "byOwner", {@code extra} adding to the request (an SSESpecification, say). */
    static void createTable(DynamoDbClient client, String secret, Consumer<CreateTableRequest.Builder> extra) {
        client.createTable(b -> {
            b.tableName("orders").billingMode(BillingMode.PAY_PER_REQUEST)
                    .attributeDefinitions(
                            a -> a.attributeName("pk_" + secret).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("sk").attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("gpk_" + secret).attributeType(ScalarAttributeType.S),
                            a -> a.attributeName("gsk").attributeType(ScalarAttributeType.S))
                    .keySchema(k -> k.attributeName("pk_" + secret).keyType(KeyType.HASH),
                            k -> k.attributeName("sk").keyType(KeyType.RANGE))
                    .globalSecondaryIndexes(g -> g.indexName("byOwner")
                            .keySchema(k -> k.attributeName("gpk_" + secret).keyType(KeyType.HASH),
                                    k -> k.attributeName("gsk").keyType(KeyType.RANGE))
                            .projection(p -> p.projectionType(ProjectionType.ALL)));
            extra.accept(b);
        });
    }

    static Map<String, AttributeValue> item(int i, String secret, String visible) {
        return Map.of("pk_" + secret, AttributeValue.fromS("owner-" + i + "-" + secret),
                "sk", AttributeValue.fromS(visible + "-" + i),
                "gpk_" + secret, AttributeValue.fromS("group-" + secret),
                "gsk", AttributeValue.fromS(visible + "-g" + i),
                "note_" + secret, AttributeValue.fromS("a note about " + secret + " number " + i));
    }

    /** Every file under {@code root} whose bytes contain {@code marker}, as paths relative to {@code root}. */
    static List<String> filesContaining(Path root, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(file), needle) >= 0) found.add(root.relativize(file).toString());
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}

package dev.flywheel.bench;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.shapes.GetItemInput;
import dev.flywheel.model.shapes.GetItemOutput;
import dev.flywheel.model.shapes.PutItemInput;
import dev.flywheel.model.shapes.PutItemOutput;
import dev.flywheel.model.shapes.QueryInput;
import dev.flywheel.model.shapes.QueryOutput;
import dev.flywheel.protocol.DynamoDbJsonProtocol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The AWS JSON 1.0 codec alone: one request body through {@link DynamoDbJsonProtocol#invoke}, against
 * an API that answers a fixed result at once, so that only decoding, constraint checking and encoding
 * are measured (no engine, no storage, no HTTP).
 *
 * <ul>
 *   <li>{@code putItem}: decodes a PutItem request; the answer is {@code {}}.
 *   <li>{@code getItemMiss}: decodes a GetItem request; the answer is {@code {}} (item not found).
 *   <li>{@code getItem}: the same request, answered with the item: minus {@code getItemMiss}, that is
 *       the cost of encoding one item.
 *   <li>{@code query100}: decodes a Query request and encodes a page of 100 items.
 * </ul>
 * {@code item} chooses the item: {@code flat} is the ~300-byte item of {@code capacity.sh} (a string
 * key, two 100-character strings, a number); {@code document} adds a nested map, a list, sets, a
 * binary and a boolean, as document-style applications store.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar JsonCodecBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class JsonCodecBenchmark {
    private static final String FLAT_ITEM = """
            {"pk":{"S":"user#0000012345"},
             "f0":{"S":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
             "f1":{"S":"yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},
             "f2":{"N":"12345"}}""";

    private static final String DOCUMENT_ITEM = """
            {"pk":{"S":"user#0000012345"},
             "name":{"S":"Ada Lovelace"},
             "age":{"N":"36"},
             "balance":{"N":"-1234.5678"},
             "active":{"BOOL":true},
             "avatar":{"B":"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="},
             "tags":{"SS":["admin","beta","math"]},
             "scores":{"NS":["1","2.5","300"]},
             "address":{"M":{"street":{"S":"12 St James's Square"},"city":{"S":"London"},"zip":{"S":"SW1Y 4JH"},
                             "geo":{"M":{"lat":{"N":"51.5074"},"lon":{"N":"-0.1340"}}}}},
             "history":{"L":[{"S":"signup"},{"N":"1700000000"},{"NULL":true},{"M":{"event":{"S":"login"}}}]}}""";

    @Param({"flat", "document"})
    String item;

    private final DynamoDbJsonProtocol protocol = new DynamoDbJsonProtocol();
    private final FixedAnswers found = new FixedAnswers();
    private final FixedAnswers missing = new FixedAnswers();
    private byte[] putItemRequest;
    private byte[] getItemRequest;
    private byte[] queryRequest;

    @Setup
    public void setUp() {
        String itemJson = item.equals("flat") ? FLAT_ITEM : DOCUMENT_ITEM;
        putItemRequest = utf8("{\"TableName\":\"bench\",\"Item\":" + itemJson + "}");
        getItemRequest = utf8("{\"TableName\":\"bench\",\"Key\":{\"pk\":{\"S\":\"user#0000012345\"}},\"ConsistentRead\":false}");
        queryRequest = utf8("""
                {"TableName":"bench","KeyConditionExpression":"pk = :pk",
                 "ExpressionAttributeValues":{":pk":{"S":"user#0000012345"}},"Limit":100}""");

        // The answers hold the item as the codec decodes it from the PutItem request.
        protocol.invoke(found, "PutItem", putItemRequest, 0, putItemRequest.length);
        Map<String, AttributeValue> decoded = found.lastPut;
        found.getItem = new GetItemOutput(decoded, null);
        List<Map<String, AttributeValue>> page = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Map<String, AttributeValue> copy = new LinkedHashMap<>(decoded);
            copy.put("sk", AttributeValue.n(i));
            page.add(copy);
        }
        found.query = new QueryOutput(page, page.size(), page.size(), null, null);
        missing.getItem = new GetItemOutput(null, null);
    }

    @Benchmark
    public byte[] putItem() {
        return protocol.invoke(found, "PutItem", putItemRequest, 0, putItemRequest.length);
    }

    @Benchmark
    public byte[] getItemMiss() {
        return protocol.invoke(missing, "GetItem", getItemRequest, 0, getItemRequest.length);
    }

    @Benchmark
    public byte[] getItem() {
        return protocol.invoke(found, "GetItem", getItemRequest, 0, getItemRequest.length);
    }

    @Benchmark
    public byte[] query100() {
        return protocol.invoke(found, "Query", queryRequest, 0, queryRequest.length);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An API that does no work: it answers prepared results, and remembers the last PutItem's item. */
    private static final class FixedAnswers implements DynamoDbApi {
        private static final PutItemOutput NOTHING = new PutItemOutput(null, null, null);
        Map<String, AttributeValue> lastPut;
        GetItemOutput getItem;
        QueryOutput query;

        @Override
        public PutItemOutput putItem(PutItemInput request) {
            lastPut = request.item();
            return NOTHING;
        }

        @Override
        public GetItemOutput getItem(GetItemInput request) {
            return getItem;
        }

        @Override
        public QueryOutput query(QueryInput request) {
            return query;
        }
    }
}

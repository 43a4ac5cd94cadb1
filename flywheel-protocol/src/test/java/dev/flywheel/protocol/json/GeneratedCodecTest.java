package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbApi;
import dev.flywheel.model.DynamoDbStreamsApi;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated codec as a whole: an operation for every method of the APIs, and for every structure
 * of the models (DynamoDB's and DynamoDB Streams') a reader that reads back what its writer wrote,
 * every member set.
 */
class GeneratedCodecTest {

    @Test
    void everyApiMethodIsAnOperation() {
        assertThat(operationNames(DynamoDbApi.class)).hasSize(57).allSatisfy(name ->
                assertThat(DynamoDbOperations.named(name)).as(name).isNotNull()
                        .extracting(Operation::name).isEqualTo(name));
        assertThat(DynamoDbOperations.named("putItem")).isNull();
        assertThat(DynamoDbOperations.named(null)).isNull();
        assertThat(DynamoDbOperations.named("GetRecords")).as("a Streams operation").isNull();
    }

    @Test
    void everyStreamsApiMethodIsAnOperation() {
        assertThat(operationNames(DynamoDbStreamsApi.class)).hasSize(4).allSatisfy(name ->
                assertThat(DynamoDbStreamsOperations.named(name)).as(name).isNotNull()
                        .extracting(Operation::name).isEqualTo(name));
        assertThat(DynamoDbStreamsOperations.named("GetItem")).isNull();
    }

    private static List<String> operationNames(Class<?> api) {
        return Arrays.stream(api.getDeclaredMethods())
                .filter(m -> !Modifier.isStatic(m.getModifiers()))
                .map(m -> Character.toUpperCase(m.getName().charAt(0)) + m.getName().substring(1))
                .toList();
    }

    @Test
    void theClientSideWritesInputsAndReadsOutputs() {
        @SuppressWarnings("unchecked")
        Operation<DynamoDbApi, dev.flywheel.model.shapes.GetItemInput, dev.flywheel.model.shapes.GetItemOutput> getItem =
                (Operation<DynamoDbApi, dev.flywheel.model.shapes.GetItemInput, dev.flywheel.model.shapes.GetItemOutput>)
                        DynamoDbOperations.named("GetItem");
        var input = dev.flywheel.model.shapes.GetItemInput.builder().tableName("T")
                .key(Map.of("pk", AttributeValue.s("a"))).build();
        assertThat(new String(getItem.writeInput(input))).isEqualTo("{\"TableName\":\"T\",\"Key\":{\"pk\":{\"S\":\"a\"}}}");
        byte[] response = "{\"Item\":{\"pk\":{\"S\":\"a\"}},\"Unknown\":1}".getBytes();
        assertThat(getItem.readOutput(response, 0, response.length).item()).containsEntry("pk", AttributeValue.s("a"));
    }

    /** The generated structure codecs, by name without "Json": PutItemInput, StreamsRecord, ... */
    static Stream<String> structures() throws IOException, URISyntaxException {
        Path classes = Path.of(GeneratedCodecTest.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolveSibling("classes").resolve("dev/flywheel/protocol/json");
        try (Stream<Path> files = Files.list(classes)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith("Json.class") && !f.equals("AttributeValueJson.class") && !f.equals("ErrorJson.class"))
                    .map(f -> f.substring(0, f.length() - "Json.class".length()))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @Test
    void everyStructureOfTheModelsHasACodec() throws Exception {
        assertThat(structures().filter(s -> !s.startsWith("Streams")).count()).isEqualTo(223);
        assertThat(structures().filter(s -> s.startsWith("Streams")).count()).isEqualTo(17);
    }

    @ParameterizedTest
    @MethodSource("structures")
    void writeThenReadGivesTheSameRecord(String codecName) throws Exception {
        Class<?> record = codecName.startsWith("Streams")
                ? Class.forName("dev.flywheel.model.streams." + codecName.substring("Streams".length()))
                : Class.forName("dev.flywheel.model.shapes." + codecName);
        Class<?> codec = Class.forName("dev.flywheel.protocol.json." + codecName + "Json");
        Method write = codec.getDeclaredMethod("write", JsonOutput.class, record);
        Method read = codec.getDeclaredMethod("read", JsonInput.class, Slot.class);
        Object value = sample(record);

        byte[] json = JsonOutput.toBytes(value, (out, v) -> invoke(write, out, v));
        Object readBack = new JsonInput(json, 0, json.length).readDocument(in -> invoke(read, in, Slot.VALUE));

        assertThat(readBack).isEqualTo(value);
        assertThat(new String(json)).as("every member is written").doesNotContain("null");
    }

    private static Object invoke(Method method, Object... args) throws IOException {
        try {
            return method.invoke(null, args);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** A value of {@code type} with every member set, recursively. */
    private static Object sample(Type type) throws ReflectiveOperationException {
        if (type instanceof ParameterizedType p) {
            Type[] args = p.getActualTypeArguments();
            return p.getRawType() == List.class ? List.of(sample(args[0])) : Map.of("key", sample(args[1]));
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return "text \"quoted\" é";
        } else if (c == Integer.class) {
            return -7;
        } else if (c == Long.class) {
            return 1L << 40;
        } else if (c == Double.class) {
            return 0.25;
        } else if (c == Boolean.class) {
            return true;
        } else if (c == Instant.class) {
            return Instant.ofEpochSecond(1_700_000_000L, 5_000_000);
        } else if (c == byte[].class) {
            return new byte[] {1, 2};
        } else if (c == AttributeValue.class) {
            return new AttributeValue.M(Map.of("n", AttributeValue.n(1), "b", AttributeValue.b(new byte[] {9})));
        }
        RecordComponent[] components = c.getRecordComponents();
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = sample(components[i].getGenericType());
            types[i] = components[i].getType();
        }
        return c.getDeclaredConstructor(types).newInstance(values);
    }
}

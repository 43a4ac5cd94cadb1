package dev.flywheel.protocol.json;

import dev.flywheel.model.DynamoDbException;
import java.io.IOException;
import java.util.function.BiFunction;

/**
 * One operation of a service model on the AWS JSON 1.0 protocol: how to read its input, check the
 * model's constraints on it, call it on an API, and write its output; and the other way round for a
 * client. The instances are generated, one per operation ({@link DynamoDbOperations}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param <A> the API the operation is called on
 * @param <I> the input record
 * @param <O> the output record ({@code Void} for operations without output, written as {@code {}})
 */
public final class Operation<A, I, O> {
    private final String name;
    private final JsonInput.Reader<I> inputReader;
    private final Constraints.Checker<I> inputChecker;
    private final BiFunction<A, I, O> call;
    private final JsonOutput.Writer<O> outputWriter;
    private final JsonOutput.Writer<I> inputWriter;
    private final JsonInput.Reader<O> outputReader;

    Operation(String name, JsonInput.Reader<I> inputReader, Constraints.Checker<I> inputChecker,
            BiFunction<A, I, O> call, JsonOutput.Writer<O> outputWriter,
            JsonOutput.Writer<I> inputWriter, JsonInput.Reader<O> outputReader) {
        this.name = name;
        this.inputReader = inputReader;
        this.inputChecker = inputChecker;
        this.call = call;
        this.outputWriter = outputWriter;
        this.inputWriter = inputWriter;
        this.outputReader = outputReader;
    }

    /** The operation's name in the model, e.g. {@code PutItem}. */
    public String name() {
        return name;
    }

    /**
     * Serves one request: reads the JSON input in {@code body[offset, offset+length)}, checks it,
     * calls {@code api} and returns the JSON output.
     *
     * <p>Errors come in DynamoDB's order: SerializationException for input that is not the
     * operation's JSON, then ValidationException for the model's constraints (all violations in one
     * message), then the AttributeValue problems found while reading, then whatever the API throws.
     *
     * @throws DynamoDbException as above
     */
    public byte[] invoke(A api, byte[] body, int offset, int length) {
        JsonInput in = new JsonInput(body, offset, length);
        I input = in.readDocument(inputReader);
        Constraints constraints = new Constraints();
        inputChecker.check(input, constraints);
        constraints.throwIfViolated();
        in.throwDeferred();
        return JsonOutput.toBytes(call.apply(api, input), outputWriter);
    }

    /** The JSON body of a request, for a client of a remote endpoint. */
    public byte[] writeInput(I input) {
        return JsonOutput.toBytes(input, inputWriter);
    }

    /** Reads a response body, for a client of a remote endpoint. */
    public O readOutput(byte[] body, int offset, int length) {
        return new JsonInput(body, offset, length).readDocument(outputReader);
    }

    /** The output of an operation that has none in the model: {@code {}}. */
    static void writeNothing(JsonOutput out, Void nothing) throws IOException {
        out.startObject();
        out.endObject();
    }

    /** Reads the {@code {}} of an operation that has no output in the model. */
    static Void readNothing(JsonInput in) throws IOException {
        in.skipValue();
        return null;
    }
}

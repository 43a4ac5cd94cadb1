package dev.flywheel.server;

import dev.flywheel.model.DynamoDbException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A {@link RequestInvoker} that answers from a script instead of a codec and an engine, and records
 * what it was asked. Errors render as DynamoDB's JSON: {@code __type}, and {@code message} when there is one.
 */
class TestInvoker implements RequestInvoker {
    final List<Target> targets = new CopyOnWriteArrayList<>();
    final List<String> bodies = new CopyOnWriteArrayList<>();
    final List<DynamoDbException> renderedErrors = new CopyOnWriteArrayList<>();
    private final Function<Target, String> script;

    /** {@code script} returns the JSON body or throws. */
    TestInvoker(Function<Target, String> script) {
        this.script = script;
    }

    /** Answers every operation with {@code {"Operation":"<name>"}}. */
    static TestInvoker echoingOperation() {
        return new TestInvoker(target -> "{\"Operation\":\"" + target.operation() + "\"}");
    }

    @Override
    public byte[] invoke(Target target, String caller, byte[] body, int offset, int length) {
        targets.add(target);
        bodies.add(new String(body, offset, length, StandardCharsets.UTF_8));
        return script.apply(target).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] renderError(DynamoDbException error) {
        renderedErrors.add(error);
        String message = error.getMessage() == null ? "" : ",\"message\":\"" + error.getMessage().replace("\"", "\\\"") + "\"";
        return ("{\"__type\":\"" + error.type() + "\"" + message + "}").getBytes(StandardCharsets.UTF_8);
    }
}

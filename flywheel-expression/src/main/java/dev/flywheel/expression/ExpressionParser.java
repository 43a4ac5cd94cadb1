package dev.flywheel.expression;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Parses DynamoDB expressions into trees that still hold their {@code #name} and {@code :value}
 * placeholders, so a parsed expression depends on its text alone and can be cached by it; see
 * {@link Placeholders} for the second step.
 *
 * <p>Every method throws {@link dev.flywheel.model.DynamoDbException.ValidationException} with
 * DynamoDB's message for what can be known from the text: an empty or over-4KB expression, a
 * syntax error ({@code Invalid UpdateExpression: Syntax error; token: "x", near: "a x b"}), an
 * unknown or misplaced function, a reserved word used as a name, a repeated update clause, wrong
 * arity, more than 300 operators. Stateless and thread-safe; arguments must not be null.
 */
public final class ExpressionParser {

    /** DynamoDB's limit on every expression parameter, in UTF-8 bytes of the raw text. */
    public static final int MAX_EXPRESSION_BYTES = 4096;

    private ExpressionParser() {}

    public static ConditionExpression parseCondition(String text) {
        return parseConditionLike(ExpressionKind.CONDITION, text);
    }

    public static ConditionExpression parseFilter(String text) {
        return parseConditionLike(ExpressionKind.FILTER, text);
    }

    /** Parses with the condition grammar; which conditions a key condition may hold is the engine's rule. */
    public static ConditionExpression parseKeyCondition(String text) {
        return parseConditionLike(ExpressionKind.KEY_CONDITION, text);
    }

    public static UpdateExpression parseUpdate(String text) {
        checkText(ExpressionKind.UPDATE, text);
        return onSufficientStack(deep -> {
            Parser.Result<UpdateExpression> parsed = new Parser(ExpressionKind.UPDATE, text, deep).update();
            StaticChecks.checkUpdate(parsed);
            return parsed.tree();
        });
    }

    public static ProjectionExpression parseProjection(String text) {
        checkText(ExpressionKind.PROJECTION, text);
        return onSufficientStack(deep -> {
            Parser.Result<ProjectionExpression> parsed = new Parser(ExpressionKind.PROJECTION, text, deep).projection();
            StaticChecks.checkProjection(parsed);
            return parsed.tree();
        });
    }

    private static ConditionExpression parseConditionLike(ExpressionKind kind, String text) {
        checkText(kind, text);
        return onSufficientStack(deep -> {
            Parser.Result<Condition> parsed = new Parser(kind, text, deep).condition();
            StaticChecks.checkCondition(kind, parsed);
            return new ConditionExpression(kind, parsed.tree());
        });
    }

    /**
     * Emptiness, then size, both before any parsing: DynamoDB reports an over-long text as too
     * long even when it is also a syntax error. Only Condition and Filter expressions append the
     * size (captured from DynamoDB: "...maximum allowed size; expression size: 4097").
     */
    private static void checkText(ExpressionKind kind, String text) {
        if (text.isBlank()) throw Errors.invalid(kind, "The expression can not be empty;");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPRESSION_BYTES) {
            String size = kind == ExpressionKind.CONDITION || kind == ExpressionKind.FILTER ? " expression size: " + bytes : "";
            throw Errors.invalid(kind, "Expression size has exceeded the maximum allowed size;" + size);
        }
    }

    private interface Step<T> {
        T run(boolean deepAllowed);
    }

    /**
     * Runs a parse on the caller's thread; if the text nests deeper than is safe there (possible
     * within 4KB: "((((...", "f(f(f(..."), runs it again on a thread with a stack large enough for
     * anything 4KB can nest. Such texts are rare and always invalid, so the extra thread is cheap.
     */
    private static <T> T onSufficientStack(Step<T> step) {
        try {
            return step.run(false);
        } catch (Parser.TooDeep e) {
            return onLargeStack(() -> step.run(true));
        }
    }

    private static <T> T onLargeStack(Supplier<T> work) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                result.set(work.get());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "flywheel-deep-expression", 256L << 20);
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while parsing a deeply nested expression", e);
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) throw re;
        if (t instanceof Error err) throw err;
        return result.get();
    }
}

package dev.flywheel.bench;

import dev.flywheel.expression.ConditionEvaluator;
import dev.flywheel.expression.ConditionExpression;
import dev.flywheel.expression.ExpressionParser;
import dev.flywheel.expression.Placeholders;
import dev.flywheel.expression.UpdateEvaluator;
import dev.flywheel.expression.UpdateExpression;
import dev.flywheel.expression.UpdateResult;
import dev.flywheel.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The expression language's three steps, apart and together, for a typical ConditionExpression and
 * UpdateExpression (issue 4):
 * <ul>
 *   <li>parse: text to a tree that still holds its placeholders ({@link ExpressionParser});
 *   <li>resolve: one request's ExpressionAttributeNames/Values wrapped and checked, the tree's
 *       {@code #n} and {@code :v} replaced, unused placeholders checked ({@link Placeholders});
 *   <li>evaluate: the resolved tree against a stored item ({@link ConditionEvaluator},
 *       {@link UpdateEvaluator}).
 * </ul>
 * The engine caches parsed trees by text ({@code ParsedExpressions}), so a request pays resolve and
 * evaluate, and parse only the first time it sends a text; {@code *All} is the price without the cache.
 * The item has the condition's {@code pk}, so {@code attribute_not_exists(pk)} is false and the
 * comparison {@code #v < :v} is evaluated too (a numeric comparison, exact decimal).
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar ExpressionBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ExpressionBenchmark {
    static final String CONDITION = "attribute_not_exists(pk) OR #v < :v";
    static final String UPDATE = "SET a = a + :one, b = :b REMOVE c";

    private final Map<String, String> conditionNames = Map.of("#v", "v");
    private final Map<String, AttributeValue> conditionValues = Map.of(":v", AttributeValue.n("1000"));
    private final Map<String, AttributeValue> updateValues = new LinkedHashMap<>();
    private final Map<String, AttributeValue> item = new LinkedHashMap<>();

    private ConditionExpression parsedCondition;
    private ConditionExpression resolvedCondition;
    private UpdateExpression parsedUpdate;
    private UpdateExpression resolvedUpdate;

    @Setup
    public void setUp() {
        updateValues.put(":one", AttributeValue.n("1"));
        updateValues.put(":b", AttributeValue.s("hello"));
        item.put("pk", AttributeValue.s("user#0000012345"));
        item.put("v", AttributeValue.n("999"));
        item.put("a", AttributeValue.n("41"));
        item.put("b", AttributeValue.s("old"));
        item.put("c", AttributeValue.s("to be removed"));
        item.put("f0", AttributeValue.s("x".repeat(100)));
        parsedCondition = conditionParse();
        resolvedCondition = conditionResolve();
        parsedUpdate = updateParse();
        resolvedUpdate = updateResolve();
    }

    @Benchmark
    public ConditionExpression conditionParse() {
        return ExpressionParser.parseCondition(CONDITION);
    }

    @Benchmark
    public ConditionExpression conditionResolve() {
        Placeholders placeholders = Placeholders.of(conditionNames, conditionValues);
        ConditionExpression resolved = placeholders.resolve(parsedCondition);
        placeholders.checkAllUsed();
        return resolved;
    }

    @Benchmark
    public boolean conditionEvaluate() {
        return ConditionEvaluator.evaluate(resolvedCondition, item);
    }

    @Benchmark
    public boolean conditionAll() {
        Placeholders placeholders = Placeholders.of(conditionNames, conditionValues);
        ConditionExpression resolved = placeholders.resolve(ExpressionParser.parseCondition(CONDITION));
        placeholders.checkAllUsed();
        return ConditionEvaluator.evaluate(resolved, item);
    }

    @Benchmark
    public UpdateExpression updateParse() {
        return ExpressionParser.parseUpdate(UPDATE);
    }

    @Benchmark
    public UpdateExpression updateResolve() {
        Placeholders placeholders = Placeholders.of(null, updateValues);
        UpdateExpression resolved = placeholders.resolve(parsedUpdate);
        placeholders.checkAllUsed();
        return resolved;
    }

    @Benchmark
    public UpdateResult updateEvaluate() {
        return UpdateEvaluator.apply(resolvedUpdate, item);
    }

    @Benchmark
    public UpdateResult updateAll() {
        Placeholders placeholders = Placeholders.of(null, updateValues);
        UpdateExpression resolved = placeholders.resolve(ExpressionParser.parseUpdate(UPDATE));
        placeholders.checkAllUsed();
        return UpdateEvaluator.apply(resolved, item);
    }
}

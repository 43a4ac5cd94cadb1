package dev.flywheel.engine.expressions;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.flywheel.expression.ConditionExpression;
import dev.flywheel.expression.ExpressionKind;
import dev.flywheel.expression.ExpressionParser;
import dev.flywheel.expression.ProjectionExpression;
import dev.flywheel.expression.UpdateExpression;
import java.util.function.Function;

/**
 * Parsed expressions cached by their text: applications send the same few expressions over and
 * over with different values, so each text is parsed once (STYLE.md; Alternator's parsed-expression
 * cache). Parsed trees still hold their placeholders; {@link RequestExpressions} resolves them per
 * request. Texts that fail to parse are not cached. Thread-safe.
 */
public final class ParsedExpressions {
    private static final int MAX_ENTRIES = 10_000;

    private record Key(ExpressionKind kind, String text) {}

    private final Cache<Key, Object> cache = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    ConditionExpression condition(ExpressionKind kind, String text) {
        return (ConditionExpression) get(kind, text, t -> switch (kind) {
            case CONDITION -> ExpressionParser.parseCondition(t);
            case FILTER -> ExpressionParser.parseFilter(t);
            case KEY_CONDITION -> ExpressionParser.parseKeyCondition(t);
            default -> throw new IllegalArgumentException("not a condition kind: " + kind);
        });
    }

    UpdateExpression update(String text) {
        return (UpdateExpression) get(ExpressionKind.UPDATE, text, ExpressionParser::parseUpdate);
    }

    ProjectionExpression projection(String text) {
        return (ProjectionExpression) get(ExpressionKind.PROJECTION, text, ExpressionParser::parseProjection);
    }

    private Object get(ExpressionKind kind, String text, Function<String, Object> parse) {
        Key key = new Key(kind, text);
        Object parsed = cache.getIfPresent(key);
        if (parsed == null) {
            parsed = parse.apply(text);
            cache.put(key, parsed);
        }
        return parsed;
    }
}

package dev.flywheel.expression;

import dev.flywheel.expression.Condition.And;
import dev.flywheel.expression.Condition.Between;
import dev.flywheel.expression.Condition.Comparison;
import dev.flywheel.expression.Condition.Comparator;
import dev.flywheel.expression.Condition.Not;
import dev.flywheel.expression.Condition.Or;
import dev.flywheel.expression.PathElement.Index;
import dev.flywheel.expression.PathElement.Name;
import dev.flywheel.expression.PathElement.NameRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.flywheel.expression.Fixtures.assertValidation;
import static org.assertj.core.api.Assertions.assertThat;

class ParserTest {

    private static Condition parse(String text) {
        return ExpressionParser.parseCondition(text).condition();
    }

    private static Comparison eq(String path, String value) {
        return new Comparison(Comparator.EQ, DocumentPath.of(path), new Operand.ValueRef(value));
    }

    @Test
    void documentPaths() {
        Comparison c = (Comparison) parse("a.b[2].#c[10] = :v");
        assertThat(((DocumentPath) c.left()).elements()).containsExactly(
                new Name("a"), new Name("b"), new Index(2), new NameRef("#c"), new Index(10));
        assertThat(((DocumentPath) ((Comparison) parse("#n[1] < :v")).left()).elements())
                .containsExactly(new NameRef("#n"), new Index(1));
    }

    @Test
    void andBindsTighterThanOr() {
        assertThat(parse("a = :a OR b = :b AND c = :c"))
                .isEqualTo(new Or(eq("a", ":a"), new And(eq("b", ":b"), eq("c", ":c"))));
        assertThat(parse("a = :a AND b = :b OR c = :c"))
                .isEqualTo(new Or(new And(eq("a", ":a"), eq("b", ":b")), eq("c", ":c")));
    }

    @Test
    void notBindsTighterThanAnd() {
        assertThat(parse("NOT a = :a AND b = :b")).isEqualTo(new And(new Not(eq("a", ":a")), eq("b", ":b")));
        assertThat(parse("NOT NOT a = :a")).isEqualTo(new Not(new Not(eq("a", ":a"))));
        assertThat(parse("NOT (a = :a OR b = :b)")).isEqualTo(new Not(new Or(eq("a", ":a"), eq("b", ":b"))));
    }

    @Test
    void andOrAreLeftAssociative() {
        assertThat(parse("a = :a AND b = :b AND c = :c"))
                .isEqualTo(new And(new And(eq("a", ":a"), eq("b", ":b")), eq("c", ":c")));
        assertThat(parse("a = :a AND (b = :b AND c = :c)"))
                .isEqualTo(new And(eq("a", ":a"), new And(eq("b", ":b"), eq("c", ":c"))));
    }

    @Test
    void betweenOwnsItsAnd() {
        assertThat(parse("a BETWEEN :x AND :y AND b = :b")).isEqualTo(new And(
                new Between(DocumentPath.of("a"), new Operand.ValueRef(":x"), new Operand.ValueRef(":y")), eq("b", ":b")));
    }

    @Test
    void keywordsAreCaseInsensitive() {
        assertThat(parse("a = :a and not b = :b oR c between :x aNd :y"))
                .isEqualTo(parse("a = :a AND NOT b = :b OR c BETWEEN :x AND :y"));
        assertThat(ExpressionParser.parseUpdate("set a = :a remove b").actions()).hasSize(2);
    }

    @Test
    void inList() {
        Condition.In in = (Condition.In) parse("a IN (:a, :b,:c)");
        assertThat(in.candidates()).hasSize(3);
    }

    @Test
    void parenthesesAroundOperandsAndConditions() {
        assertThat(parse("(a) = :a")).isEqualTo(eq("a", ":a"));
        assertThat(parse("(a = :a)")).isEqualTo(eq("a", ":a"));
        assertThat(parse("(a = :a) AND (b = :b)")).isEqualTo(new And(eq("a", ":a"), eq("b", ":b")));
        assertThat(parse("(size(a)) > :n")).isInstanceOf(Comparison.class);
        assertThat(parse("(attribute_exists(a))")).isEqualTo(new Condition.Function("attribute_exists", List.of(DocumentPath.of("a"))));
        assertThat(parse("(a = :a AND (b = :b))")).isEqualTo(new And(eq("a", ":a"), eq("b", ":b")));
    }

    @Test
    void functionsAsConditionsAndOperands() {
        assertThat(parse("begins_with(a, :p)")).isEqualTo(new Condition.Function("begins_with",
                List.of(DocumentPath.of("a"), new Operand.ValueRef(":p"))));
        Comparison c = (Comparison) parse("size(a.b) >= :n");
        assertThat(c.left()).isEqualTo(new Operand.Function("size", List.of(DocumentPath.of("a", "b"))));
    }

    @Test
    void updateClausesInAnyOrder() {
        UpdateExpression u = ExpressionParser.parseUpdate(
                "REMOVE x, y[1] ADD n :one SET a = :a, b = if_not_exists(b, :z) + :one, c = list_append(c, :l) DELETE s :s");
        assertThat(u.actions()).extracting(a -> a.getClass().getSimpleName())
                .containsExactly("Remove", "Remove", "Add", "Set", "Set", "Set", "Delete");
        assertThat(((UpdateAction.Set) u.actions().get(4)).value()).isInstanceOf(Operand.Arithmetic.class);
    }

    @Test
    void updateParentheses() {
        assertThat(ExpressionParser.parseUpdate("SET a = (b + :c)").actions().getFirst())
                .isEqualTo(ExpressionParser.parseUpdate("SET a = b + :c").actions().getFirst());
        assertThat(ExpressionParser.parseUpdate("SET b.c=((c[1])+(b.a))").actions()).hasSize(1);
        assertThat(ExpressionParser.parseUpdate("SET a = (b) - :c").actions()).hasSize(1);
    }

    @Test
    void projection() {
        ProjectionExpression p = ExpressionParser.parseProjection(" a  ,   b.c[3], #n ");
        assertThat(p.paths()).containsExactly(DocumentPath.of("a"),
                new DocumentPath(List.of(new Name("b"), new Name("c"), new Index(3))),
                new DocumentPath(List.of(new NameRef("#n"))));
    }

    // ---------------------------------------------------------------- syntax errors

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            UPDATE     | INVALID SYNTAX HERE | INVALID | INVALID SYNTAX
            PROJECTION | a b                 | b       | a b
            PROJECTION | a,                  | <EOF>   | ,
            PROJECTION | dummy-id            | -       | dummy-id
            PROJECTION | a-type              | -       | a-type
            PROJECTION | #AMZN_MAPPED_2021-03-03 | -   | #AMZN_MAPPED_2021-0
            KEY_CONDITION | GI-1-PK = :v     | -       | GI-1
            UPDATE     | ADD hits : incr     | :       | hits : incr
            UPDATE     | ADD numx            | <EOF>   | numx
            UPDATE     | SET                 | <EOF>   | SET
            KEY_CONDITION | #pk = :pk AND #sk = :type AND | <EOF> | AND
            UPDATE     | SET a = :a, #, b = :b | #     | , #,
            UPDATE     | SET a = b + c + d   | +       | c + d
            UPDATE     | set a = b / c       | /       | b / c
            UPDATE     | remove a = b        | =       | a = b
            UPDATE     | delete a b          | b       | a b
            UPDATE     | set :a = b          | :a      | set :a =
            UPDATE     | SET a=:a, REMOVE b  | REMOVE  | , REMOVE b
            UPDATE     | set a = set         | set     | = set
            UPDATE     | set (a = (b + c))   | (       | set (a
            CONDITION  | a                   | <EOF>   | a
            CONDITION  | a = :v AND          | <EOF>   | AND
            CONDITION  | a < b < c           | <       | b < c
            CONDITION  | a AND b = :v        | AND     | a AND b
            CONDITION  | (a = :v              | <EOF>   | :v
            CONDITION  | a = :v)             | )       | :v)
            CONDITION  | a IN ()             | )       | () 
            CONDITION  | f()                 | )       | ()
            CONDITION  | a[01] = :v          | 1       | 01]
            CONDITION  | _a = :v             | _       | _a
            CONDITION  | a = "x"             | "       | = "x
            """)
    void syntaxErrorsQuoteTheTokenAndItsNeighbours(ExpressionKind kind, String text, String token, String near) {
        assertValidation(() -> parseAs(kind, text),
                "Invalid " + kind.parameterName() + ": Syntax error; token: \"" + token + "\", near: \"" + near.strip() + "\"");
    }

    @Test
    void nearRunsToTheEndOfTheTextAtEof() {
        assertValidation(() -> ExpressionParser.parseProjection("a, "),
                "Invalid ProjectionExpression: Syntax error; token: \"<EOF>\", near: \", \"");
    }

    static Object parseAs(ExpressionKind kind, String text) {
        return switch (kind) {
            case CONDITION -> ExpressionParser.parseCondition(text);
            case FILTER -> ExpressionParser.parseFilter(text);
            case KEY_CONDITION -> ExpressionParser.parseKeyCondition(text);
            case UPDATE -> ExpressionParser.parseUpdate(text);
            case PROJECTION -> ExpressionParser.parseProjection(text);
        };
    }
}

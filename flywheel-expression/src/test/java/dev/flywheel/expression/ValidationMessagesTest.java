package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.flywheel.expression.Fixtures.assertValidation;
import static dev.flywheel.expression.Fixtures.b;
import static dev.flywheel.expression.Fixtures.l;
import static dev.flywheel.expression.Fixtures.map;
import static dev.flywheel.expression.Fixtures.n;
import static dev.flywheel.expression.Fixtures.names;
import static dev.flywheel.expression.Fixtures.s;
import static dev.flywheel.expression.Fixtures.ss;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** Every error an expression can draw before evaluation, with DynamoDB's exact message. */
class ValidationMessagesTest {

    private static void resolveCondition(String text, Map<String, String> names, Map<String, AttributeValue> values) {
        Placeholders.of(names, values).resolve(ExpressionParser.parseCondition(text));
    }

    private static void resolveUpdate(String text, Map<String, String> names, Map<String, AttributeValue> values) {
        Placeholders.of(names, values).resolve(ExpressionParser.parseUpdate(text));
    }

    private static void resolveProjection(String text, Map<String, String> names) {
        Placeholders.of(names, null).resolve(ExpressionParser.parseProjection(text));
    }

    @Test
    void emptyExpressions() {
        assertValidation(() -> ExpressionParser.parseCondition(""), "Invalid ConditionExpression: The expression can not be empty;");
        assertValidation(() -> ExpressionParser.parseUpdate("   "), "Invalid UpdateExpression: The expression can not be empty;");
        assertValidation(() -> ExpressionParser.parseProjection(""), "Invalid ProjectionExpression: The expression can not be empty;");
        assertValidation(() -> ExpressionParser.parseKeyCondition(""), "Invalid KeyConditionExpression: The expression can not be empty;");
        assertValidation(() -> ExpressionParser.parseFilter(""), "Invalid FilterExpression: The expression can not be empty;");
    }

    @Test
    void expressionSizeIsCountedInUtf8BytesOfTheRawText() {
        String name4096 = "a" + "z".repeat(4095);
        assertThatCode(() -> ExpressionParser.parseProjection(name4096)).doesNotThrowAnyException();
        assertValidation(() -> ExpressionParser.parseProjection(name4096 + "z"),
                "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;");
        assertValidation(() -> ExpressionParser.parseUpdate("SET " + name4096 + " = :v"),
                "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;");
        assertValidation(() -> ExpressionParser.parseKeyCondition("pk = :p AND " + name4096 + " = :q"),
                "Invalid KeyConditionExpression: Expression size has exceeded the maximum allowed size;");
        String filter = name4096 + " = :v";
        assertValidation(() -> ExpressionParser.parseFilter(filter),
                "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: " + filter.length());
        String condition = "attribute_not_exists(" + name4096 + ")";
        assertValidation(() -> ExpressionParser.parseCondition(condition),
                "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: " + condition.length());
        // Size is checked before syntax.
        assertValidation(() -> ExpressionParser.parseCondition("(".repeat(15000)),
                "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 15000");
        // Multi-byte characters count by their UTF-8 bytes.
        assertValidation(() -> ExpressionParser.parseCondition("a = :v" + " ".repeat(2040) + "é".repeat(1026)),
                "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4098");
    }

    @Test
    void redundantParentheses() {
        String message = "Invalid ConditionExpression: The expression has redundant parentheses;";
        assertValidation(() -> ExpressionParser.parseCondition("((attribute_not_exists(pk)))"), message);
        assertValidation(() -> ExpressionParser.parseCondition("((a = :v)) AND b = :w"), message);
        assertValidation(() -> ExpressionParser.parseCondition("((a)) = :v"), message);
        assertValidation(() -> ExpressionParser.parseCondition("a = (( :v ))"), message);
        assertValidation(() -> ExpressionParser.parseCondition("size((( a ))) = :v"), message);
        assertValidation(() -> ExpressionParser.parseKeyCondition("((#pk = :pk)) AND ((#sk = :sk))"),
                "Invalid KeyConditionExpression: The expression has redundant parentheses;");
        assertThatCode(() -> ExpressionParser.parseCondition("(a = :v AND (b = :w))")).doesNotThrowAnyException();
        assertThatCode(() -> ExpressionParser.parseCondition("((a = :v) AND b = :w)")).doesNotThrowAnyException();
    }

    @Test
    void deeplyNestedTextsAreRejectedCleanly() {
        assertValidation(() -> ExpressionParser.parseCondition("(".repeat(2046) + "a<b" + ")".repeat(2046)),
                "Invalid ConditionExpression: The expression has redundant parentheses;");
        assertValidation(() -> ExpressionParser.parseCondition("(".repeat(4096)),
                "Invalid ConditionExpression: Syntax error; token: \"<EOF>\", near: \"(\"");
        assertValidation(() -> ExpressionParser.parseCondition("a < " + "f(".repeat(1355) + "b" + ")".repeat(1355)),
                "Invalid ConditionExpression: Invalid function name; function: f");
        assertValidation(() -> ExpressionParser.parseCondition("not ".repeat(1000) + "a<b"),
                "Invalid ConditionExpression: The expression contains too many operators; operator count: 1001");
        assertValidation(() -> ExpressionParser.parseCondition("a<b " + "or (a<b ".repeat(454) + ")".repeat(454)),
                "Invalid ConditionExpression: The expression contains too many operators; operator count: 909");
    }

    @Test
    void operatorLimit() {
        String ok = "a<b " + "or (a<b ".repeat(149) + ")".repeat(149);
        assertThatCode(() -> ExpressionParser.parseCondition(ok)).doesNotThrowAnyException();
        assertValidation(() -> ExpressionParser.parseFilter("a<b" + " or a<b".repeat(150)),
                "Invalid FilterExpression: The expression contains too many operators; operator count: 301");
    }

    @Test
    void functionNames() {
        assertValidation(() -> ExpressionParser.parseCondition("foo(a)"), "Invalid ConditionExpression: Invalid function name; function: foo");
        // Function names are case-sensitive (Developer Guide), keywords are not.
        assertValidation(() -> ExpressionParser.parseCondition("BEGINS_WITH(a, :v)"),
                "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH");
        assertValidation(() -> ExpressionParser.parseCondition("a = if_not_exists(b, :v)"),
                "Invalid ConditionExpression: Invalid function name; function: if_not_exists");
        assertValidation(() -> ExpressionParser.parseUpdate("set #c = if_not_exist(:c) set c = d"),
                "Invalid UpdateExpression: Invalid function name; function: if_not_exist");
        assertValidation(() -> ExpressionParser.parseUpdate("SET a = size(b)"),
                "Invalid UpdateExpression: Invalid function name; function: size");
    }

    @Test
    void functionsUsedInTheWrongPlace() {
        assertValidation(() -> ExpressionParser.parseCondition("size(a)"),
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size");
        assertValidation(() -> ExpressionParser.parseCondition("attribute_exists(a) = :v"),
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists");
        assertValidation(() -> ExpressionParser.parseCondition("a IN (:v, contains(b, :w))"),
                "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: contains");
    }

    @Test
    void reservedWords() {
        assertThat(ReservedWords.size()).isEqualTo(573);
        assertValidation(() -> ExpressionParser.parseUpdate("SET status = :val"),
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertValidation(() -> ExpressionParser.parseUpdate(" remove Absolute "),
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Absolute");
        // The reserved word wins over the repeated section.
        assertValidation(() -> ExpressionParser.parseUpdate(" set #c = :c set abOrt = :t "),
                "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt");
        assertValidation(() -> ExpressionParser.parseProjection("pk, status"),
                "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: status");
        assertValidation(() -> ExpressionParser.parseFilter("a.data = :v"),
                "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: data");
        assertThatCode(() -> ExpressionParser.parseCondition("#status = :v AND size(a) > :n")).doesNotThrowAnyException();
    }

    @Test
    void sectionsOnlyOnce() {
        assertValidation(() -> ExpressionParser.parseUpdate("set a = #c set c = :d"),
                "Invalid UpdateExpression: The \"SET\" section can only be used once in an update expression;");
        assertValidation(() -> ExpressionParser.parseUpdate("remove #d set a = b remove e"),
                "Invalid UpdateExpression: The \"REMOVE\" section can only be used once in an update expression;");
        assertValidation(() -> ExpressionParser.parseUpdate("add #d :e set a = b add e :f"),
                "Invalid UpdateExpression: The \"ADD\" section can only be used once in an update expression;");
        assertValidation(() -> ExpressionParser.parseUpdate("delete #d :e set a = b delete #e :f"),
                "Invalid UpdateExpression: The \"DELETE\" section can only be used once in an update expression;");
    }

    @Test
    void numberOfOperands() {
        assertValidation(() -> ExpressionParser.parseCondition("begins_with(a)"),
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1");
        assertValidation(() -> ExpressionParser.parseCondition("attribute_exists(a, b)"),
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2");
        assertValidation(() -> ExpressionParser.parseUpdate("set a = if_not_exists(c)"),
                "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1");
        StringBuilder in = new StringBuilder("a IN (:v0");
        for (int i = 1; i < 100; i++) in.append(", :v").append(i);
        assertThatCode(() -> ExpressionParser.parseCondition(in + ")")).doesNotThrowAnyException();
        assertValidation(() -> ExpressionParser.parseCondition(in + ", :v100)"),
                "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: IN, number of operands: 101");
    }

    @Test
    void documentPathRequired() {
        assertValidation(() -> ExpressionParser.parseCondition("attribute_exists(:v)"),
                "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists");
        assertValidation(() -> ExpressionParser.parseUpdate("set a = if_not_exists(:a, c)"),
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
        assertValidation(() -> ExpressionParser.parseUpdate("set a = if_not_exists(if_not_exists(a, b), c)"),
                "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists");
    }

    @Test
    void pathDepth() {
        String deep = "a" + ".b".repeat(32);
        assertValidation(() -> ExpressionParser.parseProjection(deep),
                "Invalid ProjectionExpression: The document path has too many nesting levels; nesting levels: 33");
        assertThatCode(() -> ExpressionParser.parseProjection("a" + ".b".repeat(31))).doesNotThrowAnyException();
    }

    // ---------------------------------------------------------------- placeholders

    @Test
    void placeholderMaps() {
        assertValidation(() -> Placeholders.of(Map.of(), null), "ExpressionAttributeNames must not be empty");
        assertValidation(() -> Placeholders.of(null, Map.of()), "ExpressionAttributeValues must not be empty");
        assertValidation(() -> Placeholders.of(Map.of(), Map.of()), "ExpressionAttributeNames must not be empty");
        assertValidation(() -> Placeholders.of(names("a", "a"), null),
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
        assertValidation(() -> Placeholders.of(names("#data.provider.name", "x"), null),
                "ExpressionAttributeNames contains invalid key: Syntax error; key: \"#data.provider.name\"");
        assertValidation(() -> Placeholders.of(null, map(":b", s("a"), "b", s("a"))),
                "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
    }

    @Test
    void undefinedPlaceholders() {
        assertValidation(() -> resolveUpdate("SET attr1 = :v", null, null),
                "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :v");
        assertValidation(() -> resolveUpdate("SET #n = :v", null, map(":v", s("x"))),
                "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #n");
        assertValidation(() -> resolveProjection("a.#n2", names("#wrong", "b")),
                "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #n2");
        // The first undefined one in the text is reported, name or value.
        assertValidation(() -> resolveCondition(":x = #y", null, null),
                "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x");
    }

    @Test
    void unusedPlaceholdersAcrossAllExpressionsOfARequest() {
        Placeholders p = Placeholders.of(names("#a", "a", "#b", "b", "#unused", "x"), map(":v", s("1"), ":unused", s("2")));
        p.resolve(ExpressionParser.parseKeyCondition("#a = :v"));
        p.resolve(ExpressionParser.parseProjection("#b"));
        assertThat(p.usedNames()).containsExactlyInAnyOrder("#a", "#b");
        assertThat(p.usedValues()).containsExactly(":v");
        assertValidation(p::checkAllUsed, "Value provided in ExpressionAttributeNames unused in expressions: keys: {#unused}");

        Placeholders q = Placeholders.of(null, map(":a", s("a"), ":b", s("a"), ":c", s("a")));
        q.resolve(ExpressionParser.parseUpdate("remove a"));
        q.resolve(ExpressionParser.parseCondition("a = :b"));
        assertValidation(q::checkAllUsed, "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}");
    }

    // ---------------------------------------------------------------- checks after resolution

    @Test
    void overlappingAndConflictingUpdatePaths() {
        Map<String, String> n = names("#c", "c", "#d", "[3]");
        String overlap = "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; ";
        assertValidation(() -> resolveUpdate("set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a, b)", n, null),
                overlap + "path one: [c, [1], a], path two: [c]");
        assertValidation(() -> resolveUpdate("set c.b.#c = a, c = a, #d = a", n, null), overlap + "path one: [c, b, c], path two: [c]");
        assertValidation(() -> resolveUpdate("set a = b remove a, #c, #d", n, null), overlap + "path one: [a], path two: [a]");
        assertValidation(() -> resolveUpdate("set #c[3].#d = a, #c[3] = a", n, null), overlap + "path one: [c, [3], [3]], path two: [c, [3]]");
        assertValidation(() -> resolveUpdate("remove c, #c.a, #d", n, null), overlap + "path one: [c], path two: [c, a]");
        String conflict = "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; ";
        assertValidation(() -> resolveUpdate("set #c[3].#d = a, #c.#d[3] = if_not_exists(a, b)", n, null),
                conflict + "path one: [c, [3], [3]], path two: [c, [3], [3]]");
        assertValidation(() -> resolveUpdate("remove a.#c set a[1] = #d", n, null), conflict + "path one: [a, c], path two: [a, [1]]");
    }

    @Test
    void overlappingProjectionPaths() {
        String overlap = "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; ";
        assertValidation(() -> resolveProjection("a, a.b", null), overlap + "path one: [a], path two: [a, b]");
        assertValidation(() -> resolveProjection("a.b, a", null), overlap + "path one: [a, b], path two: [a]");
        assertValidation(() -> resolveProjection("a.b[0],a.b[0]", null), overlap + "path one: [a, b, [0]], path two: [a, b, [0]]");
        assertValidation(() -> resolveProjection("a.b, a[1]", null),
                "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]");
        for (String fine : new String[] {"a, b", "a.b, a.c", "a.b.d, a.b.e", "a[1], a[2]", "a.b, a.c[2]"}) {
            assertThatCode(() -> resolveProjection(fine, null)).doesNotThrowAnyException();
        }
    }

    @Test
    void operandComparedWithItself() {
        assertValidation(() -> resolveCondition("contains(#a, #a)", names("#a", "data"), null),
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [data]");
        assertValidation(() -> resolveCondition("a.b = #a.b", names("#a", "a"), null),
                "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, b]");
    }

    @Test
    void operandTypesKnownFromValues() {
        String prefix = "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: ";
        assertValidation(() -> resolveCondition("begins_with(a, :n)", null, map(":n", n("1"))), prefix + "begins_with, operand type: N");
        assertValidation(() -> resolveCondition("size(:n) > :n", null, map(":n", n("1"))), prefix + "size, operand type: N");
        assertValidation(() -> resolveCondition("size(size(a)) > :n", null, map(":n", n("1"))), prefix + "size, operand type: N");
        assertValidation(() -> resolveCondition("attribute_type(a, :n)", null, map(":n", n("1"))), prefix + "attribute_type, operand type: N");
        assertValidation(() -> resolveCondition("attribute_type(a, :t)", null, map(":t", s("X"))),
                "Invalid ConditionExpression: Invalid attribute type name found; type: X, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        assertThatCode(() -> resolveCondition("begins_with(a, :b) AND size(:s) > :n", null, map(":b", b(1), ":s", s("x"), ":n", n("1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void betweenBounds() {
        assertValidation(() -> resolveCondition("a BETWEEN :lo AND :hi", null, map(":lo", n("1"), ":hi", s("a"))),
                "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}");
        assertValidation(() -> resolveCondition("a BETWEEN :lo AND :hi", null, map(":lo", n("10"), ":hi", n("9"))),
                "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:10}, upper bound operand: AttributeValue: {N:9}");
    }

    @Test
    void updateOperandTypesKnownFromValues() {
        String op = "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ";
        assertValidation(() -> resolveUpdate("delete a.b :a", null, map(":a", s("a"))), op + "DELETE, operand type: STRING");
        assertValidation(() -> resolveUpdate("add a.b :a", null, map(":a", AttributeValue.NULL)), op + "ADD, operand type: NULL");
        assertValidation(() -> resolveUpdate("add a.b :a", null, map(":a", AttributeValue.TRUE)), op + "ADD, operand type: BOOLEAN");
        assertValidation(() -> resolveUpdate("add a.b :a", null, map(":a", b(1))), op + "ADD, operand type: BINARY");
        assertValidation(() -> resolveUpdate("add a.b :a", null, map(":a", l(n("1")))), op + "ADD, operand type: LIST");
        assertValidation(() -> resolveUpdate("delete a.b :a", null, map(":a", Fixtures.m("a", n("1")))), op + "DELETE, operand type: MAP");
        assertValidation(() -> resolveUpdate("delete a.b :a", null, map(":a", n("1"))), op + "DELETE, operand type: NUMBER");
        assertThatCode(() -> resolveUpdate("add a :n, b :s delete c :s", null, map(":n", n("1"), ":s", ss("x")))).doesNotThrowAnyException();

        String fn = "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: ";
        assertValidation(() -> resolveUpdate("set a = list_append(:a, a)", null, map(":a", s("a"))), fn + "list_append, operand type: S");
        assertValidation(() -> resolveUpdate("set a = list_append(a, :b)", null, map(":b", n("1"))), fn + "list_append, operand type: N");
        assertValidation(() -> resolveUpdate("set a = a + :a", null, map(":a", s("a"))), fn + "+, operand type: S");
        assertValidation(() -> resolveUpdate("set a = :c - a", null, map(":c", ss("x"))), fn + "-, operand type: SS");
    }
}

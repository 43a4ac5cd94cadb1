package dev.flywheel.expression;

import dev.flywheel.expression.Condition.Comparator;
import dev.flywheel.expression.Token.Type;
import dev.flywheel.model.DynamoDbException.ValidationException;

import java.util.ArrayList;
import java.util.List;

/**
 * Recursive-descent parser for the three grammars of DynamoDB's expression language. It only
 * builds the tree and reports syntax errors; everything DynamoDB checks after a successful parse
 * (function names, reserved words, arity, ...) is {@link StaticChecks}' job.
 *
 * <p>Condition grammar, loosest binding first (Developer Guide, "Precedence in conditions":
 * comparisons, then IN and BETWEEN, then NOT, AND, OR):
 * <pre>
 *   or        := and (OR and)*
 *   and       := not (AND not)*
 *   not       := NOT* predicate
 *   predicate := operand [comparator operand | BETWEEN operand AND operand | IN '(' operand, ... ')']
 *              | '(' or ')' ...
 *   operand   := path | :value | name '(' operand, ... ')' | '(' operand ')'
 * </pre>
 * A parenthesised group may hold a condition or an operand ({@code (a) = :v} and
 * {@code (a = :v)} are both valid), so the condition levels pass either up as an {@code Object}
 * and {@link #asCondition} decides once the next token shows which one it was. A group whose
 * content is itself exactly a group, {@code ((x))}, is noted: DynamoDB rejects it after parsing
 * with "The expression has redundant parentheses;".
 *
 * <p>Syntax errors quote the offending token and the text from the token before it to the token
 * after it, which is what DynamoDB prints: {@code Syntax error; token: "b", near: "a b"}, and at
 * the end {@code token: "<EOF>", near: ","}.
 */
final class Parser {

    /** Nesting beyond this is parsed again on a thread with a large stack (see ExpressionParser). */
    static final int MAX_NESTING_ON_CALLER_STACK = 200;

    /** Thrown to abandon a parse whose nesting would risk the caller's stack. */
    static final class TooDeep extends RuntimeException {
        TooDeep() { super(null, null, false, false); }
    }

    /** What a parse yields besides the tree: facts DynamoDB reports after the parse. */
    record Result<T>(T tree, boolean redundantParentheses, String repeatedSection) {}

    private final ExpressionKind kind;
    private final String text;
    private final List<Token> tokens;
    private final boolean deepAllowed;
    private int pos;
    private int depth;
    private Object lastGroupContent;
    private boolean redundantParentheses;

    Parser(ExpressionKind kind, String text, boolean deepAllowed) {
        this.kind = kind;
        this.text = text;
        this.tokens = Lexer.tokenize(text);
        this.deepAllowed = deepAllowed;
    }

    // ---------------------------------------------------------------- conditions

    Result<Condition> condition() {
        Condition root = asCondition(or());
        expect(Type.EOF);
        return new Result<>(root, redundantParentheses, null);
    }

    private Object or() {
        Object left = and();
        while (peek().isKeyword("OR")) {
            Condition l = asCondition(left);
            pos++;
            left = new Condition.Or(l, asCondition(and()));
        }
        return left;
    }

    private Object and() {
        Object left = not();
        while (peek().isKeyword("AND")) {
            Condition l = asCondition(left);
            pos++;
            left = new Condition.And(l, asCondition(not()));
        }
        return left;
    }

    private Object not() {
        int nots = 0;
        while (peek().isKeyword("NOT")) {
            pos++;
            nots++;
        }
        Object node = predicate();
        if (nots == 0) return node;
        Condition c = asCondition(node);
        for (int i = 0; i < nots; i++) c = new Condition.Not(c);
        return c;
    }

    private Object predicate() {
        Operand left;
        if (peek().is(Type.LPAREN)) {
            Object inner = group(this::or);
            if (!(inner instanceof Operand operand) || !startsPredicateTail()) return inner;
            left = operand;
        } else {
            left = conditionOperand();
        }
        Token t = peek();
        Comparator comparator = comparator(t);
        if (comparator != null) {
            pos++;
            return new Condition.Comparison(comparator, left, conditionOperandOrGroup());
        }
        if (t.isKeyword("BETWEEN")) {
            pos++;
            Operand lower = conditionOperandOrGroup();
            expectKeyword("AND");
            return new Condition.Between(left, lower, conditionOperandOrGroup());
        }
        if (t.isKeyword("IN")) {
            pos++;
            expect(Type.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            candidates.add(conditionOperandOrGroup());
            while (peek().is(Type.COMMA)) {
                pos++;
                candidates.add(conditionOperandOrGroup());
            }
            expect(Type.RPAREN);
            return new Condition.In(left, candidates);
        }
        return left;
    }

    private boolean startsPredicateTail() {
        Token t = peek();
        return comparator(t) != null || t.isKeyword("BETWEEN") || t.isKeyword("IN");
    }

    /**
     * A node where a condition must be: a function call turns into a condition function (whether
     * that function may be used so is checked later); any other operand is a syntax error at the
     * token that should have continued it.
     */
    private Condition asCondition(Object node) {
        return switch (node) {
            case Condition c -> c;
            case Operand.Function f -> new Condition.Function(f.name(), f.arguments());
            default -> throw syntaxError(pos);
        };
    }

    private Operand conditionOperandOrGroup() {
        if (!peek().is(Type.LPAREN)) return conditionOperand();
        return (Operand) group(this::conditionOperandOrGroup);
    }

    private Operand conditionOperand() {
        Token t = peek();
        if (t.is(Type.VALUE_REF)) {
            pos++;
            return new Operand.ValueRef(t.text());
        }
        if (t.is(Type.NAME) && !isConditionKeyword(t) && peekAt(1).is(Type.LPAREN)) {
            return function(this::conditionOperandOrGroup);
        }
        return path(this::isConditionKeyword);
    }

    private boolean isConditionKeyword(Token t) {
        return t.isKeyword("AND") || t.isKeyword("OR") || t.isKeyword("NOT")
                || t.isKeyword("BETWEEN") || t.isKeyword("IN");
    }

    private static Comparator comparator(Token t) {
        return switch (t.type()) {
            case EQ -> Comparator.EQ;
            case NE -> Comparator.NE;
            case LT -> Comparator.LT;
            case LE -> Comparator.LE;
            case GT -> Comparator.GT;
            case GE -> Comparator.GE;
            default -> null;
        };
    }

    // ---------------------------------------------------------------- updates

    /**
     * {@code section+} where a section is {@code SET a = v, ...}, {@code REMOVE p, ...},
     * {@code ADD p :v, ...} or {@code DELETE p :v, ...}. A SET value is an operand, or two joined
     * by + or -, either optionally in one pair of parentheses; each operand may have its own pair.
     */
    Result<UpdateExpression> update() {
        List<UpdateAction> actions = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        String repeated = null;
        do {
            Token t = peek();
            String section = sectionKeyword(t);
            if (section == null) throw syntaxError(pos);
            pos++;
            if (seen.contains(section) && repeated == null) repeated = section;
            seen.add(section);
            do {
                actions.add(updateAction(section));
            } while (accept(Type.COMMA));
        } while (!peek().is(Type.EOF));
        return new Result<>(new UpdateExpression(actions), false, repeated);
    }

    private UpdateAction updateAction(String section) {
        DocumentPath path = path(this::isUpdateKeyword);
        return switch (section) {
            case "SET" -> {
                expect(Type.EQ);
                yield new UpdateAction.Set(path, setValue());
            }
            case "REMOVE" -> new UpdateAction.Remove(path);
            case "ADD" -> new UpdateAction.Add(path, valueRef());
            default -> new UpdateAction.Delete(path, valueRef());
        };
    }

    private Operand valueRef() {
        Token t = expect(Type.VALUE_REF);
        return new Operand.ValueRef(t.text());
    }

    private Operand setValue() {
        if (peek().is(Type.LPAREN)) {
            pos++;
            enter();
            Operand inner = arithmeticOrOperand();
            expect(Type.RPAREN);
            depth--;
            // "(a) + b": the parentheses belonged to the first operand only.
            if (!(inner instanceof Operand.Arithmetic) && (peek().is(Type.PLUS) || peek().is(Type.MINUS))) {
                return arithmeticTail(inner);
            }
            return inner;
        }
        return arithmeticOrOperand();
    }

    private Operand arithmeticOrOperand() {
        return arithmeticTail(updateOperandOrGroup());
    }

    private Operand arithmeticTail(Operand left) {
        Token t = peek();
        if (t.is(Type.PLUS) || t.is(Type.MINUS)) {
            pos++;
            return new Operand.Arithmetic(left, t.is(Type.PLUS), updateOperandOrGroup());
        }
        return left;
    }

    private Operand updateOperandOrGroup() {
        if (!peek().is(Type.LPAREN)) return updateOperand();
        pos++;
        enter();
        Operand inner = updateOperand();
        expect(Type.RPAREN);
        depth--;
        return inner;
    }

    private Operand updateOperand() {
        Token t = peek();
        if (t.is(Type.VALUE_REF)) {
            pos++;
            return new Operand.ValueRef(t.text());
        }
        if (t.is(Type.NAME) && !isUpdateKeyword(t) && peekAt(1).is(Type.LPAREN)) {
            return function(this::updateOperandOrGroup);
        }
        return path(this::isUpdateKeyword);
    }

    private static String sectionKeyword(Token t) {
        for (String s : new String[] {"SET", "REMOVE", "ADD", "DELETE"}) {
            if (t.isKeyword(s)) return s;
        }
        return null;
    }

    private boolean isUpdateKeyword(Token t) {
        return sectionKeyword(t) != null;
    }

    // ---------------------------------------------------------------- projections

    Result<ProjectionExpression> projection() {
        List<DocumentPath> paths = new ArrayList<>();
        do {
            paths.add(path(t -> false));
        } while (accept(Type.COMMA));
        expect(Type.EOF);
        return new Result<>(new ProjectionExpression(paths), false, null);
    }

    // ---------------------------------------------------------------- shared pieces

    private Operand.Function function(java.util.function.Supplier<Operand> argument) {
        Token name = peek();
        pos += 2; // the name and '('
        enter();
        List<Operand> arguments = new ArrayList<>();
        arguments.add(argument.get());
        while (accept(Type.COMMA)) arguments.add(argument.get());
        expect(Type.RPAREN);
        depth--;
        return new Operand.Function(name.text(), arguments);
    }

    /** {@code (name | #name) ('.' (name | #name) | '[' integer ']')*}. */
    private DocumentPath path(java.util.function.Predicate<Token> isKeyword) {
        List<PathElement> elements = new ArrayList<>();
        elements.add(pathName(isKeyword));
        while (true) {
            if (accept(Type.DOT)) {
                elements.add(pathName(isKeyword));
            } else if (accept(Type.LBRACKET)) {
                Token index = expect(Type.INTEGER);
                int value;
                try {
                    value = Integer.parseInt(index.text());
                } catch (NumberFormatException e) {
                    throw syntaxError(pos - 1); // larger than any list can be
                }
                expect(Type.RBRACKET);
                elements.add(new PathElement.Index(value));
            } else {
                return new DocumentPath(elements);
            }
        }
    }

    private PathElement pathName(java.util.function.Predicate<Token> isKeyword) {
        Token t = peek();
        if (t.is(Type.NAME_REF)) {
            pos++;
            return new PathElement.NameRef(t.text());
        }
        if (t.is(Type.NAME) && !isKeyword.test(t)) {
            pos++;
            return new PathElement.Name(t.text());
        }
        throw syntaxError(pos);
    }

    /** {@code '(' content ')'}, noting a group whose content is exactly another group. */
    private Object group(java.util.function.Supplier<Object> content) {
        pos++;
        enter();
        Object inner = content.get();
        expect(Type.RPAREN);
        depth--;
        if (inner == lastGroupContent) redundantParentheses = true;
        lastGroupContent = inner;
        return inner;
    }

    private void enter() {
        if (++depth > MAX_NESTING_ON_CALLER_STACK && !deepAllowed) throw new TooDeep();
    }

    private Token peek() { return tokens.get(pos); }

    private Token peekAt(int ahead) { return tokens.get(Math.min(pos + ahead, tokens.size() - 1)); }

    private boolean accept(Type type) {
        if (!peek().is(type)) return false;
        pos++;
        return true;
    }

    private Token expect(Type type) {
        Token t = peek();
        if (!t.is(type)) throw syntaxError(pos);
        pos++;
        return t;
    }

    private void expectKeyword(String keyword) {
        if (!peek().isKeyword(keyword)) throw syntaxError(pos);
        pos++;
    }

    /**
     * {@code Syntax error; token: "x", near: "..."}: near spans from the start of the token before
     * the offending one to the end of the token after it, with the text between them as written.
     */
    private ValidationException syntaxError(int index) {
        Token offending = tokens.get(index);
        int from = index > 0 ? tokens.get(index - 1).start() : offending.start();
        // At the end of the text the window runs to the end, trailing blanks included.
        int to = offending.is(Type.EOF) || tokens.get(index + 1).is(Type.EOF)
                ? text.length() : tokens.get(index + 1).end();
        return Errors.invalid(kind, "Syntax error; token: \"" + offending.text() + "\", near: \"" + text.substring(from, to) + "\"");
    }
}

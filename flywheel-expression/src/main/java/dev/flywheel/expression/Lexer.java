package dev.flywheel.expression;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an expression into tokens. The token shapes follow what DynamoDB's syntax errors reveal:
 * a lone {@code ':'} or {@code '#'} is a token of its own ("token: \":\", near: \"hits : incr\""),
 * and an integer never has a leading zero, so {@code 03} is the two tokens {@code 0} and {@code 3}
 * (a projection of {@code #AMZN_MAPPED_2021-03-03} fails with {@code near: "#AMZN_MAPPED_2021-0"}).
 * Only ASCII space, tab, CR and LF separate tokens; every other character the grammar does not
 * know becomes a one-character {@link Token.Type#OTHER} token, reported as a syntax error.
 */
final class Lexer {
    private Lexer() {}

    static List<Token> tokenize(String text) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
                continue;
            }
            int start = i;
            Token.Type type;
            if (isLetter(c)) {
                i = skipWordChars(text, i + 1);
                type = Token.Type.NAME;
            } else if ((c == '#' || c == ':') && i + 1 < n && isWordChar(text.charAt(i + 1))) {
                i = skipWordChars(text, i + 1);
                type = c == '#' ? Token.Type.NAME_REF : Token.Type.VALUE_REF;
            } else if (c >= '0' && c <= '9') {
                i++;
                if (c != '0') {
                    while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') i++;
                }
                type = Token.Type.INTEGER;
            } else {
                i++;
                type = switch (c) {
                    case '(' -> Token.Type.LPAREN;
                    case ')' -> Token.Type.RPAREN;
                    case '[' -> Token.Type.LBRACKET;
                    case ']' -> Token.Type.RBRACKET;
                    case ',' -> Token.Type.COMMA;
                    case '.' -> Token.Type.DOT;
                    case '=' -> Token.Type.EQ;
                    case '+' -> Token.Type.PLUS;
                    case '-' -> Token.Type.MINUS;
                    case '<' -> {
                        if (i < n && text.charAt(i) == '>') { i++; yield Token.Type.NE; }
                        if (i < n && text.charAt(i) == '=') { i++; yield Token.Type.LE; }
                        yield Token.Type.LT;
                    }
                    case '>' -> {
                        if (i < n && text.charAt(i) == '=') { i++; yield Token.Type.GE; }
                        yield Token.Type.GT;
                    }
                    default -> {
                        // Keep a surrogate pair together so the error quotes a whole character.
                        if (Character.isHighSurrogate(c) && i < n && Character.isLowSurrogate(text.charAt(i))) i++;
                        yield Token.Type.OTHER;
                    }
                };
            }
            tokens.add(new Token(type, start, i, text.substring(start, i)));
        }
        tokens.add(new Token(Token.Type.EOF, n, n, "<EOF>"));
        return tokens;
    }

    private static int skipWordChars(String text, int i) {
        while (i < text.length() && isWordChar(text.charAt(i))) i++;
        return i;
    }

    private static boolean isLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    static boolean isWordChar(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }
}

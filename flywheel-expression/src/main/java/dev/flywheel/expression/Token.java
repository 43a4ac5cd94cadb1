package dev.flywheel.expression;

/**
 * A lexical token: its type and where it sits in the expression text ({@code start} inclusive,
 * {@code end} exclusive), so syntax errors can quote the text around it as DynamoDB does.
 */
record Token(Type type, int start, int end, String text) {

    enum Type {
        NAME,        // a-zA-Z then a-zA-Z0-9_ ; keywords and function names are NAMEs too
        NAME_REF,    // #name
        VALUE_REF,   // :value
        INTEGER,     // 0 or 1-9 followed by digits
        LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT,
        EQ, NE, LT, LE, GT, GE, PLUS, MINUS,
        OTHER,       // any character the grammar has no use for, including a lone # or :
        EOF
    }

    boolean is(Type t) { return type == t; }

    /** A NAME token spelling the keyword, in any case ("and", "AND", "And"). */
    boolean isKeyword(String keyword) { return type == Type.NAME && text.equalsIgnoreCase(keyword); }
}

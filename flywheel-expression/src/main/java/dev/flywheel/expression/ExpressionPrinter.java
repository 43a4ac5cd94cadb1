package dev.flywheel.expression;

import java.util.List;

/**
 * Writes an unresolved tree back as expression text that parses to the same tree: keywords in
 * upper case, parentheses only where precedence needs them (never doubled, which DynamoDB would
 * reject as redundant). Used by the round-trip property and for diagnostics.
 */
final class ExpressionPrinter {
    private ExpressionPrinter() {}

    private static final int OR = 1;
    private static final int AND = 2;
    private static final int NOT = 3;
    private static final int PREDICATE = 4;

    static String print(Condition c) {
        StringBuilder sb = new StringBuilder();
        condition(c, sb);
        return sb.toString();
    }

    static String print(UpdateExpression update) {
        StringBuilder sb = new StringBuilder();
        String section = null;
        for (UpdateAction a : update.actions()) {
            String s = switch (a) {
                case UpdateAction.Set x -> "SET";
                case UpdateAction.Remove x -> "REMOVE";
                case UpdateAction.Add x -> "ADD";
                case UpdateAction.Delete x -> "DELETE";
            };
            if (s.equals(section)) {
                sb.append(", ");
            } else {
                if (section != null) sb.append(' ');
                sb.append(s).append(' ');
                section = s;
            }
            operand(a.path(), sb);
            switch (a) {
                case UpdateAction.Set x -> { sb.append(" = "); operand(x.value(), sb); }
                case UpdateAction.Add x -> { sb.append(' '); operand(x.value(), sb); }
                case UpdateAction.Delete x -> { sb.append(' '); operand(x.value(), sb); }
                case UpdateAction.Remove x -> { }
            }
        }
        return sb.toString();
    }

    static String print(ProjectionExpression projection) {
        StringBuilder sb = new StringBuilder();
        for (DocumentPath p : projection.paths()) {
            if (!sb.isEmpty()) sb.append(", ");
            operand(p, sb);
        }
        return sb.toString();
    }

    private static int precedence(Condition c) {
        return switch (c) {
            case Condition.Or x -> OR;
            case Condition.And x -> AND;
            case Condition.Not x -> NOT;
            default -> PREDICATE;
        };
    }

    private static void condition(Condition c, StringBuilder sb) {
        switch (c) {
            case Condition.Or x -> binary(x.left(), " OR ", x.right(), OR, sb);
            case Condition.And x -> binary(x.left(), " AND ", x.right(), AND, sb);
            case Condition.Not x -> {
                sb.append("NOT ");
                child(x.condition(), precedence(x.condition()) < NOT, sb);
            }
            case Condition.Comparison x -> {
                operand(x.left(), sb);
                sb.append(' ').append(x.comparator().symbol()).append(' ');
                operand(x.right(), sb);
            }
            case Condition.Between x -> {
                operand(x.value(), sb);
                sb.append(" BETWEEN ");
                operand(x.lower(), sb);
                sb.append(" AND ");
                operand(x.upper(), sb);
            }
            case Condition.In x -> {
                operand(x.value(), sb);
                sb.append(" IN (");
                operands(x.candidates(), sb);
                sb.append(')');
            }
            case Condition.Function x -> call(x.name(), x.arguments(), sb);
        }
    }

    /** Left-associative: the left child needs parentheses only if it binds more loosely. */
    private static void binary(Condition left, String op, Condition right, int level, StringBuilder sb) {
        child(left, precedence(left) < level, sb);
        sb.append(op);
        child(right, precedence(right) <= level, sb);
    }

    private static void child(Condition c, boolean parenthesize, StringBuilder sb) {
        if (parenthesize) sb.append('(');
        condition(c, sb);
        if (parenthesize) sb.append(')');
    }

    private static void operands(List<Operand> operands, StringBuilder sb) {
        for (int i = 0; i < operands.size(); i++) {
            if (i > 0) sb.append(", ");
            operand(operands.get(i), sb);
        }
    }

    private static void call(String name, List<Operand> arguments, StringBuilder sb) {
        sb.append(name).append('(');
        operands(arguments, sb);
        sb.append(')');
    }

    static void operand(Operand o, StringBuilder sb) {
        switch (o) {
            case DocumentPath p -> {
                for (int i = 0; i < p.elements().size(); i++) {
                    switch (p.elements().get(i)) {
                        case PathElement.Name n -> sb.append(i > 0 ? "." : "").append(n.name());
                        case PathElement.NameRef r -> sb.append(i > 0 ? "." : "").append(r.placeholder());
                        case PathElement.Index x -> sb.append('[').append(x.index()).append(']');
                    }
                }
            }
            case Operand.ValueRef v -> sb.append(v.placeholder());
            case Operand.Literal l -> sb.append("<").append(l.value()).append(">");
            case Operand.Function f -> call(f.name(), f.arguments(), sb);
            case Operand.Arithmetic a -> {
                operand(a.left(), sb);
                sb.append(a.plus() ? " + " : " - ");
                operand(a.right(), sb);
            }
        }
    }
}

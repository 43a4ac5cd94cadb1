package dev.flywheel.server.access;

import java.util.Map;

/**
 * IAM policy variables in condition values and resources: {@code ${aws:username}} and the like are
 * replaced by the caller's values; {@code ${*}}, {@code ${?}} and {@code ${$}} stand for those characters
 * (simplification: inside a StringLike pattern the result is still a wildcard). An unknown variable is
 * left as written, so it matches nothing a caller could send.
 */
final class PolicyVariables {
    private PolicyVariables() {}

    static String substitute(String text, Map<String, String> variables) {
        if (text.indexOf("${") < 0) return text;
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf("${", i);
            int end = start < 0 ? -1 : text.indexOf('}', start);
            if (end < 0) {
                out.append(text, i, text.length());
                break;
            }
            out.append(text, i, start);
            String name = text.substring(start + 2, end);
            String value = switch (name) {
                case "*", "?", "$" -> name;
                default -> variables.get(name);
            };
            out.append(value != null ? value : text.substring(start, end + 1));
            i = end + 1;
        }
        return out.toString();
    }
}

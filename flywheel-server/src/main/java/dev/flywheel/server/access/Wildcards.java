package dev.flywheel.server.access;

/** IAM's wildcard matching: {@code *} matches any run of characters (also none), {@code ?} exactly one. */
final class Wildcards {
    private Wildcards() {}

    static boolean matches(String pattern, String text, boolean ignoreCase) {
        return matches(pattern, 0, text, 0, ignoreCase);
    }

    // Iterative with one backtrack point: the classic linear-time glob match, no recursion blow-up on
    // patterns like "a*a*a*a*b".
    private static boolean matches(String p, int pi, String t, int ti, boolean ignoreCase) {
        int star = -1, afterStar = 0;
        while (ti < t.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                afterStar = ti;
            } else if (pi < p.length() && (p.charAt(pi) == '?' || same(p.charAt(pi), t.charAt(ti), ignoreCase))) {
                pi++;
                ti++;
            } else if (star >= 0) {
                pi = star + 1;
                ti = ++afterStar;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        return pi == p.length();
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || (ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b));
    }
}

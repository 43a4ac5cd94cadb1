package dev.flywheel.storage;

/**
 * A range of sort keys, each bound inclusive or exclusive, or null for unbounded.
 * {@link #prefix(byte[])} selects the keys starting with some bytes (begins_with).
 */
public record KeyRange(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
    public static final KeyRange ALL = new KeyRange(null, true, null, true);

    public static KeyRange exactly(byte[] key) { return new KeyRange(key, true, key, true); }

    /** Keys starting with {@code prefix}: from the prefix up to (excluded) its successor. */
    public static KeyRange prefix(byte[] prefix) {
        return new KeyRange(prefix, true, successor(prefix), false);
    }

    /**
     * The smallest byte string greater than every string starting with {@code prefix} (in unsigned
     * order); null if there is none ({@code prefix} is empty or all 0xFF).
     */
    public static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] s = java.util.Arrays.copyOf(prefix, i + 1);
                s[i]++;
                return s;
            }
        }
        return null;
    }
}

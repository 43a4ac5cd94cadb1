package dev.flywheel.accelerator;

import dev.flywheel.model.AttributeValue;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether an item as a client wrote it is exactly what the target will answer for it, so that
 * write-through may cache it: the target normalizes numbers ({@code 1.50} reads back as {@code 1.5},
 * {@code 1E+2} as {@code 100}), so an item holding a number in any other form is dropped from the
 * cache instead of stored.
 */
final class WrittenItems {
    /** DynamoDB's form of a number: no '+', no exponent, no leading or trailing zeros, no "-0". */
    private static final Pattern CANONICAL_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?");

    private WrittenItems() {}

    static boolean readsBackAsWritten(Map<String, AttributeValue> item) {
        for (AttributeValue value : item.values()) {
            if (!readsBackAsWritten(value)) return false;
        }
        return true;
    }

    private static boolean readsBackAsWritten(AttributeValue value) {
        return switch (value) {
            case AttributeValue.N n -> canonical(n.value());
            case AttributeValue.NS ns -> ns.values().stream().allMatch(WrittenItems::canonical);
            case AttributeValue.M m -> readsBackAsWritten(m.values());
            case AttributeValue.L l -> l.values().stream().allMatch(WrittenItems::readsBackAsWritten);
            default -> true;
        };
    }

    private static boolean canonical(String number) {
        return CANONICAL_NUMBER.matcher(number).matches() && !number.equals("-0");
    }
}

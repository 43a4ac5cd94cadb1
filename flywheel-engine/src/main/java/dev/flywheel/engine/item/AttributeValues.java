package dev.flywheel.engine.item;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validation and normalization of attribute values as DynamoDB applies them to every value it
 * stores: numbers valid and normalized, sets neither empty nor holding duplicates (numbers compared
 * by value, so {@code ["1", "1.0"]} is a duplicate).
 */
public final class AttributeValues {
    static final String INVALID = "One or more parameter values were invalid: ";

    private AttributeValues() {}

    /** The item with every value validated and its numbers normalized; the same map if unchanged. */
    public static Map<String, AttributeValue> normalize(Map<String, AttributeValue> item) {
        Map<String, AttributeValue> out = null;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            AttributeValue v = e.getValue();
            AttributeValue n = normalize(v);
            if (n != v && out == null) {
                out = new LinkedHashMap<>(item);
            }
            if (out != null) out.put(e.getKey(), n);
        }
        return out == null ? item : out;
    }

    /** The value validated, with its numbers normalized; the same object if unchanged. */
    public static AttributeValue normalize(AttributeValue value) {
        return switch (value) {
            case AttributeValue.N n -> {
                String normalized = DynamoNumber.normalize(n.value());
                yield normalized.equals(n.value()) ? n : new AttributeValue.N(normalized);
            }
            case AttributeValue.SS ss -> {
                if (ss.values().isEmpty()) throw new ValidationException(INVALID + "An string set  may not be empty");
                if (new HashSet<>(ss.values()).size() != ss.values().size()) {
                    throw new ValidationException(INVALID + "Input collection " + ss.values() + " contains duplicates.");
                }
                yield ss;
            }
            case AttributeValue.NS ns -> {
                if (ns.values().isEmpty()) throw new ValidationException(INVALID + "An number set  may not be empty");
                List<String> normalized = new ArrayList<>(ns.values().size());
                Set<BigDecimal> seen = new HashSet<>();
                boolean changed = false;
                for (String text : ns.values()) {
                    BigDecimal number = DynamoNumber.parse(text);
                    // DynamoDB words this one without the prefix and the list.
                    if (!seen.add(number)) throw new ValidationException("Input collection contains duplicates");
                    String formatted = DynamoNumber.format(number);
                    changed |= !formatted.equals(text);
                    normalized.add(formatted);
                }
                yield changed ? new AttributeValue.NS(normalized) : ns;
            }
            case AttributeValue.BS bs -> {
                if (bs.values().isEmpty()) throw new ValidationException(INVALID + "Binary sets should not be empty");
                Set<ByteBuffer> seen = new HashSet<>();
                for (byte[] b : bs.values()) {
                    if (b.length == 0) {
                        throw new ValidationException(INVALID + "Binary sets may not contain null or empty values");
                    }
                    if (!seen.add(ByteBuffer.wrap(b))) {
                        List<String> base64 = bs.values().stream().map(x -> Base64.getEncoder().encodeToString(x)).toList();
                        // Sic: DynamoDB has no space before "of".
                        throw new ValidationException(INVALID + "Input collection " + base64 + "of type BS contains duplicates.");
                    }
                }
                yield bs;
            }
            case AttributeValue.M m -> {
                Map<String, AttributeValue> normalized = normalize(m.values());
                yield normalized == m.values() ? m : new AttributeValue.M(normalized);
            }
            case AttributeValue.L l -> {
                List<AttributeValue> out = null;
                for (int i = 0; i < l.values().size(); i++) {
                    AttributeValue v = l.values().get(i);
                    AttributeValue n = normalize(v);
                    if (n != v && out == null) out = new ArrayList<>(l.values());
                    if (out != null) out.set(i, n);
                }
                yield out == null ? l : new AttributeValue.L(out);
            }
            case AttributeValue.S s -> s;
            case AttributeValue.B b -> b;
            case AttributeValue.Null nul -> nul;
            case AttributeValue.Bool b -> b;
        };
    }
}

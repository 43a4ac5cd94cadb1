package dev.flywheel.engine.index;

import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.model.AttributeValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The values of a global secondary index's partition key or sort key, which may each have up to four
 * attributes (multi-attribute keys), as the bytes storage keys hold. Each value keeps its own type: it is
 * encoded by {@link KeyEncoding} (whose byte order is DynamoDB's order for that type) and the encodings
 * are joined by {@link CompositeKey}, whose byte order is the lexicographic order of the tuples. So the
 * bytes of a multi-attribute sort key order as DynamoDB orders it, attribute by attribute, and the bytes
 * of a multi-attribute partition key are unambiguous (no two tuples share them); nothing is concatenated
 * in the item itself.
 *
 * <p>A single-attribute partition key is the value's encoding alone, as it always was, so the entries
 * of indexes created before multi-attribute keys stay where they are. (Each index has a storage table of
 * its own, so the two forms never meet.) Persisted in index rows: never change it.
 */
public final class KeyTuple {
    private KeyTuple() {}

    /** The partition key bytes of an index entry, for its partition key values in KeySchema order. */
    public static byte[] partitionKey(List<AttributeValue> values) {
        if (values.size() == 1) return KeyEncoding.encode(values.getFirst());
        return CompositeKey.encode(components(values));
    }

    /**
     * The values' encodings, one component each: the leading components of an index entry's sort key,
     * which the table's key then follows.
     */
    public static List<byte[]> components(List<AttributeValue> values) {
        List<byte[]> encoded = new ArrayList<>(values.size() + 2);
        for (AttributeValue v : values) encoded.add(KeyEncoding.encode(v));
        return encoded;
    }
}

package dev.flywheel.protocol.json;

import dev.flywheel.model.AttributeValue;
import dev.flywheel.model.DynamoDbException.ValidationException;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes DynamoDB's AttributeValue, written by hand because the model cannot say that it
 * is a union: {"S": "x"}, {"N": "1.5"}, {"B": "base64"}, {"SS": [..]}, {"NS": [..]}, {"BS": [..]},
 * {"M": {..}} and {"L": [..]} to any depth (Jackson's nesting limit stops runaway input), {"NULL":
 * true} and {"BOOL": b}.
 *
 * <p>Reading keeps numbers as the text given and sets as the lists given: the engine validates
 * numbers, empty sets, duplicates and empty keys, with DynamoDB's messages. What the record types
 * cannot represent is reported here, after constraint validation as DynamoDB does
 * ({@link JsonInput#defer}): no type, several types, {"NULL": false}. A JSON null where a list
 * element or map value should be counts as an AttributeValue with no type.
 */
final class AttributeValueJson {
    private static final String CORAL_TYPE = "com.amazonaws.dynamodb.v20120810.AttributeValue";

    // DynamoDB's messages, word for word (ValidationException, without "1 validation error").
    static final String EMPTY =
            "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes";
    static final String SEVERAL_TYPES =
            "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes";
    static final String NULL_FALSE =
            "One or more parameter values were invalid: Null attribute value types must have the value of true";

    private AttributeValueJson() {}

    static AttributeValue read(JsonInput in, Slot slot) throws IOException {
        if (in.isNull() && slot == Slot.VALUE) {
            return invalid(in, EMPTY);
        }
        if (!in.startStructure(slot, CORAL_TYPE)) {
            return null;
        }
        AttributeValue value = null;
        int types = 0;
        boolean nullFalse = false;
        for (String type = in.nextMember(); type != null; type = in.nextMember()) {
            AttributeValue typed = switch (type) {
                case "S" -> {
                    String s = in.readString();
                    yield s == null ? null : new AttributeValue.S(s);
                }
                case "N" -> {
                    String n = in.readString();
                    yield n == null ? null : new AttributeValue.N(n);
                }
                case "B" -> {
                    byte[] b = in.readBlob();
                    yield b == null ? null : new AttributeValue.B(b);
                }
                case "SS" -> {
                    List<String> ss = in.readList(JsonInput::readString);
                    yield ss == null ? null : new AttributeValue.SS(ss);
                }
                case "NS" -> {
                    List<String> ns = in.readList(JsonInput::readString);
                    yield ns == null ? null : new AttributeValue.NS(ns);
                }
                case "BS" -> {
                    List<byte[]> bs = in.readList(JsonInput::readBlob);
                    yield bs == null ? null : new AttributeValue.BS(bs);
                }
                case "M" -> {
                    Map<String, AttributeValue> m = in.readMap(CORAL_TYPE, AttributeValueJson::readValue);
                    yield m == null ? null : new AttributeValue.M(m);
                }
                case "L" -> {
                    List<AttributeValue> l = in.readList(AttributeValueJson::readValue);
                    yield l == null ? null : new AttributeValue.L(l);
                }
                case "NULL" -> {
                    Boolean isNull = in.readBoolean();
                    nullFalse = Boolean.FALSE.equals(isNull);
                    yield isNull == null ? null : AttributeValue.NULL;
                }
                case "BOOL" -> {
                    Boolean b = in.readBoolean();
                    yield b == null ? null : AttributeValue.bool(b);
                }
                default -> {
                    in.skipValue();
                    yield null;
                }
            };
            if (typed != null) {
                value = typed;
                types++;
            }
        }
        if (types == 0) {
            return invalid(in, EMPTY);
        }
        if (types > 1) {
            return invalid(in, SEVERAL_TYPES);
        }
        if (nullFalse) {
            return invalid(in, NULL_FALSE);
        }
        return value;
    }

    /** An element of L or a value of M. */
    static AttributeValue readValue(JsonInput in) throws IOException {
        return read(in, Slot.VALUE);
    }

    /** Defers DynamoDB's error and stands in a placeholder: the request will not reach the API. */
    private static AttributeValue invalid(JsonInput in, String message) {
        in.defer(new ValidationException(message));
        return AttributeValue.NULL;
    }

    static void write(JsonOutput out, AttributeValue value) throws IOException {
        out.startObject();
        switch (value) {
            case AttributeValue.S s -> out.string("S", s.value());
            case AttributeValue.N n -> out.string("N", n.value());
            case AttributeValue.B b -> out.blob("B", b.value());
            case AttributeValue.SS ss -> out.list("SS", ss.values(), JsonOutput::stringValue);
            case AttributeValue.NS ns -> out.list("NS", ns.values(), JsonOutput::stringValue);
            case AttributeValue.BS bs -> out.list("BS", bs.values(), JsonOutput::blobValue);
            case AttributeValue.M m -> out.map("M", m.values(), AttributeValueJson::write);
            case AttributeValue.L l -> out.list("L", l.values(), AttributeValueJson::write);
            case AttributeValue.Null n -> out.bool("NULL", true);
            case AttributeValue.Bool b -> out.bool("BOOL", b.value());
        }
        out.endObject();
    }
}

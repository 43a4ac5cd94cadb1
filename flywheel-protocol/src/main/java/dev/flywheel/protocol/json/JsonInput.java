package dev.flywheel.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.flywheel.model.DynamoDbException;
import dev.flywheel.model.DynamoDbException.SerializationException;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON document into model records straight from its bytes, with Jackson's streaming
 * parser (no tree), answering malformed input the way DynamoDB does.
 *
 * <p>Reading convention: every {@code read*} method starts on the value's first token (the parser's
 * current token) and ends on its last one, so the caller advances. JSON {@code null} reads as an
 * absent value (AWS JSON protocol), and members the model does not know are skipped.
 *
 * <p>DynamoDB's request framework rejects a value of the wrong JSON type with a
 * {@code SerializationException} whose message names the JSON token and the Java type the member
 * has there, e.g. "NUMBER_VALUE cannot be converted to String". The messages below are the ones
 * DynamoDB answers today, as recorded by dynalite's conformance tests against the real service;
 * older ones read "class java.lang.Boolean can not be converted to an String". A body that is not
 * JSON at all gets a SerializationException with no message.
 *
 * <p>Some problems DynamoDB reports only after its constraint validation has passed (an
 * AttributeValue with no type, or several): {@link #defer} keeps the first such error while reading
 * goes on, and the caller throws it after validation ({@link #throwDeferred}).
 *
 * <p>Not thread-safe: one instance reads one document.
 */
final class JsonInput {
    /**
     * Shared and thread-safe; it canonicalizes member names, which makes the switches on them cheap.
     * Names may be as long as DynamoDB allows attribute names (65535), and longer so that the model's
     * constraint, not the parser, reports a name too long; Jackson's default stops at 50000.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNameLength(1 << 20).build())
            // Shared, not per thread: each request is decoded on a virtual thread of its own (see JsonOutput).
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    /** Reads one element of a list or one value of a map. */
    @FunctionalInterface
    interface Reader<T> {
        T read(JsonInput in) throws IOException;
    }

    private final byte[] body;
    private final int offset;
    private final int length;
    private JsonParser parser;
    private DynamoDbException deferred;

    /** A reader of the JSON document in {@code body[offset, offset+length)}. */
    JsonInput(byte[] body, int offset, int length) {
        this.body = body;
        this.offset = offset;
        this.length = length;
    }

    /**
     * Reads the whole document as one value of {@code reader}.
     *
     * @throws SerializationException when the bytes are not one JSON document of the expected type
     */
    <T> T readDocument(Reader<T> reader) {
        try (JsonParser p = FACTORY.createParser(body, offset, length)) {
            parser = p;
            // An empty body, the JSON literal null or trailing content: DynamoDB answers a bare
            // SerializationException, as for any body it cannot parse.
            if (p.nextToken() == null || p.currentToken() == JsonToken.VALUE_NULL) {
                throw unparseable();
            }
            T value = reader.read(this);
            if (p.nextToken() != null) {
                throw unparseable();
            }
            return value;
        } catch (IOException e) {
            // Not JSON, not UTF-8, nested deeper than Jackson's limit: nothing more specific to say.
            throw unparseable();
        }
    }

    /** Keeps {@code error} to be thrown after validation, unless an earlier one is kept already. */
    void defer(DynamoDbException error) {
        if (deferred == null) {
            deferred = error;
        }
    }

    /** Throws the first error {@link #defer}red while reading; called once the constraints passed. */
    void throwDeferred() {
        if (deferred != null) {
            throw deferred;
        }
    }

    boolean isNull() {
        return parser.currentToken() == JsonToken.VALUE_NULL;
    }

    /**
     * Checks that the current token opens a structure: true when it does, false for JSON null.
     *
     * @param coralType the Java type DynamoDB names in its message, e.g.
     *     {@code com.amazonaws.dynamodb.v20120810.KeySchemaElement}
     */
    boolean startStructure(Slot slot, String coralType) {
        return switch (parser.currentToken()) {
            case START_OBJECT -> true;
            case VALUE_NULL -> false;
            case START_ARRAY -> throw serialization("Unrecognized collection type class " + coralType);
            default -> throw serialization(slot == Slot.MEMBER ? "Unexpected field type" : "Unexpected value type in payload");
        };
    }

    /** Moves to the next member of the current structure and onto its value; null at the end. */
    String nextMember() throws IOException {
        String name = parser.nextFieldName();
        if (name != null) {
            parser.nextToken();
        }
        return name;
    }

    /** Skips the current value, with everything nested in it. */
    void skipValue() throws IOException {
        parser.skipChildren();
    }

    String readString() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NULL -> null;
            default -> throw wrongType("String", "java.lang.String");
        };
    }

    Boolean readBoolean() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            // DynamoDB no longer converts "true" or "yes" to a boolean.
            case VALUE_STRING -> throw serialization("Unexpected token received from parser");
            default -> throw wrongType("Boolean", "java.lang.Boolean");
        };
    }

    Integer readInteger() throws IOException {
        BigInteger value = readWholeNumber("Integer");
        if (value == null) {
            return null;
        }
        if (value.bitLength() > 31) {
            throw outOfRange(value, "Integer");
        }
        return value.intValue();
    }

    Long readLong() throws IOException {
        BigInteger value = readWholeNumber("Long");
        if (value == null) {
            return null;
        }
        if (value.bitLength() > 63) {
            throw outOfRange(value, "Long");
        }
        return value.longValue();
    }

    /** A JSON number as a whole number; a fraction is cut off, as DynamoDB's truncating numbers do. */
    private BigInteger readWholeNumber(String javaType) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? parser.getBigIntegerValue()
                    : BigInteger.valueOf(parser.getLongValue());
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue().toBigInteger();
            case VALUE_NULL -> null;
            default -> throw wrongType(javaType, "java.lang." + javaType);
        };
    }

    Double readDouble() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                double value = parser.getDoubleValue();
                if (Double.isInfinite(value)) {
                    throw outOfRange(parser.getDecimalValue(), "Double");
                }
                yield value;
            }
            case VALUE_NULL -> null;
            default -> throw wrongType("Double", "java.lang.Double");
        };
    }

    /** A timestamp: a JSON number of seconds since the epoch, with an optional fraction. */
    Instant readTimestamp() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                BigDecimal seconds = parser.getDecimalValue();
                try {
                    BigDecimal whole = seconds.setScale(0, RoundingMode.FLOOR);
                    int nanos = seconds.subtract(whole).movePointRight(9).intValue();
                    yield Instant.ofEpochSecond(whole.longValueExact(), nanos);
                } catch (ArithmeticException | DateTimeException e) {
                    throw outOfRange(seconds, "Date");
                }
            }
            case VALUE_NULL -> null;
            default -> throw wrongType("Date", "java.util.Date");
        };
    }

    /** A blob: a base64 string, decoded as strictly as DynamoDB does ({@link Base64Decoder}). */
    byte[] readBlob() throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_STRING -> Base64Decoder.decode(
                    parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
            case VALUE_NULL -> null;
            case VALUE_TRUE, VALUE_FALSE, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT ->
                    throw serialization("only base-64-encoded strings are convertible to bytes");
            default -> throw wrongType("Blob", "java.nio.ByteBuffer");
        };
    }

    /** A JSON array; elements that read as null (JSON null) are left out. */
    <T> List<T> readList(Reader<T> element) throws IOException {
        switch (parser.currentToken()) {
            case START_ARRAY -> { }
            case VALUE_NULL -> { return null; }
            case START_OBJECT -> throw structureNotExpected();
            default -> throw serialization("Unexpected field type");
        }
        List<T> list = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            T value = element.read(this);
            if (value != null) {
                list.add(value);
            }
        }
        return list;
    }

    /**
     * A JSON object as a map in the order of its members; values that read as null are left out.
     *
     * @param coralValueType the Java type of the values DynamoDB names in its message, e.g.
     *     {@code java.lang.String}
     */
    <T> Map<String, T> readMap(String coralValueType, Reader<T> value) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT -> { }
            case VALUE_NULL -> { return null; }
            case START_ARRAY -> throw serialization(
                    "Unrecognized collection type java.util.Map<java.lang.String, " + coralValueType + ">");
            default -> throw serialization("Unexpected field type");
        }
        Map<String, T> map = new LinkedHashMap<>();
        for (String key = nextMember(); key != null; key = nextMember()) {
            T v = value.read(this);
            if (v != null) {
                map.put(key, v);
            }
        }
        return map;
    }

    /**
     * DynamoDB's message for a value of the wrong JSON type where a scalar of {@code javaType} was
     * expected: it names the JSON token of a scalar, and the Java class for an array. (For
     * timestamps, which DynamoDB's recorded messages do not cover, the same pattern with Date.)
     */
    private SerializationException wrongType(String javaType, String javaClass) {
        return switch (parser.currentToken()) {
            case START_OBJECT -> structureNotExpected();
            case START_ARRAY -> serialization("Unrecognized collection type class " + javaClass);
            case VALUE_STRING -> serialization("STRING_VALUE cannot be converted to " + javaType);
            case VALUE_NUMBER_INT -> serialization("NUMBER_VALUE cannot be converted to " + javaType);
            case VALUE_NUMBER_FLOAT -> serialization("DECIMAL_VALUE cannot be converted to " + javaType);
            case VALUE_TRUE -> serialization("TRUE_VALUE cannot be converted to " + javaType);
            case VALUE_FALSE -> serialization("FALSE_VALUE cannot be converted to " + javaType);
            default -> unparseable();
        };
    }

    private static SerializationException structureNotExpected() {
        return serialization("Start of structure or map found where not expected");
    }

    /** Not DynamoDB's wording (it is not documented): a number too large for its member's type. */
    private static SerializationException outOfRange(Number value, String javaType) {
        return serialization("NUMBER_VALUE " + value + " is out of range for " + javaType);
    }

    static SerializationException serialization(String message) {
        return new SerializationException(message);
    }

    /** DynamoDB answers a body it cannot parse with a SerializationException without a message. */
    static SerializationException unparseable() {
        return new SerializationException(null);
    }
}

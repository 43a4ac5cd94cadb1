package dev.flywheel.protocol.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Writes model records as JSON with Jackson's streaming generator into a {@link ReusableBuffer}.
 *
 * <p>The member methods ({@code string(name, value)}, ...) leave out null members, as AWS JSON does;
 * the {@code *Value} methods write a bare value, for list elements and map values. Timestamps are
 * JSON numbers of seconds since the epoch, with the fraction when there is one; blobs are base64.
 *
 * <p>Not thread-safe: one instance writes one document.
 */
final class JsonOutput {
    /**
     * Jackson's buffers are recycled through a shared pool rather than per thread: every request is
     * encoded on a virtual thread of its own, which would find an empty per-thread recycler each time.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedConcurrentDequePool())
            .build();

    /** Writes one value: a whole document, a list element or a map value. */
    @FunctionalInterface
    interface Writer<T> {
        void write(JsonOutput out, T value) throws IOException;
    }

    private final JsonGenerator generator;

    private JsonOutput(JsonGenerator generator) {
        this.generator = generator;
    }

    /** The JSON of {@code value} as written by {@code writer}. */
    static <T> byte[] toBytes(T value, Writer<T> writer) {
        ReusableBuffer buffer = ReusableBuffer.acquire();
        try {
            try (JsonGenerator generator = FACTORY.createGenerator(buffer)) {
                writer.write(new JsonOutput(generator), value);
            }
            return buffer.toByteArray();
        } catch (IOException e) {
            // The buffer is in memory: only a bug in a writer gets here.
            throw new UncheckedIOException(e);
        } finally {
            buffer.release();
        }
    }

    void startObject() throws IOException {
        generator.writeStartObject();
    }

    void endObject() throws IOException {
        generator.writeEndObject();
    }

    void string(String name, String value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeString(value);
        }
    }

    void number(String name, Integer value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeNumber(value);
        }
    }

    void number(String name, Long value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeNumber(value);
        }
    }

    void number(String name, Double value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeNumber(value);
        }
    }

    void bool(String name, Boolean value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeBoolean(value);
        }
    }

    void timestamp(String name, Instant value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            timestampValue(value);
        }
    }

    void blob(String name, byte[] value) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            generator.writeBinary(value);
        }
    }

    <T> void object(String name, T value, Writer<T> writer) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            writer.write(this, value);
        }
    }

    <T> void list(String name, List<T> value, Writer<T> element) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            listValue(value, element);
        }
    }

    <T> void map(String name, Map<String, T> value, Writer<T> element) throws IOException {
        if (value != null) {
            generator.writeFieldName(name);
            mapValue(value, element);
        }
    }

    void stringValue(String value) throws IOException {
        generator.writeString(value);
    }

    void integerValue(Integer value) throws IOException {
        generator.writeNumber(value);
    }

    void longValue(Long value) throws IOException {
        generator.writeNumber(value);
    }

    void doubleValue(Double value) throws IOException {
        generator.writeNumber(value);
    }

    void booleanValue(Boolean value) throws IOException {
        generator.writeBoolean(value);
    }

    void blobValue(byte[] value) throws IOException {
        generator.writeBinary(value);
    }

    void timestampValue(Instant value) throws IOException {
        if (value.getNano() == 0) {
            generator.writeNumber(value.getEpochSecond());
        } else {
            BigDecimal seconds = BigDecimal.valueOf(value.getEpochSecond()).add(BigDecimal.valueOf(value.getNano(), 9));
            generator.writeNumber(seconds.stripTrailingZeros().toPlainString());
        }
    }

    <T> void listValue(List<T> list, Writer<T> element) throws IOException {
        generator.writeStartArray();
        for (T value : list) {
            element.write(this, value);
        }
        generator.writeEndArray();
    }

    <T> void mapValue(Map<String, T> map, Writer<T> element) throws IOException {
        generator.writeStartObject();
        for (Map.Entry<String, T> entry : map.entrySet()) {
            generator.writeFieldName(entry.getKey());
            element.write(this, entry.getValue());
        }
        generator.writeEndObject();
    }
}

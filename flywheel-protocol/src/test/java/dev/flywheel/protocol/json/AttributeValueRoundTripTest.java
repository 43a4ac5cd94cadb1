package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/** Any AttributeValue, to any depth, reads back as the value written. */
@Tag("random")
class AttributeValueRoundTripTest {

    @Property(tries = 500)
    void writeThenReadGivesTheSameValue(@ForAll("attributeValues") AttributeValue value) {
        byte[] json = JsonOutput.toBytes(value, AttributeValueJson::write);

        JsonInput in = new JsonInput(json, 0, json.length);
        AttributeValue read = in.readDocument(AttributeValueJson::readValue);
        in.throwDeferred();

        assertThat(read).isEqualTo(value);
        if (value instanceof AttributeValue.M m) {
            assertThat(((AttributeValue.M) read).values().keySet()).containsExactlyElementsOf(m.values().keySet());
        }
    }

    @Provide
    Arbitrary<AttributeValue> attributeValues() {
        return Arbitraries.lazyOf(
                () -> Arbitraries.strings().map(AttributeValue::s),
                () -> numbers().map(AttributeValue::n),
                () -> Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(AttributeValue::b),
                () -> Arbitraries.strings().list().ofMaxSize(4).map(AttributeValue.SS::new),
                () -> numbers().list().ofMaxSize(4).map(AttributeValue.NS::new),
                () -> Arbitraries.bytes().array(byte[].class).ofMaxSize(8).list().ofMaxSize(4).map(AttributeValue.BS::new),
                () -> Arbitraries.just(AttributeValue.NULL),
                () -> Arbitraries.of(true, false).map(AttributeValue::bool),
                () -> attributeValues().list().ofMaxSize(4).map(AttributeValue.L::new),
                () -> Arbitraries.maps(Arbitraries.strings().ofMaxLength(6), attributeValues())
                        .ofMaxSize(4)
                        .map(values -> new AttributeValue.M(new LinkedHashMap<>(values))));
    }

    private static Arbitrary<String> numbers() {
        return Arbitraries.bigDecimals().map(n -> n.toString());
    }

    @Property
    void anItemKeepsTheOrderOfItsAttributes(@ForAll("names") List<String> names) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        names.forEach(name -> item.put(name, AttributeValue.s(name)));
        AttributeValue value = new AttributeValue.M(item);

        byte[] json = JsonOutput.toBytes(value, AttributeValueJson::write);
        AttributeValue.M read = (AttributeValue.M) new JsonInput(json, 0, json.length).readDocument(AttributeValueJson::readValue);

        assertThat(List.copyOf(read.values().keySet())).isEqualTo(List.copyOf(item.keySet()));
    }

    @Provide
    Arbitrary<List<String>> names() {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).list().uniqueElements().ofMaxSize(30);
    }
}

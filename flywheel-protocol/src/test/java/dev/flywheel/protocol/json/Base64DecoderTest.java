package dev.flywheel.protocol.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.SerializationException;
import java.util.Base64;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Base64DecoderTest {

    private static byte[] decode(String text) {
        char[] padded = ("~~" + text + "~").toCharArray();
        return Base64Decoder.decode(padded, 2, text.length());
    }

    @Property
    void decodesWhatTheStandardEncoderWrites(@ForAll byte[] bytes) {
        assertThat(decode(Base64.getEncoder().encodeToString(bytes))).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''   | ''",
            "AA== | 00",
            "AAE= | 0001",
            "AAEC | 000102",
            "/w== | ff",
    })
    void decodes(String text, String hex) {
        assertThat(decode(text)).isEqualTo(java.util.HexFormat.of().parseHex(hex));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            // DynamoDB's messages, recorded by dynalite.
            "23456 | Base64 encoded length is expected a multiple of 4 bytes but found: 5",
            "'=+/=' | Invalid last non-pad Base64 character dectected",
            "+/+= | Invalid last non-pad Base64 character dectected",
            "AB== | Invalid last non-pad Base64 character dectected",
            // DynamoDB's older wording for a stray character.
            "ab!d | Invalid Base64 character: '!'",
            "A=AA | Invalid Base64 character: '='",
            "AAé= | Invalid Base64 character: 'é'",
            "==== | Invalid Base64 character: '='",
    })
    void rejectsWhatDynamoDbRejects(String text, String message) {
        assertThatThrownBy(() -> decode(text)).isInstanceOf(SerializationException.class).hasMessage(message);
    }
}

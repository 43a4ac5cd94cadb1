package dev.flywheel.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The pieces of the canonical request that DynamoDB's own requests never exercise. */
class CanonicalRequestTest {

    @Test
    void encodesThePathAgainButKeepsSlashes() {
        assertThat(CanonicalRequest.canonicalUri("")).isEqualTo("/");
        assertThat(CanonicalRequest.canonicalUri("/")).isEqualTo("/");
        assertThat(CanonicalRequest.canonicalUri("/a%20b/c~d")).isEqualTo("/a%2520b/c~d");
    }

    @Test
    void sortsQueryParametersByNameThenValueAndEncodesThemUniformly() {
        assertThat(CanonicalRequest.canonicalQuery("z=1&a=2&a=1&flag&sp=x+y%20z"))
                .isEqualTo("a=1&a=2&flag=&sp=x%2By%20z&z=1");
    }

    @Test
    void joinsRepeatedHeadersAndCollapsesSpaces() {
        assertThat(CanonicalRequest.canonicalHeaderValue(List.of("  a   b ", "c"))).isEqualTo("a b,c");
    }

    @Test
    void decodesMultiByteCharacters() {
        assertThat(CanonicalRequest.percentDecode("%C3%A9t%C3%A9")).isEqualTo("été");
        assertThat(CanonicalRequest.uriEncode("été", false)).isEqualTo("%C3%A9t%C3%A9");
    }
}

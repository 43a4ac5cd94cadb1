package dev.flywheel.engine.encryption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class DataKeyTest {
    private static final DataKey KEY = new DataKey(material());
    private static final byte[] AD = "table 7 row p/s".getBytes(StandardCharsets.UTF_8);

    private static byte[] material() {
        byte[] m = new byte[DataKey.MATERIAL_BYTES];
        new SecureRandom().nextBytes(m);
        return m;
    }

    @Property
    void whatIsSealedOpensWithTheSameAssociatedData(@ForAll byte[] plaintext) throws GeneralSecurityException {
        assertThat(KEY.open(KEY.seal(plaintext, AD), AD)).isEqualTo(plaintext);
    }

    @Test
    void sealingIsDeterministicPerPlaceButNotAcrossPlaces() {
        byte[] value = "the same value".getBytes(StandardCharsets.UTF_8);
        assertThat(KEY.seal(value, AD)).isEqualTo(KEY.seal(value, AD));
        assertThat(KEY.seal(value, AD)).isNotEqualTo(KEY.seal(value, "another row".getBytes(StandardCharsets.UTF_8)));
        assertThat(KEY.seal(value, AD)).isNotEqualTo(new DataKey(material()).seal(value, AD));
        assertThat(new String(KEY.seal(value, AD), StandardCharsets.ISO_8859_1)).doesNotContain("same value");
    }

    @Test
    void anythingAlteredMovedOrUnderAnotherKeyDoesNotOpen() {
        byte[] sealed = KEY.seal("secret".getBytes(StandardCharsets.UTF_8), AD);
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 1;
            assertThatThrownBy(() -> KEY.open(altered, AD)).as("bit flipped in byte %d", i)
                    .isInstanceOf(GeneralSecurityException.class);
        }
        assertThatThrownBy(() -> KEY.open(sealed, "elsewhere".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> new DataKey(material()).open(sealed, AD)).isInstanceOf(GeneralSecurityException.class);
        assertThatThrownBy(() -> KEY.open(Arrays.copyOf(sealed, 5), AD)).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void hiddenPartitionKeysAreFixedLengthAndKeyed() {
        byte[] pk = "user#42".getBytes(StandardCharsets.UTF_8);
        assertThat(KEY.hide(pk)).hasSize(DataKey.HIDDEN_KEY_BYTES).isEqualTo(KEY.hide(pk.clone()));
        assertThat(KEY.hide(pk)).isNotEqualTo(KEY.hide("user#43".getBytes(StandardCharsets.UTF_8)));
        assertThat(KEY.hide(pk)).isNotEqualTo(new DataKey(material()).hide(pk));
    }
}

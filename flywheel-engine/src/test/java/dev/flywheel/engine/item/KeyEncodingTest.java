package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flywheel.model.AttributeValue;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The key encoding's byte order must be DynamoDB's order of the values it encodes. */
class KeyEncodingTest {

    /** Numbers across DynamoDB's whole range: up to 38 digits, leading exponent -130..125. */
    static Arbitrary<BigDecimal> dynamoNumbers() {
        Arbitrary<BigInteger> unscaled = Arbitraries.bigIntegers()
                .between(BigInteger.TEN.pow(38).negate().add(BigInteger.ONE), BigInteger.TEN.pow(38).subtract(BigInteger.ONE))
                .edgeCases(c -> c.includeOnly(BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE.negate()));
        Arbitrary<BigDecimal> wide = Combinators.combine(unscaled, Arbitraries.integers().between(-90, 130))
                .as((u, scale) -> new BigDecimal(u, scale))
                .filter(d -> {
                    if (d.signum() == 0) return true;
                    int leading = d.precision() - d.scale() - 1;
                    return leading >= -130 && leading <= 125;
                });
        Arbitrary<BigDecimal> small = Arbitraries.integers().between(-1000, 1000).map(BigDecimal::valueOf);
        Arbitrary<BigDecimal> decimals = Arbitraries.integers().between(-100000, 100000).map(i -> BigDecimal.valueOf(i, 3));
        return Arbitraries.oneOf(wide, small, decimals);
    }

    @Property(tries = 2000)
    void numberByteOrderIsNumericOrder(@ForAll("numbers") BigDecimal a, @ForAll("numbers") BigDecimal b) {
        byte[] ea = KeyEncoding.encode(new AttributeValue.N(a.toString()));
        byte[] eb = KeyEncoding.encode(new AttributeValue.N(b.toString()));
        assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(a.compareTo(b)));
    }

    @Property(tries = 1000)
    void numbersDecodeToTheirNormalizedText(@ForAll("numbers") BigDecimal a) {
        AttributeValue.N n = new AttributeValue.N(a.toString());
        assertThat(KeyEncoding.decode("N", KeyEncoding.encode(n)))
                .isEqualTo(new AttributeValue.N(DynamoNumber.normalize(a.toString())));
    }

    @Property
    void stringByteOrderIsUtf8ByteOrder(@ForAll String a, @ForAll String b) {
        byte[] ea = KeyEncoding.encode(new AttributeValue.S(a));
        byte[] eb = KeyEncoding.encode(new AttributeValue.S(b));
        int expected = Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
        assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(expected));
        assertThat(KeyEncoding.decode("S", ea)).isEqualTo(new AttributeValue.S(a));
    }

    @Property
    void binaryByteOrderIsUnsignedOrder(@ForAll byte[] a, @ForAll byte[] b) {
        byte[] ea = KeyEncoding.encode(new AttributeValue.B(a));
        byte[] eb = KeyEncoding.encode(new AttributeValue.B(b));
        assertThat(Integer.signum(Arrays.compareUnsigned(ea, eb))).isEqualTo(Integer.signum(Arrays.compareUnsigned(a, b)));
    }

    @Test
    void equalNumbersWrittenDifferentlyEncodeTheSame() {
        assertThat(KeyEncoding.encode(new AttributeValue.N("1.0"))).isEqualTo(KeyEncoding.encode(new AttributeValue.N("1")));
        assertThat(KeyEncoding.encode(new AttributeValue.N("-0"))).isEqualTo(KeyEncoding.encode(new AttributeValue.N("0")));
        assertThat(KeyEncoding.encode(new AttributeValue.N("1e2"))).isEqualTo(KeyEncoding.encode(new AttributeValue.N("100")));
    }

    @Test
    void prefixNumbersOrderCorrectly() {
        // 0.12 < 0.123 and -0.123 < -0.12: the cases a digit-string encoding gets wrong.
        assertThat(Arrays.compareUnsigned(enc("0.12"), enc("0.123"))).isNegative();
        assertThat(Arrays.compareUnsigned(enc("-0.123"), enc("-0.12"))).isNegative();
        assertThat(Arrays.compareUnsigned(enc("-1E125"), enc("-1E-130"))).isNegative();
        assertThat(Arrays.compareUnsigned(enc("-1E-130"), enc("0"))).isNegative();
        assertThat(Arrays.compareUnsigned(enc("0"), enc("1E-130"))).isNegative();
    }

    private static byte[] enc(String n) { return KeyEncoding.encode(new AttributeValue.N(n)); }

    @Provide
    Arbitrary<BigDecimal> numbers() { return dynamoNumbers(); }
}

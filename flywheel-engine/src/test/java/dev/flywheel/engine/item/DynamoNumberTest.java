package dev.flywheel.engine.item;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flywheel.model.DynamoDbException.ValidationException;
import java.math.BigDecimal;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DynamoNumberTest {

    @ParameterizedTest
    @CsvSource({
            "1.50, 1.5", "1e3, 1000", "-0, 0", "0.000, 0", "+7, 7", "007, 7", "-12.3400, -12.34",
            "123456789012345678901234567890.12345678, 123456789012345678901234567890.12345678"})
    void normalizesAsDynamoDbReturnsNumbers(String given, String stored) {
        assertThat(DynamoNumber.normalize(given)).isEqualTo(stored);
    }

    @Test
    void extremesOfTheRangeAreWrittenInFull() {
        assertThat(DynamoNumber.normalize("1E-130")).isEqualTo("0." + "0".repeat(129) + "1");
        assertThat(DynamoNumber.normalize("9.9999999999999999999999999999999999999E+125"))
                .isEqualTo("9".repeat(38) + "0".repeat(88));
    }

    @Test
    void rejectsWhatDynamoDbRejects() {
        assertThatThrownBy(() -> DynamoNumber.parse("abc")).isInstanceOf(ValidationException.class)
                .hasMessage("The parameter cannot be converted to a numeric value: abc");
        assertThatThrownBy(() -> DynamoNumber.parse("")).isInstanceOf(ValidationException.class)
                .hasMessage("The parameter cannot be converted to a numeric value");
        assertThatThrownBy(() -> DynamoNumber.parse(" 1")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> DynamoNumber.parse("1234567890123456789012345678901234567891"))
                .hasMessage("Attempting to store more than 38 significant digits in a Number");
        assertThatThrownBy(() -> DynamoNumber.parse("1E126"))
                .hasMessage("Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThatThrownBy(() -> DynamoNumber.parse("-1E126"))
                .hasMessage("Number overflow. Attempting to store a number with magnitude larger than supported range");
        assertThatThrownBy(() -> DynamoNumber.parse("9.9E-131"))
                .hasMessage("Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }

    @Test
    void trailingZerosDoNotCountAsSignificantDigits() {
        assertThat(DynamoNumber.normalize("1" + "0".repeat(60))).isEqualTo("1" + "0".repeat(60));
        assertThat(DynamoNumber.normalize("1.00000000000000000000000000000000000000000000")).isEqualTo("1");
    }

    @Property
    void normalizedTextParsesToTheSameValue(@ForAll("numbers") BigDecimal value) {
        String normalized = DynamoNumber.normalize(value.toString());
        assertThat(new BigDecimal(normalized)).isEqualByComparingTo(value);
        assertThat(DynamoNumber.normalize(normalized)).isEqualTo(normalized);
        assertThat(normalized).doesNotContain("E").doesNotStartWith("+");
    }

    /** Sizes read from the text agree with sizes from the value, for stored and for plain-notation text. */
    @Property
    void sizeFromTextIsSizeFromValue(@ForAll("numbers") BigDecimal value) {
        int expected = DynamoNumber.size(value);
        assertThat(DynamoNumber.size(DynamoNumber.normalize(value.toString()))).isEqualTo(expected);
        assertThat(DynamoNumber.size(value.toPlainString())).isEqualTo(expected);
        assertThat(DynamoNumber.size(value.toString())).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"0, 1", "-0, 1", "0.000, 1", "007, 2", "1200, 2", "-12.50, 4", "0.001, 2", "123.45, 4", "1e3, 2"})
    void sizeOfText(String text, int size) {
        assertThat(DynamoNumber.size(text)).isEqualTo(size);
    }

    @Provide
    static Arbitrary<BigDecimal> numbers() {
        return KeyEncodingTest.dynamoNumbers();
    }
}

package dev.flywheel.bench;

import dev.flywheel.engine.item.KeyEncoding;
import dev.flywheel.model.AttributeValue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link KeyEncoding#encode}: a key attribute value to its byte-ordered storage form, done for every
 * key of every item operation (and twice per Query bound). S and B are a UTF-8 conversion and no work
 * at all; N parses the decimal text ({@code BigDecimal}), validates it against DynamoDB's limits and
 * writes one byte per digit, so it is measured over typical numbers: a small counter, an epoch
 * timestamp, a negative decimal, a 38-digit number (DynamoDB's maximum precision) and zero.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -jar flywheel-bench/target/benchmarks.jar KeyEncodingBenchmark -f 1 -wi 2 -i 3 -w 1s -r 2s
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyEncodingBenchmark {
    private final AttributeValue string = AttributeValue.s("user#0000012345");
    private final AttributeValue binary = AttributeValue.b(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});

    /** The numbers, apart so that only {@link #number} runs once per value. */
    @State(Scope.Benchmark)
    public static class Numbers {
        @Param({"42", "1700000000123", "-1234.5678", "3.1415926535897932384626433832795028841", "0"})
        String value;

        AttributeValue number;

        @Setup
        public void setUp() {
            number = AttributeValue.n(value);
        }
    }

    @Benchmark
    public byte[] string() {
        return KeyEncoding.encode(string);
    }

    @Benchmark
    public byte[] binary() {
        return KeyEncoding.encode(binary);
    }

    @Benchmark
    public byte[] number(Numbers numbers) {
        return KeyEncoding.encode(numbers.number);
    }
}

package dev.flywheel.expression;

import dev.flywheel.model.AttributeValue;

import java.math.BigDecimal;

/**
 * DynamoDB's number rules for values the evaluator computes: exact decimal arithmetic, at most 38
 * significant digits, magnitudes from 1E-130 to 9.9999999999999999999999999999999999999E+125.
 * Results are written without exponent or trailing zeros ("3", not "3.0").
 */
final class Numbers {
    static final int MAX_DIGITS = 38;
    private static final BigDecimal MAX_MAGNITUDE_EXCLUSIVE = new BigDecimal("1E+126");
    private static final BigDecimal MIN_MAGNITUDE = new BigDecimal("1E-130");

    private Numbers() {}

    static BigDecimal parse(AttributeValue.N n) {
        return new BigDecimal(n.value());
    }

    static AttributeValue.N add(AttributeValue.N a, AttributeValue.N b) {
        return checked(parse(a).add(parse(b)));
    }

    static AttributeValue.N subtract(AttributeValue.N a, AttributeValue.N b) {
        return checked(parse(a).subtract(parse(b)));
    }

    /**
     * The exact result, refused rather than rounded when it needs more than 38 digits (DynamoDB's
     * wording for stored numbers; that arithmetic refuses instead of rounding is our reading).
     */
    static AttributeValue.N checked(BigDecimal exact) {
        if (exact.signum() == 0) return new AttributeValue.N("0");
        BigDecimal stripped = exact.stripTrailingZeros();
        BigDecimal magnitude = stripped.abs();
        if (magnitude.compareTo(MAX_MAGNITUDE_EXCLUSIVE) >= 0) {
            throw Errors.update("Number overflow. Attempting to store a number with magnitude larger than supported range");
        }
        if (magnitude.compareTo(MIN_MAGNITUDE) < 0) {
            throw Errors.update("Number underflow. Attempting to store a number with magnitude smaller than supported range");
        }
        if (stripped.precision() > MAX_DIGITS) {
            throw Errors.update("Attempting to store more than 38 significant digits in a Number");
        }
        return new AttributeValue.N(stripped.toPlainString());
    }
}

package org.reactivetracking.kinesis;

import java.time.Duration;

/**
 * Checks of the consumers' settings records, made in their constructors: a setting that breaks one fails the start
 * with its name and value in the message. The consumers carry no Bean Validation (it took a third of a second of
 * every start); each check here is one a constraint annotation made before.
 */
public final class Settings {

    private Settings() {
    }

    /** @return {@code value}, which must hold a non-whitespace character */
    public static String text(String value, String property) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(property + " must not be blank, was '" + value + "'");
        }
        return value;
    }

    /** @return {@code value}, which must be longer than zero */
    public static Duration positive(Duration value, String property) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(property + " must be a duration longer than zero, was " + value);
        }
        return value;
    }

    /** @return {@code value}, which must be {@code min} to {@code max} */
    public static long between(long value, long min, long max, String property) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(property + " must be " + min + " to " + max + ", was " + value);
        }
        return value;
    }
}

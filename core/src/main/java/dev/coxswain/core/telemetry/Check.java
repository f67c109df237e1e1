package dev.coxswain.core.telemetry;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;

/**
 * Field checks shared by the telemetry records' compact constructors. Each check names the field it rejects
 * ({@code StepReport.stepTimeMs}) so an operator can find the bad value in a dead letter.
 */
public final class Check {
    private static final int MAX_ID_LENGTH = 128;
    /** Telemetry from before 2000 or after 2199 is a broken clock; {@link #notAhead} is the receiver's finer check. */
    private static final long EARLIEST_SECONDS = Instant.parse("2000-01-01T00:00:00Z").getEpochSecond();
    private static final long LATEST_SECONDS = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
    // Identifier characters as bit sets over ASCII 0-63 and 64-127: one shift and test per character.
    private static final long ALNUM_LOW = mask(0, "0123456789");
    private static final long ALNUM_HIGH = mask(64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");
    private static final long ID_LOW = ALNUM_LOW | mask(0, ".-_:/@+=");
    private static final long ID_HIGH = ALNUM_HIGH | mask(64, ".-_:/@+=");

    private Check() {
    }

    /**
     * Fails unless {@code value} is at most a day ahead of {@code clock}, the receiver's: a record from further ahead
     * comes from a sender with a broken clock. The receivers that own a clock (the agent's intake, the collector)
     * check this; a record's own constructor, which cannot take a clock, checks only the fixed bounds of
     * {@link #time}.
     */
    public static void notAhead(String field, Instant value, Clock clock) {
        if (ahead(value, clock)) {
            throw aheadError(field, value, clock);
        }
    }

    /** Whether {@code value} is more than a day ahead of {@code clock}; allocates nothing. */
    public static boolean ahead(Instant value, Clock clock) {
        return ahead(value.getEpochSecond(), clock);
    }

    /** As {@link #ahead(Instant, Clock)}, for a time given as its epoch second. */
    public static boolean ahead(long epochSecond, Clock clock) {
        return epochSecond > clock.millis() / 1000 + 86_400;
    }

    /** The error {@link #notAhead} throws, for a receiver that reports it rather than throwing. */
    public static InvalidTelemetryException aheadError(String field, Instant value, Clock clock) {
        return new InvalidTelemetryException(field, value + " is more than a day ahead of this receiver's clock ("
                + clock.instant() + ")");
    }

    static String id(String field, String value) {
        if (value == null) {
            throw new InvalidTelemetryException(field, "missing");
        }
        if (!isIdentifier(value)) {
            throw new InvalidTelemetryException(field,
                    "'" + abbreviate(value) + "' is not an identifier (letters, digits, ._:/@+=-, at most 128)");
        }
        return value;
    }

    /**
     * Identifiers travel as Kafka keys and graph vertex names: an ASCII letter or digit, then letters, digits or
     * {@code ._:/@+=-}, at most 128 characters. Hand-written rather than a regex: it runs for every record.
     */
    public static boolean isIdentifier(String value) {
        int n = value.length();
        if (n == 0 || n > MAX_ID_LENGTH || !in(value.charAt(0), ALNUM_LOW, ALNUM_HIGH)) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (!in(value.charAt(i), ID_LOW, ID_HIGH)) {
                return false;
            }
        }
        return true;
    }

    private static long mask(int from, String chars) {
        long m = 0;
        for (char c : chars.toCharArray()) {
            if (c >= from && c < from + 64) {
                m |= 1L << (c - from);
            }
        }
        return m;
    }

    private static boolean in(char c, long low, long high) {
        return c < 64 ? (low >>> c & 1) != 0 : c < 128 && (high >>> (c - 64) & 1) != 0;
    }

    static String text(String field, String value, int maxLength) {
        if (value == null) {
            throw new InvalidTelemetryException(field, "missing");
        }
        if (value.length() > maxLength) {
            throw new InvalidTelemetryException(field, "longer than " + maxLength + " characters");
        }
        int at = controlCharacterAt(value);
        if (at >= 0) {
            throw new InvalidTelemetryException(field, controlCharacterProblem(value, at));
        }
        return value;
    }

    /**
     * The index of the first control character in {@code value} (a line break, a terminal's escape), or -1: free
     * text that people read (names, reasons, attributes) must show as it is on a page and in a terminal.
     */
    public static int controlCharacterAt(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** What {@link #controlCharacterAt} found, in words. */
    public static String controlCharacterProblem(String value, int at) {
        return String.format("contains the control character U+%04X at index %d", (int) value.charAt(at), at);
    }

    static Instant time(String field, Instant value) {
        if (value == null) {
            throw new InvalidTelemetryException(field, "missing");
        }
        epochSecond(field, value.getEpochSecond());
        // The wire format keeps microseconds; truncating here makes every record survive a round trip unchanged.
        // A decoded time is already whole microseconds: skip truncatedTo's 64-bit divisions for it.
        return value.getNano() % 1000 == 0 ? value : value.truncatedTo(ChronoUnit.MICROS);
    }

    /** A time given as its epoch second: within 2000-01-01 .. 2200-01-01. */
    static void epochSecond(String field, long seconds) {
        if (seconds < EARLIEST_SECONDS || seconds >= LATEST_SECONDS) {
            throw new InvalidTelemetryException(field, Instant.ofEpochSecond(seconds)
                    + " is outside 2000-01-01 .. 2200-01-01");
        }
    }

    /** A finite value in [min, max]; NaN and infinities are rejected with their own message. */
    static double range(String field, double value, double min, double max) {
        if (Double.isNaN(value)) {
            throw new InvalidTelemetryException(field, "NaN");
        }
        if (Double.isInfinite(value)) {
            throw new InvalidTelemetryException(field, "infinite");
        }
        if (value < min) {
            throw new InvalidTelemetryException(field, value + (min == 0 ? " is negative" : " is below " + min));
        }
        if (value > max) {
            throw new InvalidTelemetryException(field, value + " is above the plausible maximum " + max);
        }
        return value;
    }

    static long range(String field, long value, long min, long max) {
        if (value < min) {
            throw new InvalidTelemetryException(field, value + (min == 0 ? " is negative" : " is below " + min));
        }
        if (value > max) {
            throw new InvalidTelemetryException(field, value + " is above the plausible maximum " + max);
        }
        return value;
    }

    static int range(String field, int value, int min, int max) {
        return (int) range(field, (long) value, min, max);
    }

    static <T> List<T> list(String field, List<T> values, int maxSize) {
        if (values == null) {
            throw new InvalidTelemetryException(field, "missing");
        }
        if (values.size() > maxSize) {
            throw new InvalidTelemetryException(field, values.size() + " entries, more than " + maxSize);
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null) {
                throw new InvalidTelemetryException(field + "[" + i + "]", "missing");
            }
        }
        return List.copyOf(values);
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidTelemetryException(field, "missing");
        }
        return value;
    }

    /**
     * For a fixed message only: the caller builds {@code problem} before the test, on every record. A message built
     * from values belongs after the test fails ({@code if (bad) throw new InvalidTelemetryException(...)}); one built
     * here ran for every step report and cost a quarter of the decode time (double to string).
     */
    static void that(boolean condition, String field, String problem) {
        if (!condition) {
            throw new InvalidTelemetryException(field, problem);
        }
    }

    private static String abbreviate(String value) {
        String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        return Objects.requireNonNull(shown).replaceAll("\\p{Cntrl}", "?");
    }
}

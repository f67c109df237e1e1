package dev.coxswain.agent.intake;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The settings a controller may change in a running training process (docs/agent-protocol.md, "Knobs"), each
 * with its JSON name and its check. Values are held as {@link Integer}, {@link Double} or {@link String}.
 */
public enum Knob {
    /** This worker's local batch size, at least 1. */
    BATCH_SIZE("batch_size", v -> intAtLeast(v, 1)),
    /** The job's global batch size, at least 1. */
    GLOBAL_BATCH_SIZE("global_batch_size", v -> intAtLeast(v, 1)),
    /** The learning rate, finite and above 0. */
    LEARNING_RATE("learning_rate", Knob::positive),
    /** How the learning rate follows the batch size: none, linear, sqrt or adascale. */
    LR_SCALING("lr_scaling", v -> oneOf(v, List.of("none", "linear", "sqrt", "adascale"))),
    /** Steps a worker may run ahead of the slowest under stale-synchronous training, at least 0. */
    STALENESS("staleness", v -> intAtLeast(v, 0)),
    /** Bulk-synchronous, stale-synchronous or asynchronous: bsp, ssp or asp. */
    SYNC_MODE("sync_mode", v -> oneOf(v, List.of("bsp", "ssp", "asp"))),
    /** The node the worker should move to (an identifier). */
    NODE("node", Knob::identifier);

    private final String jsonName;
    private final Function<Object, Object> check;

    Knob(String jsonName, Function<Object, Object> check) {
        this.jsonName = jsonName;
        this.check = check;
    }

    public String jsonName() {
        return jsonName;
    }

    public static Optional<Knob> byJsonName(String name) {
        return Arrays.stream(values()).filter(k -> k.jsonName.equals(name)).findFirst();
    }

    /** The JSON names of all knobs, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Knob::jsonName).toList());
    }

    /**
     * Checks a value as decoded from JSON and returns it in its held form.
     *
     * @throws IllegalArgumentException saying what is wrong with the value (the caller names the field)
     */
    public Object check(Object jsonValue) {
        return check.apply(jsonValue);
    }

    private static Object intAtLeast(Object v, int min) {
        if (v instanceof BigInteger || !(v instanceof Number n)
                || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("expected an integer >= " + min + ", got "
                    + FieldReader.describe(v));
        }
        double d = n.doubleValue();
        if (d < min) {
            throw new IllegalArgumentException(n + " is below " + min);
        }
        if (d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(n + " is above " + Integer.MAX_VALUE);
        }
        return (int) d;
    }

    private static Object positive(Object v) {
        if (!(v instanceof Number n)) {
            throw new IllegalArgumentException("expected a number > 0, got " + FieldReader.describe(v));
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d <= 0) {
            throw new IllegalArgumentException(n + " is not a finite number above 0");
        }
        return d;
    }

    private static Object oneOf(Object v, List<String> allowed) {
        if (v instanceof String s && allowed.contains(s)) {
            return s;
        }
        throw new IllegalArgumentException((v instanceof String s ? "'" + FieldReader.shorten(s) + "'"
                : FieldReader.describe(v)) + " is not one of " + String.join(", ", allowed));
    }

    private static Object identifier(Object v) {
        if (v instanceof String s && FieldReader.isIdentifier(s)) {
            return s;
        }
        throw new IllegalArgumentException("expected a node id (letters, digits, ._:/@+=-), got "
                + FieldReader.describe(v));
    }
}

package dev.coxswain.core.knob;

import dev.coxswain.core.telemetry.Check;
import dev.coxswain.core.telemetry.StepReport;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The one vocabulary of the settings a controller may change in a running training job: each knob's wire name,
 * type, scope and limits. The agent's knob store, the Java SDK, the reference trainer, the controller and (through
 * a contract test against this table) the Python client all check values here, so a value one side accepts the
 * other accepts too.
 *
 * <p>{@link #check} takes a value as decoded from JSON or built in code and returns its canonical form:
 * {@link Integer} for {@link Type#INT}, {@link Double} for {@link Type#NUMBER}, {@link String} for the rest.
 */
public enum Knob {
    /** This worker's local batch size. */
    BATCH_SIZE("batch_size", Type.INT, Scope.WORKER, 1, StepReport.MAX_BATCH, List.of()),
    /** The job's global batch size: the sum of the local batches. */
    GLOBAL_BATCH_SIZE("global_batch_size", Type.INT, Scope.JOB, 1, StepReport.MAX_BATCH, List.of()),
    /** The base learning rate, which {@link #LR_SCALING} scales with the global batch; above 0. */
    LEARNING_RATE("learning_rate", Type.NUMBER, Scope.JOB, 0, 1e6, List.of()),
    /** How the learning rate follows the global batch size. */
    LR_SCALING("lr_scaling", Type.CHOICE, Scope.JOB, 0, 0, List.of("none", "linear", "sqrt", "adascale")),
    /** Clocks a worker may run ahead of the slowest under stale-synchronous training. */
    STALENESS("staleness", Type.INT, Scope.JOB, 0, 1_000_000, List.of()),
    /** Bulk-synchronous, stale-synchronous or asynchronous training. */
    SYNC_MODE("sync_mode", Type.CHOICE, Scope.JOB, 0, 0, List.of("bsp", "ssp", "asp")),
    /** The node the worker should move to. */
    NODE("node", Type.ID, Scope.WORKER, 0, 0, List.of());

    /** The kind of value a knob holds. */
    public enum Type {
        /** A whole number in [min, max]. */
        INT,
        /** A finite number in (min, max]. */
        NUMBER,
        /** One of a fixed list of lower-case words. */
        CHOICE,
        /** An identifier: an ASCII letter or digit, then letters, digits or {@code ._:/@+=-}, at most 128. */
        ID
    }

    /** Whether a knob is set for the whole job or for one worker. */
    public enum Scope {
        JOB, WORKER;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final String wireName;
    private final Type type;
    private final Scope scope;
    private final double min;
    private final double max;
    private final List<String> choices;

    Knob(String wireName, Type type, Scope scope, double min, double max, List<String> choices) {
        this.wireName = wireName;
        this.type = type;
        this.scope = scope;
        this.min = min;
        this.max = max;
        this.choices = choices;
    }

    /** The name on the wire (JSON field, CLI, topics). */
    public String wireName() {
        return wireName;
    }

    public Type type() {
        return type;
    }

    public Scope scope() {
        return scope;
    }

    /** The least value: inclusive for {@link Type#INT}, exclusive for {@link Type#NUMBER}; 0 for the others. */
    public double min() {
        return min;
    }

    /** The greatest value, inclusive; 0 for choices and identifiers. */
    public double max() {
        return max;
    }

    /** The allowed words of a {@link Type#CHOICE} knob, else empty. */
    public List<String> choices() {
        return choices;
    }

    public static Optional<Knob> byWireName(String name) {
        return Arrays.stream(values()).filter(k -> k.wireName.equals(name)).findFirst();
    }

    /** The wire names of all knobs, comma-separated, for error messages. */
    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(Knob::wireName).toList());
    }

    /**
     * Checks a value and returns its canonical form.
     *
     * @throws InvalidKnobValueException naming this knob and saying what is wrong with the value
     */
    public Object check(Object value) {
        return switch (type) {
            case INT -> checkInt(value);
            case NUMBER -> checkNumber(value);
            case CHOICE -> checkChoice(value);
            case ID -> checkId(value);
        };
    }

    /** {@link #check} for an integer knob, returning the int. */
    public int checkInt(int value) {
        return (Integer) check(value);
    }

    /** {@link #check} for a number knob, returning the double. */
    public double checkNumber(double value) {
        return (Double) check(value);
    }

    /** The limits in words, e.g. {@code an integer in [1, 16777216]}. */
    public String rule() {
        return switch (type) {
            case INT -> "an integer in [" + (long) min + ", " + (long) max + "]";
            case NUMBER -> "a finite number in (" + format(min) + ", " + format(max) + "]";
            case CHOICE -> "one of " + String.join(", ", choices);
            case ID -> "an identifier (letters, digits, ._:/@+=-, at most 128)";
        };
    }

    private Object checkInt(Object v) {
        if (!(v instanceof Number n) || v instanceof BigInteger || v instanceof BigDecimal
                || !Double.isFinite(n.doubleValue()) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw invalid(describe(v) + " is not an integer");
        }
        double d = n.doubleValue();
        if (d < min || d > max) {
            throw invalid(format(d) + " is outside [" + (long) min + ", " + (long) max + "]");
        }
        return (int) d;
    }

    private Object checkNumber(Object v) {
        if (!(v instanceof Number n) || v instanceof BigInteger || v instanceof BigDecimal) {
            throw invalid(describe(v) + " is not a number");
        }
        double d = n.doubleValue();
        if (!Double.isFinite(d) || d <= min || d > max) {
            throw invalid(format(d) + " is not " + rule());
        }
        return d;
    }

    private Object checkChoice(Object v) {
        if (v instanceof String s && choices.contains(s)) {
            return s;
        }
        throw invalid(describe(v) + " is not " + rule());
    }

    private Object checkId(Object v) {
        if (v instanceof String s && Check.isIdentifier(s)) {
            return s;
        }
        throw invalid(describe(v) + " is not " + rule());
    }

    private InvalidKnobValueException invalid(String problem) {
        return new InvalidKnobValueException(wireName, problem);
    }

    private static String format(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String s) {
            return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        }
        return v instanceof Number || v instanceof Boolean ? v.toString() : v.getClass().getSimpleName();
    }
}

package dev.coxswain.graphmodels.window;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * An immutable set of optional {@link Signal} values for one worker sample. Absent signals are simply absent (a
 * source that does not measure a signal must not report zero for it).
 */
public final class Signals {
    private static final Signals NONE = new Signals(emptyValues());

    private final double[] values;

    private Signals(double[] values) {
        this.values = values;
    }

    /** No signal present. */
    public static Signals none() {
        return NONE;
    }

    private static double[] emptyValues() {
        double[] v = new double[Signal.values().length];
        Arrays.fill(v, Double.NaN);
        return v;
    }

    /**
     * A copy with {@code signal} set to {@code value}.
     *
     * @throws IllegalArgumentException when the value is outside the signal's range
     */
    public Signals with(Signal signal, double value) {
        if (!signal.accepts(value)) {
            throw new IllegalArgumentException(signal.column() + " must be " + signal.range() + ", got " + value);
        }
        double[] copy = values.clone();
        copy[signal.ordinal()] = value;
        return new Signals(copy);
    }

    /** A copy without {@code signals}. */
    public Signals without(Set<Signal> signals) {
        double[] copy = values.clone();
        signals.forEach(s -> copy[s.ordinal()] = Double.NaN);
        return new Signals(copy);
    }

    /** The value of {@code signal}, if present. */
    public OptionalDouble get(Signal signal) {
        double v = values[signal.ordinal()];
        return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    /** The value of {@code signal}, or NaN when absent: for arithmetic that treats absence as missing data. */
    public double valueOrNaN(Signal signal) {
        return values[signal.ordinal()];
    }

    /** Which signals are present. */
    public Set<Signal> present() {
        Set<Signal> present = EnumSet.noneOf(Signal.class);
        for (Signal s : Signal.values()) {
            if (!Double.isNaN(values[s.ordinal()])) {
                present.add(s);
            }
        }
        return present;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Signals other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Signals{");
        for (Signal s : present()) {
            b.append(b.length() > 8 ? ", " : "").append(s.column()).append('=').append(values[s.ordinal()]);
        }
        return b.append('}').toString();
    }
}

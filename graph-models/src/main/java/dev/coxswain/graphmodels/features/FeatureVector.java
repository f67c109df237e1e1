package dev.coxswain.graphmodels.features;

import java.util.Arrays;

/**
 * An immutable vector of {@link Feature} values; NaN marks a missing feature.
 */
public final class FeatureVector {

    /** Version of the feature set; saved models record it and refuse a different one. */
    public static final int SCHEMA_VERSION = 1;

    private final double[] values;

    private FeatureVector(double[] values) {
        this.values = values;
    }

    /** A vector from values indexed by {@link Feature#ordinal()}; the array is copied. */
    public static FeatureVector of(double[] values) {
        if (values.length != Feature.values().length) {
            throw new IllegalArgumentException("expected " + Feature.values().length + " values, got "
                    + values.length);
        }
        for (double v : values) {
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("feature values must be finite or NaN: " + Arrays.toString(values));
            }
        }
        return new FeatureVector(values.clone());
    }

    /** All features missing. */
    public static FeatureVector empty() {
        double[] v = new double[Feature.values().length];
        Arrays.fill(v, Double.NaN);
        return new FeatureVector(v);
    }

    /** A copy with one feature set. */
    public FeatureVector with(Feature feature, double value) {
        double[] copy = values.clone();
        copy[feature.ordinal()] = value;
        return of(copy);
    }

    /** The value, NaN when missing. */
    public double get(Feature feature) {
        return values[feature.ordinal()];
    }

    /** Whether the feature is present. */
    public boolean has(Feature feature) {
        return !Double.isNaN(values[feature.ordinal()]);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureVector other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (Feature f : Feature.values()) {
            if (has(f)) {
                b.append(b.length() > 1 ? ", " : "").append(f.key()).append('=').append(get(f));
            }
        }
        return b.append('}').toString();
    }
}

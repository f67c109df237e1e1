package dev.coxswain.graphmodels.features;

import dev.coxswain.core.stats.Median;

import java.util.Arrays;

/**
 * Robust statistics of small samples, used where a single outlier (a one-step spike) must not move the result:
 * the median and the scaled median absolute deviation. NaN values are ignored; an all-NaN or empty input gives NaN.
 * Each call sorts a copy: O(n log n), meant for the detector's windows of a few to a few hundred values.
 */
public final class RobustStats {

    /** Scales the MAD to the standard deviation for normally distributed data. */
    public static final double MAD_TO_SIGMA = 1.4826;

    private RobustStats() {
    }

    /** The median of the first {@code n} values, ignoring NaN ({@link Median}). */
    public static double median(double[] values, int n) {
        return Median.of(values, n);
    }

    /** The median of all values, ignoring NaN. */
    public static double median(double[] values) {
        return Median.of(values);
    }

    /** The median of the {@code k} smallest values (k at least 1), ignoring NaN. */
    public static double medianOfSmallest(double[] values, int k) {
        double[] sorted = Arrays.stream(values).filter(v -> !Double.isNaN(v)).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int m = Math.max(1, Math.min(k, sorted.length));
        return (m % 2 == 1) ? sorted[m / 2] : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    }

    /** The MAD of the first {@code n} values around {@code center}, scaled by {@link #MAD_TO_SIGMA}. */
    public static double sigma(double[] values, int n, double center) {
        double[] dev = new double[n];
        for (int i = 0; i < n; i++) {
            dev[i] = Math.abs(values[i] - center);
        }
        return MAD_TO_SIGMA * median(dev, n);
    }
}

package dev.coxswain.core.stats;

import java.util.Arrays;
import java.util.Collection;

/**
 * The median, ignoring NaN values: NaN when none is left; the mean of the two middle values for an even count.
 * Sorts a copy, O(n log n). The one median of the project (the detector's robust statistics use it too).
 */
public final class Median {
    private Median() {
    }

    public static double of(double... values) {
        return of(values, values.length);
    }

    /** The median of the first {@code n} values. */
    public static double of(double[] values, int n) {
        double[] copy = new double[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(values[i])) {
                copy[m++] = values[i];
            }
        }
        if (m == 0) {
            return Double.NaN;
        }
        Arrays.sort(copy, 0, m);
        return m % 2 == 1 ? copy[m / 2] : (copy[m / 2 - 1] + copy[m / 2]) / 2;
    }

    public static double of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}

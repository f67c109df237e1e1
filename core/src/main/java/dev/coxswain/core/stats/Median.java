package dev.coxswain.core.stats;

import java.util.Arrays;
import java.util.Collection;

/** The median, NaN for no values; the mean of the two middle values for an even count. O(n log n). */
public final class Median {
    private Median() {
    }

    public static double of(double... values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int mid = v.length / 2;
        return v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
    }

    public static double of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}

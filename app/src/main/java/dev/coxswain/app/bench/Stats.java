package dev.coxswain.app.bench;

import java.util.Arrays;
import java.util.List;

/** Medians and percentiles of benchmark measurements. */
public final class Stats {
    private Stats() {
    }

    public static double median(List<Double> values) {
        return percentile(values.stream().mapToDouble(Double::doubleValue).toArray(), 50);
    }

    /** Nearest-rank percentile, p in (0, 100]. */
    public static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

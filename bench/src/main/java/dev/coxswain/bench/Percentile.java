package dev.coxswain.bench;

import java.util.Arrays;

/** Latency percentiles of benchmark measurements (medians of runs are {@link dev.coxswain.core.stats.Median}). */
final class Percentile {
    private Percentile() {
    }

    /** Nearest-rank percentile, p in (0, 100]: a value that was measured, as latency percentiles are reported. */
    static double nearestRank(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}

package dev.coxswain.whatif.calibrate;

/**
 * A job's compute time per step on one GPU as a function of its local batch size: piecewise linear in log-log
 * space through one knot per measured batch size, extended beyond the ends with the end segments' slopes (clamped
 * to [0, 1], so time never falls with batch and never grows faster than linearly). A measured table rather than
 * {@code alpha + beta * b}: small batches leave a GPU under-used and a straight line misses them by 10% or more.
 */
final class ComputeCurve {
    private final double[] logBatch;

    ComputeCurve(int[] sortedDistinctBatches) {
        this.logBatch = new double[sortedDistinctBatches.length];
        for (int i = 0; i < logBatch.length; i++) {
            logBatch[i] = Math.log(sortedDistinctBatches[i]);
        }
    }

    int knots() {
        return logBatch.length;
    }

    /** Compute seconds at batch {@code b} for knot values {@code logTime[offset..offset+knots)}. */
    double seconds(double[] theta, int offset, int b) {
        double x = Math.log(b);
        int k = logBatch.length;
        if (k == 1) {
            return Math.exp(theta[offset] + (x - logBatch[0]));
        }
        if (x <= logBatch[0]) {
            return Math.exp(theta[offset] + (x - logBatch[0]) * slope(theta, offset, 0));
        }
        if (x >= logBatch[k - 1]) {
            return Math.exp(theta[offset + k - 1] + (x - logBatch[k - 1]) * slope(theta, offset, k - 2));
        }
        int i = 0;
        while (logBatch[i + 1] < x) {
            i++;
        }
        double t = (x - logBatch[i]) / (logBatch[i + 1] - logBatch[i]);
        return Math.exp(theta[offset + i] * (1 - t) + theta[offset + i + 1] * t);
    }

    private double slope(double[] theta, int offset, int i) {
        double s = (theta[offset + i + 1] - theta[offset + i]) / (logBatch[i + 1] - logBatch[i]);
        return Math.max(0, Math.min(1, s));
    }

    /** Second differences of the knot values, for a smoothness penalty. */
    double[] curvature(double[] theta, int offset) {
        int k = logBatch.length;
        if (k < 3) {
            return new double[0];
        }
        double[] d = new double[k - 2];
        for (int i = 0; i < k - 2; i++) {
            double s1 = (theta[offset + i + 1] - theta[offset + i]) / (logBatch[i + 1] - logBatch[i]);
            double s2 = (theta[offset + i + 2] - theta[offset + i + 1]) / (logBatch[i + 2] - logBatch[i + 1]);
            d[i] = s2 - s1;
        }
        return d;
    }
}

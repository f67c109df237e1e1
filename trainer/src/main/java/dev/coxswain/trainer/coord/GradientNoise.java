package dev.coxswain.trainer.coord;

/**
 * Running estimates, from workers' reported gradient statistics, of the true gradient's squared norm {@code |G|^2}
 * and the per-sample gradient variance {@code tr(Sigma)}; their ratio is the gradient noise scale (McCandlish et
 * al. 2018). A batch of {@code b} has {@code E|g_b|^2 = |G|^2 + tr(Sigma) / b}, so {@code |G|^2} is estimated as
 * {@code |g_b|^2 - tr(Sigma) / b}. Exponential moving averages smooth both. Not thread-safe.
 */
public final class GradientNoise {
    private final double smoothing;
    private double sqNorm = Double.NaN;
    private double variance = Double.NaN;

    /** @param smoothing the weight of the newest observation, in (0, 1] */
    public GradientNoise(double smoothing) {
        if (!(smoothing > 0 && smoothing <= 1)) {
            throw new IllegalArgumentException("GradientNoise: smoothing " + smoothing);
        }
        this.smoothing = smoothing;
    }

    public void observe(double batchSqNorm, double sampleVariance, int batch) {
        if (!(batchSqNorm >= 0) || !(sampleVariance >= 0) || batch < 2 || !Double.isFinite(batchSqNorm + sampleVariance)) {
            return;
        }
        double g2 = Math.max(0, batchSqNorm - sampleVariance / batch);
        sqNorm = Double.isNaN(sqNorm) ? g2 : (1 - smoothing) * sqNorm + smoothing * g2;
        variance = Double.isNaN(variance) ? sampleVariance : (1 - smoothing) * variance + smoothing * sampleVariance;
    }

    public boolean known() {
        return !Double.isNaN(sqNorm);
    }

    public double sqNorm() {
        return sqNorm;
    }

    public double variance() {
        return variance;
    }

    /** {@code tr(Sigma) / |G|^2}, or NaN before any observation. */
    public double noiseScale() {
        return known() && sqNorm > 0 ? variance / sqNorm : Double.NaN;
    }
}

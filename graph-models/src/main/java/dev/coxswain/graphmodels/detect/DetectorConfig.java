package dev.coxswain.graphmodels.detect;

/**
 * Settings of the straggler detector. The defaults are what the benchmark in docs/benchmarks/detection.md measured;
 * {@link #noiseZ} is the value calibrated on the coefficient-of-variation data of 100 production jobs.
 *
 * @param windowSamples      samples in each worker's rolling window; its median is the worker's level, so a worker
 *                           is slow only when more than half of its last {@code windowSamples} samples are slow:
 *                           shorter bursts (a single-sample spike) cannot make it slow
 * @param fastGroupFraction  the fraction of the job's workers, fastest first, whose median level is the ideal level;
 *                           with 0.25 the ideal stays right when up to three quarters of the job are slow
 * @param slowdownThreshold  a worker is a straggler when its level is at least this multiple of the ideal level
 * @param noiseZ             in noisy jobs the threshold rises to {@code 1 + noiseZ * sigma / sqrt(windowSamples)},
 *                           sigma being the job's robust per-sample noise, so noise alone rarely crosses it
 * @param minSamples         samples a worker needs before it can be flagged
 * @param staleTicks         (online) a worker missing from the job's last {@code staleTicks} steps no longer holds
 *                           back the steps the detector processes
 * @param decisionDelay      samples the verdict about a step waits for: with {@code d > 0} the window that ends at
 *                           step t decides about the worker's sample {@code d} samples before t (with
 *                           {@code windowSamples = 2d + 1}, a window centred on the step), so a verdict comes
 *                           {@code d} samples later and sees that far into the step's future
 */
public record DetectorConfig(int windowSamples, double fastGroupFraction, double slowdownThreshold, double noiseZ,
                             int minSamples, int staleTicks, int decisionDelay) {

    /** The value {@code coxswain models train} calibrated on the CoV replays (see {@code NoiseCalibration}). */
    public static final double DEFAULT_NOISE_Z = 9.0;
    private static final int IMMEDIATE_WINDOW = 5;

    public DetectorConfig {
        require(windowSamples >= 1 && windowSamples <= 1000, "windowSamples", windowSamples, "in [1, 1000]");
        require(fastGroupFraction > 0 && fastGroupFraction <= 1, "fastGroupFraction", fastGroupFraction,
                "in (0, 1]");
        require(slowdownThreshold > 1 && slowdownThreshold < 100, "slowdownThreshold", slowdownThreshold,
                "in (1, 100)");
        require(noiseZ >= 0 && noiseZ <= 100, "noiseZ", noiseZ, "in [0, 100]");
        require(minSamples >= 1 && minSamples <= windowSamples, "minSamples", minSamples,
                "in [1, windowSamples]");
        require(staleTicks >= 1, "staleTicks", staleTicks, "at least 1");
        require(decisionDelay >= 0 && decisionDelay < windowSamples, "decisionDelay", decisionDelay,
                "in [0, windowSamples)");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("DetectorConfig." + field + " must be " + rule + ", got " + value);
        }
    }

    /**
     * The measured defaults: each step is decided 3 samples late, on a window of 7 samples centred on it. The issue's
     * latency budget is 3 samples; spent this way it buys the PAI precision and recall (docs/benchmarks/detection.md).
     */
    public static DetectorConfig defaults() {
        return immediate().withDecisionDelay(3);
    }

    /** The detector that decides each step when it arrives, on a trailing window of 5 samples. */
    public static DetectorConfig immediate() {
        return new DetectorConfig(IMMEDIATE_WINDOW, 0.25, 1.10, DEFAULT_NOISE_Z, 3, 5, 0);
    }

    /** A copy with another noise multiplier. */
    public DetectorConfig withNoiseZ(double z) {
        return new DetectorConfig(windowSamples, fastGroupFraction, slowdownThreshold, z, minSamples, staleTicks,
                decisionDelay);
    }

    /**
     * A copy that decides {@code delay} samples late, on a window of {@code 2 delay + 1} samples centred on the step
     * decided; with {@code delay} 0, at once on a trailing window of 5 samples.
     */
    public DetectorConfig withDecisionDelay(int delay) {
        int window = delay == 0 ? IMMEDIATE_WINDOW : 2 * delay + 1;
        return new DetectorConfig(window, fastGroupFraction, slowdownThreshold, noiseZ, Math.min(minSamples, window),
                staleTicks, delay);
    }
}

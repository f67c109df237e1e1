package dev.coxswain.trainer.coord;

import dev.coxswain.sdk.LrScaling;

/**
 * The learning rate for a global batch. {@code base} is the rate at the job's base global batch; when the global batch
 * becomes {@code B}, with scale {@code S = B / baseBatch}: {@code none} keeps it, {@code linear} multiplies by S,
 * {@code sqrt} by the square root of S, and {@code adascale} by the AdaScale gain
 * {@code r = (sigma^2 / B0 + |G|^2) / (sigma^2 / B + |G|^2)} (Johnson et al. 2020), which lies in [1, S] for
 * {@code S >= 1} and falls back to 1 until gradient statistics are known.
 */
public record LearningRate(double base, int baseBatch, LrScaling rule) {

    public LearningRate {
        if (!(base > 0) || !Double.isFinite(base) || baseBatch < 1 || rule == null) {
            throw new IllegalArgumentException("LearningRate: base " + base + ", base batch " + baseBatch
                    + ", rule " + rule);
        }
    }

    public double at(int globalBatch, GradientNoise noise) {
        double scale = globalBatch / (double) baseBatch;
        return switch (rule) {
            case NONE -> base;
            case LINEAR -> base * scale;
            case SQRT -> base * Math.sqrt(scale);
            case ADASCALE -> base * adaScaleGain(globalBatch, noise);
        };
    }

    private double adaScaleGain(int globalBatch, GradientNoise noise) {
        if (!noise.known()) {
            return 1;
        }
        double g2 = noise.sqNorm();
        double s2 = noise.variance();
        double gain = (s2 / baseBatch + g2) / (s2 / globalBatch + g2);
        return Double.isFinite(gain) && gain > 0 ? gain : 1;
    }

    public LearningRate withBase(double v) {
        return new LearningRate(v, baseBatch, rule);
    }

    public LearningRate withRule(LrScaling v) {
        return new LearningRate(base, baseBatch, v);
    }
}

package dev.coxswain.trainer.model;

import java.util.SplittableRandom;

/**
 * A one-hidden-layer perceptron: {@code inputs -> hidden (ReLU) -> classes (softmax)}. Its parameters travel as one
 * flat vector laid out as W1 ({@code inputs x hidden}, row per input), b1, W2 ({@code hidden x classes}, row per
 * hidden unit), b2; the parameter server shards that vector by contiguous ranges.
 */
public record MlpShape(int inputs, int hidden, int classes) {

    public MlpShape {
        if (inputs < 1 || hidden < 1 || classes < 2 || (long) inputs * hidden > 100_000_000) {
            throw new IllegalArgumentException("MlpShape: " + inputs + "-" + hidden + "-" + classes);
        }
    }

    public int parameterCount() {
        return inputs * hidden + hidden + hidden * classes + classes;
    }

    public int w1Offset() {
        return 0;
    }

    public int b1Offset() {
        return inputs * hidden;
    }

    public int w2Offset() {
        return b1Offset() + hidden;
    }

    public int b2Offset() {
        return w2Offset() + hidden * classes;
    }

    /** He-normal weights and zero biases, from {@code seed}: every process that starts a job gets the same vector. */
    public float[] initialParameters(long seed) {
        float[] p = new float[parameterCount()];
        SplittableRandom random = new SplittableRandom(seed);
        double s1 = Math.sqrt(2.0 / inputs);
        for (int i = w1Offset(); i < b1Offset(); i++) {
            p[i] = (float) (gaussian(random) * s1);
        }
        double s2 = Math.sqrt(2.0 / hidden);
        for (int i = w2Offset(); i < b2Offset(); i++) {
            p[i] = (float) (gaussian(random) * s2);
        }
        return p;
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String toString() {
        return inputs + "-" + hidden + "-" + classes;
    }
}

package dev.coxswain.trainer.model;

import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.SampleOrder;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MlpGradientTest {
    private static final MlpShape SHAPE = new MlpShape(12, 5, 3);

    private static Dataset randomData(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] pixels = new byte[n * SHAPE.inputs()];
        byte[] labels = new byte[n];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (byte) (r.nextInt(3) == 0 ? 0 : r.nextInt(256));
        }
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) r.nextInt(SHAPE.classes());
        }
        return new Dataset(pixels, labels, SHAPE.inputs(), SHAPE.classes());
    }

    private static double meanLoss(float[] params, Dataset data, SampleOrder order, int batch) {
        float[] g = new float[params.length];
        return new MlpGradient(SHAPE).compute(params, data, order, 0, batch, g).loss();
    }

    @Test
    void gradientMatchesFiniteDifferencesOfTheLoss() {
        Dataset data = randomData(16, 3);
        SampleOrder order = new SampleOrder(data.size(), 9);
        float[] params = SHAPE.initialParameters(5);
        float[] grad = new float[params.length];
        new MlpGradient(SHAPE).compute(params, data, order, 0, 16, grad);
        double eps = 1e-2;
        int checked = 0;
        for (int i = 0; i < params.length; i += 7) {
            float saved = params[i];
            params[i] = (float) (saved + eps);
            double up = meanLoss(params, data, order, 16);
            params[i] = (float) (saved - eps);
            double down = meanLoss(params, data, order, 16);
            params[i] = saved;
            assertThat(grad[i]).as("parameter %d", i).isCloseTo((float) ((up - down) / (2 * eps)), within(2e-3f));
            checked++;
        }
        assertThat(checked).isGreaterThan(10);
    }

    @Test
    void varianceIsTheTraceOfThePerSampleGradientCovariance() {
        Dataset data = randomData(8, 4);
        SampleOrder order = new SampleOrder(data.size(), 1);
        float[] params = SHAPE.initialParameters(2);
        MlpGradient gradient = new MlpGradient(SHAPE);
        float[] mean = new float[params.length];
        BatchStats stats = gradient.compute(params, data, order, 0, 8, mean);
        float[][] perSample = new float[8][params.length];
        for (int s = 0; s < 8; s++) {
            gradient.compute(params, data, order, s, 1, perSample[s]);
        }
        double trace = 0;
        double sqNorm = 0;
        for (int i = 0; i < params.length; i++) {
            double m = 0;
            for (float[] g : perSample) {
                m += g[i] / 8.0;
            }
            for (float[] g : perSample) {
                trace += (g[i] - m) * (g[i] - m) / 7.0;
            }
            sqNorm += m * m;
        }
        assertThat(stats.gradVariance()).isCloseTo(trace, within(trace * 1e-3));
        assertThat(stats.gradSqNorm()).isCloseTo(sqNorm, within(sqNorm * 1e-3));
    }

    @Test
    void plainSgdOnALearnableTaskDrivesAccuracyUp() {
        // Class is decided by which third of the image is brightest: learnable by the network.
        SplittableRandom r = new SplittableRandom(7);
        int n = 600;
        byte[] pixels = new byte[n * 12];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(3);
            labels[i] = (byte) c;
            for (int f = 0; f < 12; f++) {
                pixels[i * 12 + f] = (byte) (f / 4 == c ? 150 + r.nextInt(100) : r.nextInt(80));
            }
        }
        Dataset data = new Dataset(pixels, labels, 12, 3);
        float[] params = SHAPE.initialParameters(1);
        MlpAccuracy accuracy = new MlpAccuracy(SHAPE);
        double before = accuracy.evaluate(params, data).accuracy();
        MlpGradient gradient = new MlpGradient(SHAPE);
        SampleOrder order = new SampleOrder(n, 3);
        float[] g = new float[params.length];
        for (int step = 0; step < 200; step++) {
            gradient.compute(params, data, order, step * 20L, 20, g);
            for (int i = 0; i < params.length; i++) {
                params[i] -= 0.5f * g[i];
            }
        }
        assertThat(before).isLessThan(0.6);
        assertThat(accuracy.evaluate(params, data).accuracy()).isGreaterThan(0.95);
    }
}

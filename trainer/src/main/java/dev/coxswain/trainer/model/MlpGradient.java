package dev.coxswain.trainer.model;

import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.SampleOrder;

import java.util.Arrays;

/**
 * Computes the mean cross-entropy gradient of a mini-batch by backpropagation, with the batch's gradient norm and
 * per-sample gradient variance. The per-sample squared norms come for free: each layer's per-sample weight gradient
 * is an outer product, whose squared norm is the product of its factors' squared norms. Cost: about
 * {@code 2 * nonZeroPixels * hidden} multiply-adds per sample. Not thread-safe: it owns scratch buffers.
 */
public final class MlpGradient {
    private final Mlp mlp;
    private final float[][] g1;
    private final float[] hidden;
    private final float[] dHidden;
    private final float[] probs;
    private final int[] index;
    private final float[] value;

    public MlpGradient(MlpShape shape) {
        this.mlp = new Mlp(shape);
        this.g1 = new float[shape.inputs()][shape.hidden()];
        this.hidden = new float[shape.hidden()];
        this.dHidden = new float[shape.hidden()];
        this.probs = new float[shape.classes()];
        this.index = new int[shape.inputs()];
        this.value = new float[shape.inputs()];
    }

    public MlpShape shape() {
        return mlp.shape;
    }

    /**
     * The mean gradient over stream positions {@code [first, first + batch)} at {@code params}, written to
     * {@code gradient} (length {@link MlpShape#parameterCount()}).
     */
    public BatchStats compute(float[] params, Dataset data, SampleOrder order, long first, int batch,
                              float[] gradient) {
        if (batch < 1 || gradient.length != mlp.shape.parameterCount()) {
            throw new IllegalArgumentException("MlpGradient: batch " + batch + ", gradient length "
                    + gradient.length);
        }
        mlp.load(params);
        Arrays.fill(gradient, 0);
        for (float[] row : g1) {
            Arrays.fill(row, 0);
        }
        double loss = 0;
        double sumSampleSqNorms = 0;
        for (int s = 0; s < batch; s++) {
            int image = order.imageAt(first + s);
            int nz = data.nonZero(image, index, value);
            mlp.forward(index, value, nz, hidden, probs);
            loss -= Math.log(Math.max(probs[data.label(image)], 1e-30f));
            sumSampleSqNorms += backward(data.label(image), nz, gradient);
        }
        int h = mlp.shape.hidden();
        for (int i = 0; i < mlp.shape.inputs(); i++) {
            System.arraycopy(g1[i], 0, gradient, i * h, h);
        }
        float inv = 1f / batch;
        double meanSqNorm = 0;
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] *= inv;
            meanSqNorm += (double) gradient[i] * gradient[i];
        }
        double variance = batch > 1 ? Math.max(0, (sumSampleSqNorms - batch * meanSqNorm) / (batch - 1)) : 0;
        return new BatchStats(loss / batch, meanSqNorm, variance, batch);
    }

    /** Accumulates one sample's gradient; returns its squared norm. */
    private double backward(int label, int nz, float[] gradient) {
        MlpShape shape = mlp.shape;
        int h = shape.hidden();
        int c = shape.classes();
        probs[label] -= 1;
        double outSq = 0;
        for (int k = 0; k < c; k++) {
            gradient[shape.b2Offset() + k] += probs[k];
            outSq += probs[k] * probs[k];
        }
        double hiddenSq = 0;
        double dHiddenSq = 0;
        int w2 = shape.w2Offset();
        for (int j = 0; j < h; j++) {
            float a = hidden[j];
            float d = 0;
            int off = j * c;
            for (int k = 0; k < c; k++) {
                d += probs[k] * mlp.w2[off + k];
                gradient[w2 + off + k] += a * probs[k];
            }
            d = a > 0 ? d : 0;
            dHidden[j] = d;
            gradient[shape.b1Offset() + j] += d;
            hiddenSq += a * a;
            dHiddenSq += d * d;
        }
        double xSq = 0;
        for (int q = 0; q < nz; q++) {
            float x = value[q];
            float[] row = g1[index[q]];
            for (int j = 0; j < h; j++) {
                row[j] += x * dHidden[j];
            }
            xSq += x * x;
        }
        return xSq * dHiddenSq + dHiddenSq + hiddenSq * outSq + outSq;
    }
}

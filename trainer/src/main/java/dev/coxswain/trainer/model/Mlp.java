package dev.coxswain.trainer.model;

/**
 * The perceptron's weights in a layout the JIT vectorises: W1 as one array per input row, so that the inner loops
 * are plain {@code y[j] += a * x[j]} over {@code hidden} floats. {@link #load} copies a flat parameter vector in.
 * Not thread-safe; each worker and evaluator has its own.
 */
final class Mlp {
    final MlpShape shape;
    final float[][] w1;
    final float[] b1;
    final float[] w2;
    final float[] b2;

    Mlp(MlpShape shape) {
        this.shape = shape;
        this.w1 = new float[shape.inputs()][shape.hidden()];
        this.b1 = new float[shape.hidden()];
        this.w2 = new float[shape.hidden() * shape.classes()];
        this.b2 = new float[shape.classes()];
    }

    void load(float[] params) {
        if (params.length != shape.parameterCount()) {
            throw new IllegalArgumentException("Mlp.load: " + params.length + " parameters for a " + shape
                    + " network of " + shape.parameterCount());
        }
        int h = shape.hidden();
        for (int i = 0; i < shape.inputs(); i++) {
            System.arraycopy(params, i * h, w1[i], 0, h);
        }
        System.arraycopy(params, shape.b1Offset(), b1, 0, h);
        System.arraycopy(params, shape.w2Offset(), w2, 0, w2.length);
        System.arraycopy(params, shape.b2Offset(), b2, 0, b2.length);
    }

    /**
     * Forward pass of one image given as its non-zero pixels; leaves the ReLU activations in {@code hidden} and the
     * softmax probabilities in {@code probs}, and returns the arg-max class.
     */
    int forward(int[] index, float[] value, int nonZero, float[] hidden, float[] probs) {
        int h = shape.hidden();
        System.arraycopy(b1, 0, hidden, 0, h);
        for (int q = 0; q < nonZero; q++) {
            float x = value[q];
            float[] row = w1[index[q]];
            for (int j = 0; j < h; j++) {
                hidden[j] += x * row[j];
            }
        }
        for (int j = 0; j < h; j++) {
            if (hidden[j] < 0) {
                hidden[j] = 0;
            }
        }
        return softmax(hidden, probs);
    }

    private int softmax(float[] hidden, float[] probs) {
        int c = shape.classes();
        System.arraycopy(b2, 0, probs, 0, c);
        for (int j = 0; j < shape.hidden(); j++) {
            float a = hidden[j];
            if (a == 0) {
                continue;
            }
            int off = j * c;
            for (int k = 0; k < c; k++) {
                probs[k] += a * w2[off + k];
            }
        }
        int best = 0;
        for (int k = 1; k < c; k++) {
            if (probs[k] > probs[best]) {
                best = k;
            }
        }
        float max = probs[best];
        float sum = 0;
        for (int k = 0; k < c; k++) {
            probs[k] = (float) Math.exp(probs[k] - max);
            sum += probs[k];
        }
        for (int k = 0; k < c; k++) {
            probs[k] /= sum;
        }
        return best;
    }
}

package dev.coxswain.trainer.model;

import dev.coxswain.trainer.data.Dataset;

/**
 * Classification accuracy and mean loss of a parameter vector on a data set (the test set, for time-to-accuracy).
 * About {@code nonZeroPixels * hidden} multiply-adds per image. Not thread-safe.
 */
public final class MlpAccuracy {
    private final Mlp mlp;
    private final float[] hidden;
    private final float[] probs;
    private final int[] index;
    private final float[] value;

    /** Accuracy in [0, 1] and mean cross-entropy. */
    public record Result(double accuracy, double loss) {
    }

    public MlpAccuracy(MlpShape shape) {
        this.mlp = new Mlp(shape);
        this.hidden = new float[shape.hidden()];
        this.probs = new float[shape.classes()];
        this.index = new int[shape.inputs()];
        this.value = new float[shape.inputs()];
    }

    public Result evaluate(float[] params, Dataset data) {
        mlp.load(params);
        int correct = 0;
        double loss = 0;
        for (int i = 0; i < data.size(); i++) {
            int nz = data.nonZero(i, index, value);
            int predicted = mlp.forward(index, value, nz, hidden, probs);
            if (predicted == data.label(i)) {
                correct++;
            }
            loss -= Math.log(Math.max(probs[data.label(i)], 1e-30f));
        }
        return new Result(correct / (double) data.size(), loss / data.size());
    }
}

package dev.coxswain.trainer.eval;

import java.time.Duration;

/**
 * Test-set accuracy of the parameters as they were at one moment of training.
 *
 * @param globalStep the job's completed clocks divided by the number of workers when the snapshot was taken
 * @param elapsed    wall-clock time from the start of training to the snapshot
 * @param samples    training samples handed out by then
 * @param images     how many test images the accuracy was measured on
 */
public record EvalPoint(long globalStep, Duration elapsed, long samples, double accuracy, double loss, int images) {
    public EvalPoint {
        if (globalStep < 0 || elapsed == null || elapsed.isNegative() || !(accuracy >= 0 && accuracy <= 1)) {
            throw new IllegalArgumentException("EvalPoint: step " + globalStep + ", elapsed " + elapsed
                    + ", accuracy " + accuracy);
        }
    }
}

package dev.coxswain.core.control;

/**
 * What an action is expected to do to its job: the step time (milliseconds of one synchronous step, or the median
 * worker step of an asynchronous job) measured before it and predicted after it, and how much training progress one
 * step makes after it relative to before. An action that keeps the global batch keeps the progress per step (1); one
 * that changes it changes both the step time and the progress: a step of batch {@code M} at gradient noise scale
 * {@code phi} advances training in proportion to {@code M / (phi + M)} (Pollux's statistical efficiency times the
 * batch). The time per unit of progress is the step time over the progress ratio; that is what verification judges.
 *
 * @param workRatio progress per step after the action over progress per step before it, above 0
 */
public record ExpectedEffect(double stepTimeMsBefore, double stepTimeMsAfter, double workRatio) {

    public ExpectedEffect {
        if (!(stepTimeMsBefore > 0) || !Double.isFinite(stepTimeMsBefore)) {
            throw new InvalidActionException("expected.stepTimeMsBefore", stepTimeMsBefore + " is not above 0");
        }
        if (!(stepTimeMsAfter > 0) || !Double.isFinite(stepTimeMsAfter)) {
            throw new InvalidActionException("expected.stepTimeMsAfter", stepTimeMsAfter + " is not above 0");
        }
        if (!(workRatio > 0) || !Double.isFinite(workRatio)) {
            throw new InvalidActionException("expected.workRatio", workRatio + " is not above 0");
        }
    }

    /** An effect on the step time alone: the progress per step stays as it is. */
    public ExpectedEffect(double stepTimeMsBefore, double stepTimeMsAfter) {
        this(stepTimeMsBefore, stepTimeMsAfter, 1);
    }

    /** The predicted speed-up of training: time per unit of progress before over after, minus 1 (0.25: 25%). */
    public double gain() {
        return stepTimeMsBefore * workRatio / stepTimeMsAfter - 1;
    }
}

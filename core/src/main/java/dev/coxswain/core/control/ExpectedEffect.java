package dev.coxswain.core.control;

/**
 * What an action is expected to do to its job's step time (milliseconds of one synchronous step, or of the mean
 * worker step for asynchronous jobs): the time measured before it and the time predicted after it.
 */
public record ExpectedEffect(double stepTimeMsBefore, double stepTimeMsAfter) {

    public ExpectedEffect {
        if (!(stepTimeMsBefore > 0) || !Double.isFinite(stepTimeMsBefore)) {
            throw new InvalidActionException("expected.stepTimeMsBefore", stepTimeMsBefore + " is not above 0");
        }
        if (!(stepTimeMsAfter > 0) || !Double.isFinite(stepTimeMsAfter)) {
            throw new InvalidActionException("expected.stepTimeMsAfter", stepTimeMsAfter + " is not above 0");
        }
    }

    /** The predicted speed-up: before over after, minus 1 (0.25 = 25% faster). */
    public double gain() {
        return stepTimeMsBefore / stepTimeMsAfter - 1;
    }
}

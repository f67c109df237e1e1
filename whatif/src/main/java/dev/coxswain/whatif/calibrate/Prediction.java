package dev.coxswain.whatif.calibrate;

/**
 * A predicted step, in seconds, with an 80% interval for the step time.
 *
 * @param syncTimeSec the predicted exposed synchronisation time (step time less compute)
 */
public record Prediction(Query query, double stepTimeSec, double syncTimeSec, double stepTimeLoSec,
                         double stepTimeHiSec) {
    public Prediction {
        if (!(stepTimeSec > 0) || !(stepTimeLoSec <= stepTimeSec) || !(stepTimeHiSec >= stepTimeSec)) {
            throw new IllegalArgumentException("inconsistent prediction " + stepTimeLoSec + " <= " + stepTimeSec
                    + " <= " + stepTimeHiSec);
        }
    }
}

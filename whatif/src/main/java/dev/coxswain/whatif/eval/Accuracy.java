package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.Prediction;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.calibrate.StepTimeModel;

/**
 * How well a model fitted on a split's measured rows predicts its query rows: mean absolute percentage error of
 * the step time, and the share of query rows whose measured step time falls in the 80% interval.
 */
public record Accuracy(String model, String split, int measuredRows, int queryRows, double stepMapePct,
                       double intervalCoveragePct, double fitSeconds, java.util.Map<String, Double> parameters) {

    public static Accuracy of(StepTimeModel model, Split split) {
        long t0 = System.nanoTime();
        StepTimeModel.Fitted fitted = model.fit(split.measured());
        double fitSec = (System.nanoTime() - t0) / 1e9;
        double ape = 0;
        int covered = 0;
        for (Measurement m : split.query()) {
            Prediction p = fitted.predict(new Query(m.placement(), m.localBatch()));
            ape += Math.abs(p.stepTimeSec() - m.stepTimeSec()) / m.stepTimeSec();
            if (m.stepTimeSec() >= p.stepTimeLoSec() && m.stepTimeSec() <= p.stepTimeHiSec()) {
                covered++;
            }
        }
        int n = split.query().size();
        return new Accuracy(model.name(), split.name(), split.measured().size(), n, 100 * ape / Math.max(n, 1),
                100.0 * covered / Math.max(n, 1), fitSec, fitted.parameters());
    }
}

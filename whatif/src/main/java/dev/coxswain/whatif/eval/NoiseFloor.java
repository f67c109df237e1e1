package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.Placement;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.calibrate.StepTimeModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a trace's rows scatter around any smooth step-time curve: the error that even the true curve would score
 * on them. Each row with a smaller and a larger batch size measured at the same placement is compared with the
 * log-log interpolation of those two neighbours, on the residuals of a model fitted to all rows (which takes out
 * the curve's own bend). With independent scatter {@code e} on every row, a row's deviation from the interpolation
 * is {@code e_k - (1-w) e_lo - w e_hi}, of spread {@code sqrt(1 + w^2 + (1-w)^2)} times {@code e}'s; dividing by that
 * factor and averaging gives the mean absolute scatter of one row, in percent: a floor under the MAPE of any model
 * of placement and batch size. Scatter shared by neighbouring rows is not seen, so the floor is, if anything, low.
 */
public final class NoiseFloor {
    private NoiseFloor() {
    }

    /**
     * Mean absolute scatter of one row around {@code fitted}'s curve, in percent; NaN when no placement has three
     * distinct batch sizes.
     */
    public static double estimatePct(List<Measurement> rows, StepTimeModel.Fitted fitted) {
        Map<Placement, List<Measurement>> byPlacement = new LinkedHashMap<>();
        for (Measurement m : rows) {
            byPlacement.computeIfAbsent(m.placement(), p -> new ArrayList<>()).add(m);
        }
        double sum = 0;
        int n = 0;
        for (List<Measurement> same : byPlacement.values()) {
            same.sort(Comparator.comparingInt(Measurement::localBatch));
            for (int k = 1; k + 1 < same.size(); k++) {
                Measurement lo = same.get(k - 1);
                Measurement mid = same.get(k);
                Measurement hi = same.get(k + 1);
                if (lo.localBatch() == mid.localBatch() || mid.localBatch() == hi.localBatch()) {
                    continue;
                }
                double w = Math.log((double) mid.localBatch() / lo.localBatch())
                        / Math.log((double) hi.localBatch() / lo.localBatch());
                double d = residual(mid, fitted) - (1 - w) * residual(lo, fitted) - w * residual(hi, fitted);
                sum += Math.abs(d) / Math.sqrt(1 + w * w + (1 - w) * (1 - w));
                n++;
            }
        }
        return n == 0 ? Double.NaN : 100 * sum / n;
    }

    private static double residual(Measurement m, StepTimeModel.Fitted fitted) {
        return Math.log(m.stepTimeSec() / fitted.predict(new Query(m.placement(), m.localBatch())).stepTimeSec());
    }
}

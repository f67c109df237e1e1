package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.Placement;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.calibrate.StepTimeModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a trace's rows scatter around any curve of placement and batch size: the error that even the true curve
 * would score on them, estimated two ways.
 * <ul>
 *   <li><b>Between batch sizes</b> ({@link #betweenBatchSizesPct}): each row with a smaller and a larger batch size
 *   measured at the same placement is compared with the log-log interpolation of those two neighbours, on the
 *   residuals of a model fitted to all rows (which takes out the curve's own bend). With independent scatter
 *   {@code e} on every row, the deviation is {@code e_k - (1-w) e_lo - w e_hi}, of spread
 *   {@code sqrt(1 + w^2 + (1-w)^2)} times {@code e}'s; dividing by that factor gives one row's scatter. It does not
 *   see scatter that all batch sizes of one placement share (the conditions of the run that measured them).</li>
 *   <li><b>Between node orders</b> ({@link #betweenNodeOrdersPct}): placements that differ only in the order of
 *   their nodes ({@code 1344} and {@code 4314}) are the same configuration on identical nodes, measured in
 *   different runs. Two such rows at the same batch size differ by {@code e_1 - e_2}; divided by {@code sqrt 2}
 *   that is one row's scatter, whatever its source. Model-free, but only placements with several orders count.</li>
 * </ul>
 * Both are mean absolute scatters of one row, in percent: floors under the MAPE of any model of placement and
 * batch size.
 */
public final class NoiseFloor {
    private NoiseFloor() {
    }

    /**
     * Mean absolute scatter of one row around {@code fitted}'s curve between batch sizes, in percent; NaN when no
     * placement has three distinct batch sizes.
     */
    public static double betweenBatchSizesPct(List<Measurement> rows, StepTimeModel.Fitted fitted) {
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

    /**
     * Mean absolute scatter of one row between node orders of the same placement at the same batch size, in
     * percent; NaN when no placement was measured in two orders at one batch size.
     */
    public static double betweenNodeOrdersPct(List<Measurement> rows) {
        Map<String, List<Measurement>> sameConfiguration = new LinkedHashMap<>();
        for (Measurement m : rows) {
            int[] sorted = m.placement().gpusPerNode();
            Arrays.sort(sorted);
            sameConfiguration.computeIfAbsent(Arrays.toString(sorted) + " x " + m.localBatch(),
                    k -> new ArrayList<>()).add(m);
        }
        double sum = 0;
        int n = 0;
        for (List<Measurement> same : sameConfiguration.values()) {
            for (int i = 0; i < same.size(); i++) {
                for (int j = i + 1; j < same.size(); j++) {
                    if (!same.get(i).placement().equals(same.get(j).placement())) {
                        sum += Math.abs(Math.log(same.get(i).stepTimeSec() / same.get(j).stepTimeSec()))
                                / Math.sqrt(2);
                        n++;
                    }
                }
            }
        }
        return n == 0 ? Double.NaN : 100 * sum / n;
    }

    private static double residual(Measurement m, StepTimeModel.Fitted fitted) {
        return Math.log(m.stepTimeSec() / fitted.predict(new Query(m.placement(), m.localBatch())).stepTimeSec());
    }
}

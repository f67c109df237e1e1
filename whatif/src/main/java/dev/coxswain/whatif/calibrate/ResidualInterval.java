package dev.coxswain.whatif.calibrate;

import java.util.Arrays;
import java.util.List;

/**
 * An 80% prediction interval from the spread of a fitted model's own residuals: the 10th and 90th percentiles of
 * {@code log(measured / predicted)} over the measured rows, widened by a factor for queries outside the measured
 * range (more nodes or more replicas than any measured row), where the model extrapolates.
 */
public final class ResidualInterval {
    static final double EXTRAPOLATION_WIDENING = 2.0;

    private final double lo;
    private final double hi;
    private final int maxNodes;
    private final int maxReplicas;

    ResidualInterval(double[] logResiduals, List<Measurement> measured) {
        double[] r = logResiduals.clone();
        Arrays.sort(r);
        this.lo = Math.min(quantile(r, 0.10), -1e-3);
        this.hi = Math.max(quantile(r, 0.90), 1e-3);
        this.maxNodes = measured.stream().mapToInt(m -> m.placement().nodes()).max().orElse(1);
        this.maxReplicas = measured.stream().mapToInt(m -> m.placement().replicas()).max().orElse(1);
    }

    private static double quantile(double[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        int j = Math.min(i + 1, sorted.length - 1);
        return sorted[i] + (pos - i) * (sorted[j] - sorted[i]);
    }

    Prediction around(Query q, double step, double sync) {
        boolean outside = q.placement().nodes() > maxNodes || q.placement().replicas() > maxReplicas;
        double w = outside ? EXTRAPOLATION_WIDENING : 1;
        return new Prediction(q, step, Math.max(0, Math.min(sync, step)), step * Math.exp(w * lo),
                step * Math.exp(w * hi));
    }
}

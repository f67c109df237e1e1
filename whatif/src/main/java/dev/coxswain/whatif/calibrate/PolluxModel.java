package dev.coxswain.whatif.calibrate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline: Pollux's throughput model (Qiao et al., OSDI'21, section 3.2; {@code adaptdl/goodput.py}), re-fitted
 * here on the same measured rows as Coxswain's model. Compute time {@code alpha_c + beta_c * local_bsz}; network
 * time {@code alpha + beta * max(replicas - 2, 0)} with one pair of constants for jobs on several nodes and another
 * for jobs on one node; step time {@code (T_compute^gamma + T_network^gamma)^(1/gamma)}, 1 <= gamma <= 10.
 *
 * <p>As in adaptdl, the objective is the squared log error of the compute time (step less sync) plus that of the
 * step time, with its small penalties on gamma and on the retrogression terms, and the same rules that fix
 * parameters the rows cannot identify: one batch size fixes alpha_c; no multi-node row fixes the inter-node pair;
 * no job of more than two replicas fixes both retrogression terms; without multi-node rows the inter-node
 * constants are raised to at least 1.1 times the intra-node ones after the fit. adaptdl minimises with L-BFGS-B under
 * bounds; here positive parameters are fitted in log space by Levenberg-Marquardt, which reaches the same minima
 * on these rows up to optimiser tolerance.
 */
public final class PolluxModel implements StepTimeModel {
    private static final double FLOOR = 1e-8;
    private static final String[] NAMES = {"alpha_c", "beta_c", "alpha_n", "beta_n", "alpha_r", "beta_r", "gamma"};

    @Override
    public String name() {
        return "pollux";
    }

    @Override
    public Fitted fit(List<Measurement> measured) {
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no measured rows to fit");
        }
        boolean oneBatch = measured.stream().mapToInt(Measurement::localBatch).distinct().count() == 1;
        boolean multiNode = measured.stream().anyMatch(m -> m.placement().nodes() > 1);
        boolean over2 = measured.stream().anyMatch(m -> m.placement().replicas() > 2);
        double meanAcc = measured.stream().mapToDouble(Measurement::computeTimeSec).average().orElse(1);
        // Fixed parameters as adaptdl fixes them; NaN marks a free one.
        double[] fixed = {oneBatch ? meanAcc / 2 : Double.NaN, Double.NaN,
                multiNode ? Double.NaN : FLOOR, multiNode && over2 ? Double.NaN : FLOOR,
                Double.NaN, over2 ? Double.NaN : FLOOR, Double.NaN};
        double[] start = {Math.log(1e-1), Math.log(1e-2), Math.log(1e-1), Math.log(1e-2), Math.log(1e-1),
                Math.log(1e-2), logit((1.0 + 1e-3 - 1) / 9)};
        int m = measured.size();
        LeastSquares ls = new LeastSquares(u -> {
            double[] p = params(u, fixed);
            double[] r = new double[2 * m + 3];
            for (int i = 0; i < m; i++) {
                Measurement row = measured.get(i);
                r[i] = (Math.log(compute(p, row.localBatch())) - Math.log(row.computeTimeSec())) / Math.sqrt(m);
                r[m + i] = (Math.log(step(p, row.placement(), row.localBatch())) - Math.log(row.stepTimeSec()))
                        / Math.sqrt(m);
            }
            r[2 * m] = Math.sqrt(1e-3) * (p[6] - 1);
            r[2 * m + 1] = Math.sqrt(1e-2) * p[3] / p[2];
            r[2 * m + 2] = Math.sqrt(1e-2) * p[5] / p[4];
            return r;
        }, new LeastSquares.Options(500, Double.POSITIVE_INFINITY, 1e-12));
        double[] p = params(ls.minimise(start).x(), fixed);
        if (!multiNode) {
            p[2] = Math.max(p[2], p[4] * 1.1);
            p[3] = Math.max(p[3], p[5] * 1.1);
        }
        double[] logRes = new double[m];
        for (int i = 0; i < m; i++) {
            Measurement row = measured.get(i);
            logRes[i] = Math.log(row.stepTimeSec() / step(p, row.placement(), row.localBatch()));
        }
        return new FittedPollux(p, new ResidualInterval(logRes, measured));
    }

    private static double logit(double v) {
        return Math.log(v / (1 - v));
    }

    private static double[] params(double[] u, double[] fixed) {
        double[] p = new double[7];
        for (int i = 0; i < 6; i++) {
            p[i] = Double.isNaN(fixed[i]) ? Math.max(Math.exp(u[i]), FLOOR) : fixed[i];
        }
        p[6] = 1 + 9 / (1 + Math.exp(-u[6]));
        return p;
    }

    static double compute(double[] p, int bsz) {
        return p[0] + p[1] * bsz;
    }

    static double network(double[] p, Placement pl) {
        int nodes = pl.nodes();
        int replicas = pl.replicas();
        double bottleneck = nodes > 1 ? p[2] : replicas > 1 ? p[4] : FLOOR;
        double retro = nodes > 1 ? p[3] : replicas > 1 ? p[5] : FLOOR;
        return bottleneck + retro * Math.max(replicas - 2, FLOOR);
    }

    static double step(double[] p, Placement pl, int bsz) {
        double g = p[6];
        return Math.pow(Math.pow(compute(p, bsz), g) + Math.pow(network(p, pl), g), 1 / g);
    }

    private record FittedPollux(double[] p, ResidualInterval interval) implements Fitted {
        @Override
        public Prediction predict(Query q) {
            double step = step(p, q.placement(), q.localBatch());
            return interval.around(q, step, step - compute(p, q.localBatch()));
        }

        @Override
        public Map<String, Double> parameters() {
            Map<String, Double> out = new LinkedHashMap<>();
            for (int i = 0; i < NAMES.length; i++) {
                out.put(NAMES[i], p[i]);
            }
            return out;
        }
    }
}

package dev.coxswain.whatif.calibrate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Coxswain's calibrated step-time model for data-parallel jobs with ring all-reduce:
 * <pre>
 *   c      = compute(b) * (1 + kappa (g_max - 1) / 3 + sigma sqrt(2 ln n))
 *   T      = ring all-reduce time over the flow-level network (see {@link RingCommModel})
 *   step   = a c + (((1 - a) c)^gamma + T^gamma)^(1/gamma)
 *   sync   = step - c
 * </pre>
 * {@code compute(b)} is a per-GPU compute curve ({@link ComputeCurve}); {@code kappa} is the slowdown from sharing
 * a host with other GPUs of the job (data loading, PCIe) and {@code sigma} the expected lag of the slowest of
 * {@code n} replicas; {@code a} is the share of compute (the forward pass) that gradient traffic cannot overlap and
 * {@code gamma} how sharply overlap saturates.
 *
 * <p>Fitting: robust (soft-L1) least squares on the log step time and the log compute time (step less sync) of the
 * measured rows, with weak priors that pull the link parameters towards the cluster's specification
 * ({@link LinkPrior}). The per-flow limit is held at its specification unless some measured row spans three or more
 * nodes, because only such rows can tell it apart from the host-pair capacity. Several starting points; the best
 * fit wins. Deterministic.
 */
public final class CoxswainModel implements StepTimeModel {
    static final String[] NAMES = {"kappa", "sigma", "overlap_logit", "log_gamma_minus_1", "log_intra_Bps",
        "log_pair_Bps", "log_intra_latency_s", "log_inter_latency_s", "log_flow_cap_scale", "log_overhead_s",
        "ring_jitter"};
    private static final int P_LINKS = 4;
    private static final int P_FLOW = 8;
    private static final int KNOTS = NAMES.length;

    /**
     * Fitting weights.
     *
     * @param computeWeight  weight of the compute-time residuals against the step-time ones
     * @param linkPrior      weight of the pull of bandwidths and latencies towards the specification (log space)
     * @param interLatencyPrior weight of the pull of the inter-node hop latency towards the specification
     * @param jitterPrior    weight of the pull of the ring jitter towards zero when three-node rows exist (without
     *                       them, jitter and the host-pair capacity are confounded and the jitter is held at zero)
     * @param flowPrior      the same for the per-flow limit when three-node rows exist
     * @param smoothness     weight of the compute curve's curvature penalty
     * @param robustScale    residual (in log) where the loss turns linear
     */
    public record Options(double computeWeight, double linkPrior, double interLatencyPrior, double jitterPrior,
                          double flowPrior, double smoothness, double robustScale) {
        public static Options defaults() {
            return new Options(0.2, 0.3, 0.3, 1, 0.1, 0.3, 0.03);
        }
    }

    private final LinkPrior prior;
    private final long gradientBytes;
    private final long bucketBytes;
    private final Options options;

    public CoxswainModel(LinkPrior prior, long gradientBytes, long bucketBytes, Options options) {
        this.prior = prior;
        this.gradientBytes = gradientBytes;
        this.bucketBytes = bucketBytes;
        this.options = options;
        new RingCommModel(gradientBytes, bucketBytes);
    }

    @Override
    public String name() {
        return "coxswain";
    }

    @Override
    public FittedCoxswain fit(List<Measurement> measured) {
        if (measured.isEmpty()) {
            throw new IllegalArgumentException("no measured rows to fit");
        }
        TreeSet<Integer> batches = new TreeSet<>();
        measured.forEach(m -> batches.add(m.localBatch()));
        ComputeCurve curve = new ComputeCurve(batches.stream().mapToInt(Integer::intValue).toArray());
        RingCommModel comm = new RingCommModel(gradientBytes, bucketBytes);
        Objective objective = new Objective(measured, curve, comm, priorVector(), options, prior);
        double[] best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (double pairMultiple : new double[]{1.2, 1.6, 3.0}) {
            double[] start = objective.start(pairMultiple, prior.flowCapBytesPerSec());
            start[10] = 0.05;
            LeastSquares.Result r = new LeastSquares(objective::residuals,
                    LeastSquares.Options.robust(options.robustScale())).minimise(start);
            if (r.cost() < bestCost) {
                bestCost = r.cost();
                best = r.x();
            }
        }
        double[] logRes = new double[measured.size()];
        Evaluator ev = new Evaluator(best, curve, comm, prior);
        for (int i = 0; i < logRes.length; i++) {
            Measurement m = measured.get(i);
            logRes[i] = Math.log(m.stepTimeSec() / ev.step(m.placement(), m.localBatch())[0]);
        }
        return new FittedCoxswain(ev, new ResidualInterval(logRes, measured));
    }

    private double[] priorVector() {
        return new double[]{0.05, 0.02, -1, 0, Math.log(prior.intraBytesPerSec()),
            Math.log(2 * prior.flowCapBytesPerSec()), Math.log(1e-4), Math.log(prior.interLatencySec()), 0,
            Math.log(1e-3), 0};
    }

    /** Evaluates the model for one parameter vector. */
    public static final class Evaluator {
        private final double[] theta;
        private final ComputeCurve curve;
        private final RingCommModel comm;
        private final LinkPrior prior;
        private final RingCommModel.Links links;

        Evaluator(double[] theta, ComputeCurve curve, RingCommModel comm, LinkPrior prior) {
            this(theta, curve, comm, prior, null);
        }

        private Evaluator(double[] theta, ComputeCurve curve, RingCommModel comm, LinkPrior prior,
                          RingCommModel.Links given) {
            this.theta = theta.clone();
            this.curve = curve;
            this.comm = comm;
            this.prior = prior;
            this.links = given != null ? given : new RingCommModel.Links(Math.exp(theta[4]),
                    prior.flowCapBytesPerSec() * Math.exp(theta[P_FLOW]), prior.nicBytesPerSec(),
                    Math.exp(theta[5]), Math.exp(theta[6]), Math.exp(theta[7]), Math.exp(theta[9]),
                    Math.abs(theta[10]));
        }

        @Override
        public String toString() {
            return "Evaluator" + parameters();
        }

        double commSeconds(Placement p) {
            return comm.seconds(p, links);
        }

        /** {step, compute} in seconds. */
        double[] step(Placement p, int b) {
            return step(p, b, commSeconds(p));
        }

        double[] step(Placement p, int b, double t) {
            return step(p, b, t, compute(p, b));
        }

        double compute(Placement p, int b) {
            return curve.seconds(theta, KNOTS, b) * (1 + Math.abs(theta[0]) * (p.maxPerNode() - 1) / 3.0
                    + Math.abs(theta[1]) * Math.sqrt(2 * Math.log(p.replicas())));
        }

        Evaluator adjusted(Adjustment a) {
            if (a.equals(Adjustment.NONE)) {
                return this;
            }
            return new Evaluator(theta, curve, comm, prior, new RingCommModel.Links(
                    links.intraBytesPerSec() * a.intraScale(), links.flowCapBytesPerSec(),
                    links.nicBytesPerSec() * a.nicScale(), links.pairBytesPerSec() * a.pairScale(),
                    links.intraLatencySec(), links.interLatencySec(), links.overheadSec(), links.ringJitter()));
        }

        double[] step(Placement p, int b, double t, double c) {
            double a = 1 / (1 + Math.exp(-theta[2]));
            double g = 1 + Math.exp(theta[3]);
            double overlapped = Math.pow(Math.pow((1 - a) * c, g) + Math.pow(t, g), 1 / g);
            return new double[]{a * c + overlapped, c};
        }

        RingCommModel.RingRate ringRate(Placement p) {
            return RingCommModel.rate(p, links);
        }

        Map<String, Double> parameters() {
            Map<String, Double> out = new LinkedHashMap<>();
            out.put("host_contention_kappa", Math.abs(theta[0]));
            out.put("straggler_sigma", Math.abs(theta[1]));
            out.put("non_overlapped_fraction", 1 / (1 + Math.exp(-theta[2])));
            out.put("overlap_gamma", 1 + Math.exp(theta[3]));
            out.put("intra_node_Bps", links.intraBytesPerSec());
            out.put("flow_cap_Bps", links.flowCapBytesPerSec());
            out.put("host_pair_Bps", links.pairBytesPerSec());
            out.put("intra_hop_latency_s", links.intraLatencySec());
            out.put("inter_hop_latency_s", links.interLatencySec());
            out.put("sync_overhead_s", links.overheadSec());
            out.put("ring_jitter", links.ringJitter());
            out.put("gradient_buckets", (double) comm.buckets());
            return out;
        }
    }

    /** The residual vector of a fit: rows, then priors, then curvature. */
    private static final class Objective {
        private final List<Measurement> rows;
        private final ComputeCurve curve;
        private final RingCommModel comm;
        private final double[] priorTheta;
        private final Options options;
        private final boolean threeNodes;
        private final List<Placement> placements = new ArrayList<>();
        private final int[] placementOf;
        private final LinkPrior linkPrior;

        Objective(List<Measurement> rows, ComputeCurve curve, RingCommModel comm, double[] priorTheta,
                  Options options, LinkPrior linkPrior) {
            this.linkPrior = linkPrior;
            this.rows = List.copyOf(rows);
            this.curve = curve;
            this.comm = comm;
            this.priorTheta = priorTheta;
            this.options = options;
            this.threeNodes = rows.stream().anyMatch(m -> m.placement().nodes() >= 3);
            this.placementOf = new int[rows.size()];
            Map<Placement, Integer> index = new LinkedHashMap<>();
            for (int i = 0; i < rows.size(); i++) {
                Placement p = rows.get(i).placement();
                placementOf[i] = index.computeIfAbsent(p, k -> {
                    placements.add(k);
                    return placements.size() - 1;
                });
            }
        }

        double[] start(double pairMultiple, double flowCap) {
            double[] x = new double[KNOTS + curve.knots()];
            System.arraycopy(priorTheta, 0, x, 0, KNOTS);
            x[5] = Math.log(pairMultiple * flowCap);
            TreeSet<Integer> batches = new TreeSet<>();
            rows.forEach(m -> batches.add(m.localBatch()));
            int k = 0;
            for (int b : batches) {
                List<Double> acc = new ArrayList<>();
                for (Measurement m : rows) {
                    if (m.localBatch() == b) {
                        acc.add(m.computeTimeSec());
                    }
                }
                acc.sort(null);
                x[KNOTS + k++] = Math.log(acc.get(acc.size() / 2));
            }
            return x;
        }

        double[] residuals(double[] theta) {
            Evaluator ev = new Evaluator(theta, curve, comm, linkPrior);
            double[] t = new double[placements.size()];
            for (int j = 0; j < t.length; j++) {
                t[j] = ev.commSeconds(placements.get(j));
            }
            double[] curvature = curve.curvature(theta, KNOTS);
            int n = rows.size();
            double[] r = new double[2 * n + (KNOTS - P_LINKS) + curvature.length];
            for (int i = 0; i < n; i++) {
                Measurement m = rows.get(i);
                double[] sc = ev.step(m.placement(), m.localBatch(), t[placementOf[i]]);
                r[i] = Math.log(sc[0] / m.stepTimeSec());
                r[n + i] = options.computeWeight() * Math.log(sc[1] / m.computeTimeSec());
            }
            int at = 2 * n;
            for (int j = P_LINKS; j < KNOTS; j++) {
                double w = switch (j) {
                    case P_FLOW -> threeNodes ? options.flowPrior() : 10;
                    case 4, 5, 9 -> 0.01;
                    case 7 -> options.interLatencyPrior();
                    case 10 -> threeNodes ? options.jitterPrior() : 100;
                    default -> options.linkPrior();
                };
                r[at++] = w * (theta[j] - priorTheta[j]);
            }
            for (double c : curvature) {
                r[at++] = options.smoothness() * c;
            }
            return r;
        }

    }

    /**
     * A what-if change to a fitted model: link speeds scaled (intra-node rate, NIC line rate, host-pair capacity; a
     * per-flow limit below the NIC stays as fitted) and the slowest GPU's compute slowed by a factor (a synchronous
     * step waits for it).
     */
    public record Adjustment(double intraScale, double nicScale, double pairScale, double computeFactor) {
        public static final Adjustment NONE = new Adjustment(1, 1, 1, 1);

        public Adjustment {
            if (!(intraScale > 0) || !(nicScale > 0) || !(pairScale > 0) || !(computeFactor > 0)) {
                throw new IllegalArgumentException("adjustment factors must be positive");
            }
        }
    }

    /** The fitted Coxswain model; beyond {@link Fitted}, it answers what-ifs and names the bottleneck. */
    public record FittedCoxswain(Evaluator ev, ResidualInterval interval) implements Fitted {
        @Override
        public Prediction predict(Query q) {
            return predict(q, Adjustment.NONE);
        }

        public Prediction predict(Query q, Adjustment a) {
            Evaluator e = ev.adjusted(a);
            double[] sc = e.step(q.placement(), q.localBatch());
            double c = sc[1] * a.computeFactor();
            double[] adjusted = e.step(q.placement(), q.localBatch(), e.commSeconds(q.placement()), c);
            return interval.around(q, adjusted[0], adjusted[0] - adjusted[1]);
        }

        /** The link that limits the placement's all-reduce: intra-node, per-flow limit, NIC or host pair. */
        public String bottleneck(Placement p, Adjustment a) {
            if (p.replicas() < 2) {
                return "none (one GPU)";
            }
            return switch (ev.adjusted(a).ringRate(p).bottleneckKind()) {
                case RingCommModel.RingRate.INTRA -> "intra-node (PCIe/NVLink)";
                case RingCommModel.RingRate.FLOW_CAP -> "inter-node per-flow limit";
                case RingCommModel.RingRate.NIC -> "NIC";
                case RingCommModel.RingRate.PAIR -> "host pair (both directions)";
                default -> "none";
            };
        }

        @Override
        public Map<String, Double> parameters() {
            return ev.parameters();
        }
    }
}

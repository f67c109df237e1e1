package dev.coxswain.graphmodels.features;

import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The features of every worker of a job at one step. Built once per step from the workers' views: the
 * constructor computes each worker's signal medians over its window and the fast group's reference for each
 * signal (O(workers x window x signals)); {@link #of} then computes one worker's features, including the
 * neighbourhood ones, in O(workers). Not thread-safe; one step's features are computed by one thread.
 */
public final class TickFeatures {

    /** Below this excess (relative to the ideal level) the component shares are noise, so they are missing. */
    private static final double MIN_EXCESS_FOR_SHARES = 0.03;
    private static final double SHARE_LIMIT = 2.0;

    private final Map<String, WorkerView> views = new HashMap<>();
    private final Map<String, EnumMap<Signal, Double>> medians = new HashMap<>();
    private final EnumMap<Signal, Double> reference = new EnumMap<>(Signal.class);
    private final double idealLevel;
    private final double slowFraction;

    /**
     * @param workers    the job's active workers at this step
     * @param fastGroup  ids of the workers whose levels define the ideal level
     * @param idealLevel the fast-group step-time level
     */
    public TickFeatures(List<WorkerView> workers, Set<String> fastGroup, double idealLevel) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers");
        }
        if (!(idealLevel > 0)) {
            throw new IllegalArgumentException("idealLevel must be positive, got " + idealLevel);
        }
        this.idealLevel = idealLevel;
        int slow = 0;
        for (WorkerView w : workers) {
            views.put(w.workerId(), w);
            medians.put(w.workerId(), signalMedians(w.recent()));
            slow += w.slow() ? 1 : 0;
        }
        this.slowFraction = (double) slow / workers.size();
        for (Signal s : Signal.values()) {
            double[] values = fastGroup.stream().filter(medians::containsKey)
                    .mapToDouble(id -> medians.get(id).get(s)).toArray();
            reference.put(s, RobustStats.median(values));
        }
    }

    private static EnumMap<Signal, Double> signalMedians(List<WorkerSample> recent) {
        EnumMap<Signal, Double> out = new EnumMap<>(Signal.class);
        double[] buf = new double[recent.size()];
        for (Signal s : Signal.values()) {
            for (int i = 0; i < recent.size(); i++) {
                buf[i] = recent.get(i).signals().valueOrNaN(s);
            }
            out.put(s, s == Signal.THROTTLED ? mean(buf) : RobustStats.median(buf));
        }
        return out;
    }

    private static double mean(double[] values) {
        double sum = 0;
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                sum += v;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The features of one worker. */
    public FeatureVector of(String workerId) {
        WorkerView w = views.get(workerId);
        if (w == null) {
            throw new IllegalArgumentException("worker " + workerId + " is not active at this step");
        }
        double[] f = new double[Feature.values().length];
        EnumMap<Signal, Double> m = medians.get(workerId);
        set(f, Feature.STEP_RATIO, w.ratio());
        set(f, Feature.STEP_SPREAD, spread(w));
        set(f, Feature.COMPUTE_RATIO, ratio(m, Signal.COMPUTE_MS));
        set(f, Feature.COMM_RATIO, ratio(m, Signal.COMM_MS));
        set(f, Feature.WAIT_RATIO, ratio(m, Signal.DATA_MS));
        double excess = w.level() - idealLevel;
        boolean shares = excess > MIN_EXCESS_FOR_SHARES * idealLevel;
        set(f, Feature.COMPUTE_SHARE, shares ? share(m, Signal.COMPUTE_MS, excess) : Double.NaN);
        set(f, Feature.COMM_SHARE, shares ? share(m, Signal.COMM_MS, excess) : Double.NaN);
        set(f, Feature.WAIT_SHARE, shares ? share(m, Signal.DATA_MS, excess) : Double.NaN);
        set(f, Feature.GPU_UTIL_DELTA, delta(m, Signal.GPU_UTIL_PCT));
        set(f, Feature.SM_CLOCK_RATIO, ratio(m, Signal.SM_CLOCK_MHZ));
        set(f, Feature.THROTTLED_FRACTION, m.get(Signal.THROTTLED));
        set(f, Feature.CPU_UTIL_DELTA, delta(m, Signal.CPU_UTIL_PCT));
        set(f, Feature.BATCH_RATIO, ratio(m, Signal.BATCH_SIZE));
        set(f, Feature.LINK_UTIL, m.get(Signal.LINK_UTIL));
        set(f, Feature.LINK_UTIL_DELTA, delta(m, Signal.LINK_UTIL));
        neighbourhood(f, w);
        set(f, Feature.SLOW_SINCE_START, w.slowSinceStart() ? 1 : 0);
        set(f, Feature.JOB_SLOW_FRACTION, slowFraction);
        return FeatureVector.of(f);
    }

    private void neighbourhood(double[] f, WorkerView w) {
        List<WorkerView> host = peers(w, v -> v.placement().host());
        List<WorkerView> nic = peers(w, v -> v.placement().nic());
        List<WorkerView> sw = peers(w, v -> v.placement().switchId());
        set(f, Feature.HOST_PEERS_SLOW, slowShare(host));
        set(f, Feature.NIC_PEERS_SLOW, slowShare(nic));
        set(f, Feature.SWITCH_PEERS_SLOW, slowShare(sw));
        set(f, Feature.SWITCH_PEERS_COMM_RATIO, peerMedian(sw, Signal.COMM_MS));
        set(f, Feature.HOST_PEERS_WAIT_RATIO, peerMedian(host, Signal.DATA_MS));
    }

    private List<WorkerView> peers(WorkerView w, Function<WorkerView, Optional<String>> key) {
        Optional<String> k = key.apply(w);
        List<WorkerView> out = new ArrayList<>();
        if (k.isEmpty()) {
            return out;
        }
        for (WorkerView v : views.values()) {
            if (v != w && key.apply(v).equals(k)) {
                out.add(v);
            }
        }
        return out;
    }

    private static double slowShare(List<WorkerView> peers) {
        if (peers.isEmpty()) {
            return Double.NaN;
        }
        return peers.stream().filter(WorkerView::slow).count() / (double) peers.size();
    }

    private double peerMedian(List<WorkerView> peers, Signal s) {
        double[] r = peers.stream().mapToDouble(v -> ratio(medians.get(v.workerId()), s)).toArray();
        return RobustStats.median(r);
    }

    private static double spread(WorkerView w) {
        double[] t = w.recent().stream().mapToDouble(WorkerSample::ownStepMs).toArray();
        return RobustStats.sigma(t, t.length, w.level()) / w.level();
    }

    private double ratio(EnumMap<Signal, Double> m, Signal s) {
        double ref = reference.get(s);
        double v = m.get(s);
        return (Double.isNaN(v) || !(ref > 0)) ? Double.NaN : v / ref;
    }

    private double delta(EnumMap<Signal, Double> m, Signal s) {
        return m.get(s) - reference.get(s);
    }

    private double share(EnumMap<Signal, Double> m, Signal s, double excess) {
        double d = delta(m, s);
        return Double.isNaN(d) ? Double.NaN : Math.max(-SHARE_LIMIT, Math.min(SHARE_LIMIT, d / excess));
    }

    private static void set(double[] f, Feature feature, double value) {
        f[feature.ordinal()] = value;
    }
}

package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.detect.FastGroup;
import dev.coxswain.graphmodels.features.RobustStats;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ground truth for detection on unlabelled real data, as the issue defines it: a worker is a straggler at a step
 * while its rolling level is at least {@code threshold} times the job's fast-group level. The labeller is an
 * offline oracle: the rolling level is the median of a window centred on the step (it sees the future, which the
 * online detector cannot), and the fast-group level is the median of the fastest quarter of the workers active at
 * that step. Computed in the constructor: O(n k log k) for n samples and window k.
 */
public final class OracleLabels {

    /** Nine samples: about 90 iterations in the PAI trace, which samples every 10 iterations. */
    public static final int DEFAULT_WINDOW = 9;
    public static final double DEFAULT_THRESHOLD = 1.10;
    public static final double DEFAULT_FAST_FRACTION = 0.25;

    private final Map<WorkerStep, Double> ratios = new HashMap<>();
    private final Map<String, List<Long>> steps = new LinkedHashMap<>();
    private final double threshold;
    private final double sigma;
    private final double band;

    public OracleLabels(JobWindow window, int labelWindow, double fastGroupFraction, double threshold) {
        if (labelWindow < 1 || labelWindow % 2 == 0) {
            throw new IllegalArgumentException("labelWindow must be odd and positive, got " + labelWindow);
        }
        this.threshold = threshold;
        Map<WorkerStep, Double> levels = new HashMap<>();
        TreeMap<Long, Map<String, Double>> byStep = new TreeMap<>();
        List<Double> diffs = new ArrayList<>();
        for (WorkerSeries w : window.workers()) {
            List<WorkerSample> s = w.samples();
            double[] t = s.stream().mapToDouble(WorkerSample::ownStepMs).toArray();
            List<Long> order = new ArrayList<>();
            int h = labelWindow / 2;
            for (int i = 0; i < t.length; i++) {
                int lo = Math.max(0, i - h);
                int hi = Math.min(t.length, i + h + 1);
                double[] part = Arrays.copyOfRange(t, lo, hi);
                double level = RobustStats.median(part);
                levels.put(new WorkerStep(w.workerId(), s.get(i).step()), level);
                byStep.computeIfAbsent(s.get(i).step(), k -> new HashMap<>()).put(w.workerId(), level);
                if (i > 0 && t[i] != t[i - 1]) {
                    diffs.add((t[i] - t[i - 1]) / level);
                }
                order.add(s.get(i).step());
            }
            steps.put(w.workerId(), List.copyOf(order));
        }
        byStep.forEach((step, lv) -> {
            double ideal = new FastGroup(lv, fastGroupFraction).level();
            lv.forEach((worker, level) -> ratios.put(new WorkerStep(worker, step), level / ideal));
        });
        double[] d = diffs.stream().mapToDouble(Double::doubleValue).toArray();
        this.sigma = d.length == 0 ? 0 : RobustStats.sigma(d, d.length, 0) / Math.sqrt(2);
        this.band = 2 * 1.2533 * sigma / Math.sqrt(labelWindow);
    }

    /** Labels with the defaults used in the benchmark. */
    public static OracleLabels of(JobWindow window) {
        return new OracleLabels(window, DEFAULT_WINDOW, DEFAULT_FAST_FRACTION, DEFAULT_THRESHOLD);
    }

    /** Whether the worker is a straggler at the step. */
    public boolean label(WorkerStep ws) {
        return ratio(ws) >= threshold;
    }

    /** The oracle's level ratio, NaN when the worker has no sample at the step. */
    public double ratio(WorkerStep ws) {
        return ratios.getOrDefault(ws, Double.NaN);
    }

    /**
     * The job's robust per-sample noise, relative to the level: the scaled MAD of the step-to-step differences over
     * sqrt 2. Exact repeats are left out: the PAI trace repeats a worker's last value when it has no new
     * measurement, and a repeat is not a measurement of the noise.
     */
    public double sigma() {
        return sigma;
    }

    /**
     * Half-width of the ambiguity band around the threshold: two standard errors of the oracle's rolling level
     * (the standard error of a median of k samples is about 1.2533 sigma / sqrt(k)). Inside it the label is decided
     * by noise.
     */
    public double band() {
        return band;
    }

    public double threshold() {
        return threshold;
    }

    /** Each worker's steps in order. */
    public Map<String, List<Long>> steps() {
        return steps;
    }
}

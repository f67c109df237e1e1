package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.Attribution;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.features.FeatureVector;
import dev.coxswain.graphmodels.features.RobustStats;
import dev.coxswain.graphmodels.features.TickFeatures;
import dev.coxswain.graphmodels.features.WorkerView;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The online detector's state for one job, advanced one step at a time with the samples of the workers that
 * reported that step. Per step it computes each worker's rolling level (median of its window), the ideal level
 * (the {@link FastGroup}), the job's noise and with it the threshold, and each worker's verdict; for the stragglers
 * it computes features and asks the {@link CauseAttributor} why. Cost per step: O(w * (k log k + f)) for w workers,
 * window k and f features.
 * <p>Not thread-safe: one thread owns a tracker (the snapshot loop, or the offline replay).
 */
public final class JobTracker {

    /** Step-to-step differences per worker that the noise estimate pools. */
    static final int NOISE_SAMPLES = 20;

    private static final Attribution NOT_SLOW = new Attribution(Cause.NONE, 1.0);
    /** Below 0.5 even when printed with four decimals. */
    static final double NOT_STRAGGLER_MAX_SCORE = 0.4999;

    private final String jobId;
    private final DetectorConfig config;
    private final CauseAttributor attributor;
    private final boolean featuresForAll;
    private final Map<String, WorkerTrack> tracks = new HashMap<>();
    private long lastStep = Long.MIN_VALUE;

    /**
     * @param featuresForAll compute features for every worker at every step (for training data), not only for
     *                       stragglers
     */
    public JobTracker(String jobId, DetectorConfig config, CauseAttributor attributor, boolean featuresForAll) {
        this.jobId = Objects.requireNonNull(jobId, "jobId");
        this.config = Objects.requireNonNull(config, "config");
        this.attributor = Objects.requireNonNull(attributor, "attributor");
        this.featuresForAll = featuresForAll;
    }

    /**
     * Advances the job by one step.
     *
     * @param samples    the samples of this step by worker id; at least one
     * @param placements where workers sit; a worker missing here keeps its last known placement
     * @throws IllegalArgumentException when the step does not come after the previous one
     */
    public TickAssessment advance(long step, Map<String, WorkerSample> samples, Map<String, WorkerLocation> placements) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("job " + jobId + " step " + step + ": no samples");
        }
        if (step <= lastStep) {
            throw new IllegalArgumentException("job " + jobId + ": step " + step + " after step " + lastStep);
        }
        lastStep = step;
        Map<String, WorkerTrack> active = new LinkedHashMap<>();
        Map<String, Double> levels = new HashMap<>();
        for (Map.Entry<String, WorkerSample> e : samples.entrySet()) {
            if (e.getValue().step() != step) {
                throw new IllegalArgumentException("job " + jobId + " worker " + e.getKey() + ": sample of step "
                        + e.getValue().step() + " given as step " + step);
            }
            WorkerTrack t = tracks.computeIfAbsent(e.getKey(), id -> new WorkerTrack(id, config.windowSamples(), config.slowdownThreshold(), NOISE_SAMPLES));
            t.add(e.getValue(), placements.get(e.getKey()));
            active.put(e.getKey(), t);
            levels.put(e.getKey(), t.level());
        }
        FastGroup fast = new FastGroup(levels, config.fastGroupFraction());
        double ideal = fast.level();
        double threshold = threshold(active.values());
        List<WorkerView> views = new ArrayList<>(active.size());
        Map<String, Long> decided = new HashMap<>();
        double slowest = 0;
        for (WorkerTrack t : active.values()) {
            double level = levels.get(t.workerId());
            double ratio = level / ideal;
            Optional<WorkerSample> about = t.back(config.decisionDelay());
            boolean confirmable = about.isPresent() && t.samples() >= config.minSamples();
            boolean slow = confirmable && ratio >= threshold;
            about.ifPresent(a -> {
                t.decide(confirmable, slow, a);
                decided.put(t.workerId(), a.step());
            });
            slowest = Math.max(slowest, level);
            views.add(new WorkerView(t.workerId(), t.placement(), t.recent(), level, ratio, slow,
                    slow && t.slowSinceStart()));
        }
        List<WorkerVerdict> verdicts = verdicts(decided, views, fast, ideal, threshold, active);
        return new TickAssessment(jobId, step, ideal, threshold, slowest / ideal, verdicts);
    }

    /** The verdicts of the workers with a step to decide ({@code decided}: worker to step), dated to that step. */
    private List<WorkerVerdict> verdicts(Map<String, Long> decided, List<WorkerView> views, FastGroup fast,
                                         double ideal, double threshold, Map<String, WorkerTrack> active) {
        boolean anySlow = attributor.needsFeatures() && views.stream().anyMatch(WorkerView::slow);
        TickFeatures features = (anySlow || featuresForAll) ? new TickFeatures(views, fast.members(), ideal) : null;
        List<WorkerVerdict> out = new ArrayList<>(views.size());
        for (WorkerView v : views) {
            Long step = decided.get(v.workerId());
            if (step == null) {
                continue;
            }
            Optional<FeatureVector> f = (features != null && (v.slow() || featuresForAll))
                    ? Optional.of(features.of(v.workerId())) : Optional.empty();
            Attribution why = !v.slow() ? NOT_SLOW
                    : attributor.attribute(f.orElseGet(FeatureVector::empty));
            WorkerTrack t = active.get(v.workerId());
            out.add(new WorkerVerdict(v.workerId(), step, v.slow(), v.ratio(), score(v.ratio(), threshold, v.slow()),
                    why, v.slow() ? OptionalLong.of(t.sinceStep()) : OptionalLong.empty(),
                    v.slow() ? t.since() : Optional.empty(), f));
        }
        return out;
    }

    /**
     * The slowdown threshold at this step: the configured one, raised in noisy jobs. The noise sigma is estimated
     * from the step-to-step differences of every active worker's recent samples, pooled (scaled MAD of the
     * differences over sqrt 2): robust to a few spiky workers and blind to persistent level differences, so a
     * heterogeneous but steady job is not mistaken for a noisy one.
     */
    private double threshold(Iterable<WorkerTrack> active) {
        if (config.noiseZ() == 0) {
            return config.slowdownThreshold();
        }
        int n = 0;
        List<double[]> parts = new ArrayList<>();
        for (WorkerTrack t : active) {
            double[] d = t.diffs();
            parts.add(d);
            n += d.length;
        }
        if (n == 0) {
            return config.slowdownThreshold();
        }
        double[] all = new double[n];
        int i = 0;
        for (double[] d : parts) {
            System.arraycopy(d, 0, all, i, d.length);
            i += d.length;
        }
        double sigma = RobustStats.sigma(all, n, 0) / Math.sqrt(2);
        return Math.max(config.slowdownThreshold(), 1 + config.noiseZ() * sigma / Math.sqrt(config.windowSamples()));
    }

    /**
     * Evidence in [0, 1], linear in the ratio: 0 at 1, 0.5 at the threshold, 1 at 1 + 2 (threshold - 1). A worker
     * with too few samples may exceed the threshold without being a straggler; its score then stays at 0.4999.
     */
    static double score(double ratio, double threshold, boolean straggler) {
        double s = Math.max(0, Math.min(1, (ratio - 1) / (2 * (threshold - 1))));
        return straggler ? Math.max(0.5, s) : Math.min(s, NOT_STRAGGLER_MAX_SCORE);
    }

    public String jobId() {
        return jobId;
    }

    /** The last step processed, {@link Long#MIN_VALUE} before the first. */
    public long lastStep() {
        return lastStep;
    }
}

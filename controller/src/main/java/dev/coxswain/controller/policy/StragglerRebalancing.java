package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.stats.Median;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Straggler rebalancing for synchronous jobs: when a worker computes slowly, each worker's local batch is set in
 * proportion to its measured speed (samples per second of compute), the global batch (and so the learning dynamics)
 * unchanged; when no straggler is left and the speeds are even again, the batches go back to what they were before
 * the first rebalance. A change is proposed only when the predicted step time improves by at least {@code minGain}:
 * the slowest worker's compute time sets a synchronous step, so the prediction is the step time now, less the
 * slowest compute now, plus the slowest compute after.
 *
 * <p>A worker computes slowly when the detector reports it with a compute-side cause, or when it computed at least
 * {@value #MEASURED_SLOWDOWN}x slower than the job's median in every one of the observer's recent steps (its peak
 * speed relative to its peers in the same steps). The second needs no history of the job: every worker of a
 * synchronous job computes the same step, so the imbalance is measured, not inferred, and the controller need not
 * wait for the detector's warm-up and hold. Anything less than that (noise in the speeds of a healthy job, one slow
 * step) never moves a job the controller has not rebalanced.
 */
public final class StragglerRebalancing implements Policy {
    public static final String NAME = "rebalance";
    /** The causes that a smaller batch helps: the worker computes slowly. */
    static final Set<String> COMPUTE_SIDE = Set.of("imbalance", "gpu_compute", "host_contention");
    /** How much slower than the median a worker computes, in each recent step, to be measured a straggler. */
    static final double MEASURED_SLOWDOWN = 1.25;

    private final Bounds bounds;
    private final double minGain;
    private final double evenWithin;

    /**
     * @param minGain    the least predicted speed-up worth an action (0.05: 5% shorter steps)
     * @param evenWithin speeds within this fraction of each other count as even (0.1)
     */
    public StragglerRebalancing(Bounds bounds, double minGain, double evenWithin) {
        this.bounds = bounds;
        this.minGain = minGain;
        this.evenWithin = evenWithin;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Rung rung() {
        return Rung.REBALANCE;
    }

    @Override
    public Optional<Proposal> propose(JobObservation job, JobControl control) {
        if (!job.sync().synchronous() || job.workers().size() < 2) {
            return Optional.empty();
        }
        Optional<Trigger> trigger = trigger(job);
        boolean managed = !control.baselineBatches().isEmpty();
        if (trigger.isEmpty() && !managed) {
            return Optional.empty();
        }
        List<WorkerObservation> workers = job.workers().values().stream()
                .sorted(Comparator.comparing(WorkerObservation::worker)).toList();
        int n = workers.size();
        double[] speed = new double[n];
        int[] current = new int[n];
        int[] low = new int[n];
        int[] high = new int[n];
        for (int i = 0; i < n; i++) {
            speed[i] = workers.get(i).samplesPerSec();
            current[i] = workers.get(i).batch();
            low[i] = bounds.lowest(current[i]);
            high[i] = bounds.highest(current[i]);
        }
        boolean even = trigger.isEmpty() && spread(speed) <= 1 + evenWithin;
        int[] target;
        String why;
        if (even && control.baselineBatches().keySet().containsAll(job.workers().keySet())) {
            target = new int[n];
            for (int i = 0; i < n; i++) {
                target[i] = Math.clamp(control.baselineBatches().get(workers.get(i).worker()), low[i], high[i]);
            }
            why = "worker speeds are even again (within " + Math.round(100 * evenWithin) + "%): batches back to "
                    + "the job's own";
        } else {
            target = BatchAllocation.split(job.globalBatch(), speed, low, high);
            if (target == null) {
                return Optional.empty();
            }
            why = trigger.map(Trigger::why).orElse("worker speeds changed") + "; local batches in proportion to "
                    + "measured speed, global batch " + job.globalBatch() + " kept";
        }
        double before = job.stepTimeMs();
        double after = before - slowestComputeMs(current, speed) + slowestComputeMs(target, speed);
        if (!(after > 0) || before / after - 1 < minGain) {
            return Optional.empty();
        }
        List<KnobSetting> settings = new ArrayList<>();
        Map<String, Double> evidence = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String w = workers.get(i).worker();
            evidence.put(w + ".samples_per_s", round(speed[i]));
            if (target[i] != current[i]) {
                settings.add(KnobSetting.worker(w, Knob.BATCH_SIZE, target[i]));
            }
        }
        if (settings.isEmpty()) {
            return Optional.empty();
        }
        evidence.put("step_time_ms", round(before));
        return Optional.of(new Proposal(NAME, Rung.REBALANCE, settings, why, evidence,
                new ExpectedEffect(before, after), trigger.map(Trigger::worker)));
    }

    /** The worker that computes slowly and what shows it. */
    private record Trigger(String worker, String why) {
    }

    /** The detector's slowest compute-side straggler of the job; else the slowest measured one; else none. */
    private static Optional<Trigger> trigger(JobObservation job) {
        double median = Median.of(job.workers().values().stream().mapToDouble(WorkerObservation::samplesPerSec)
                .toArray());
        Optional<Trigger> reported = job.episodes().stream()
                .filter(e -> COMPUTE_SIDE.contains(e.cause()) && job.workers().containsKey(e.workerId()))
                .max(Comparator.comparingDouble(StragglerEpisode::slowdown))
                .map(e -> new Trigger(e.workerId(), String.format(Locale.ROOT, "%s computes at %.2fx the median "
                                + "speed (cause %s, episode %s)", e.workerId(),
                        job.workers().get(e.workerId()).samplesPerSec() / median, e.cause(), e.id())));
        if (reported.isPresent()) {
            return reported;
        }
        return job.workers().values().stream()
                .filter(w -> w.peakRelativeSpeed().orElse(1) * MEASURED_SLOWDOWN <= 1)
                .min(Comparator.comparingDouble(w -> w.peakRelativeSpeed().getAsDouble()))
                .map(w -> new Trigger(w.worker(), String.format(Locale.ROOT, "%s computed at %.2fx the median "
                        + "speed or slower in each of the recent steps after the job's warm-up (measured, no "
                        + "detector episode yet)", w.worker(), w.peakRelativeSpeed().getAsDouble())));
    }

    private static double spread(double[] speed) {
        double min = Double.MAX_VALUE;
        double max = 0;
        for (double s : speed) {
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        return max / min;
    }

    private static double slowestComputeMs(int[] batch, double[] speed) {
        double max = 0;
        for (int i = 0; i < batch.length; i++) {
            max = Math.max(max, 1000.0 * batch[i] / speed[i]);
        }
        return max;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

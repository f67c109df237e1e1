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
 * Straggler rebalancing for synchronous jobs: when the detector reports a straggler whose cause is on the compute
 * side, each worker's local batch is set in proportion to its measured speed (samples per second of compute), the
 * global batch (and so the learning dynamics) unchanged; when no straggler is left and the speeds are even again, the
 * batches go back to what they were before the first rebalance. A change is proposed only when the predicted step
 * time improves by at least {@code minGain}: the slowest worker's compute time sets a synchronous step, so the
 * prediction is the step time now, less the slowest compute now, plus the slowest compute after.
 *
 * <p>A job the controller has not rebalanced is touched only on a detector episode, so noise in the measured speeds
 * of a healthy job never moves it.
 */
public final class StragglerRebalancing implements Policy {
    public static final String NAME = "rebalance";
    /** The causes that a smaller batch helps: the worker computes slowly. */
    static final Set<String> COMPUTE_SIDE = Set.of("imbalance", "gpu_compute", "host_contention");

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
        Optional<StragglerEpisode> trigger = job.episodes().stream()
                .filter(e -> COMPUTE_SIDE.contains(e.cause()) && job.workers().containsKey(e.workerId()))
                .max(Comparator.comparingDouble(StragglerEpisode::slowdown));
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
        double medianSpeed = Median.of(speed);
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
            why = trigger.map(e -> String.format(Locale.ROOT, "%s computes at %.2fx the median speed (cause %s, "
                            + "episode %s)", e.workerId(), speedOf(workers, e.workerId()) / medianSpeed, e.cause(),
                    e.id())).orElse("worker speeds changed") + "; local batches in proportion to measured speed, "
                    + "global batch " + job.globalBatch() + " kept";
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
                new ExpectedEffect(before, after), trigger.map(StragglerEpisode::workerId)));
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

    private static double speedOf(List<WorkerObservation> workers, String id) {
        return workers.stream().filter(w -> w.worker().equals(id)).findFirst().orElseThrow().samplesPerSec();
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}

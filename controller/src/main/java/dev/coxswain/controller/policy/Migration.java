package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Slot;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.detection.StragglerEpisode;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.stats.Median;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Placement: moves a synchronous job's straggler whose slowness is its device's or its host's (it computes slower per
 * sample than its peers: a slower or throttled GPU, a busy host) to the free slot where the {@link PlacementScorer}
 * predicts the shortest step. The action changes only the worker's {@code node}: a job that cannot move a rank
 * refuses it and nothing else changes; once the moved worker computes as fast as its peers, the rebalancing policy
 * gives every worker its own batch back. The decision counts that restore (the step predicted with the batches the
 * job started with); the expectation the move is verified against does not.
 *
 * <p>It is the top rung of the ladder, taken only when the cheaper ones were tried and found insufficient: the job
 * was rebalanced (or rebalancing failed), and a move is still predicted to shorten the step by at least
 * {@code minGain}. The scorer models synchronous steps, so asynchronous jobs are not moved. A move costs a pause (the worker stops and starts again
 * elsewhere; a synchronous job waits for it), so it follows Greyhound's ski-rental rule: keep paying the rent (the
 * time lost to the straggler) until it adds up to the price of buying (the move's cost), then buy. A job that
 * finishes first never pays for a move that would not have paid off, and one that runs on never loses more than about
 * twice the optimum. The rent is estimated as the fraction of each step the move would save now, over the time since
 * the detector confirmed the episode: before a rebalance the loss was larger, so this errs towards buying late.
 */
public final class Migration implements Policy {
    public static final String NAME = "migrate";
    /** The causes a move can cure: the device computes slowly (at full clock or throttled), or the host is busy. */
    static final Set<String> MOVABLE = Set.of("imbalance", "gpu_compute", "host_contention");

    private final PlacementScorer scorer;
    private final double minGain;
    private final double costMs;

    /**
     * @param minGain the least predicted speed-up worth a move (0.05: 5% shorter steps)
     * @param costMs  what a move costs the job, in ms: the pause while the worker stops and starts elsewhere
     */
    public Migration(PlacementScorer scorer, double minGain, double costMs) {
        this.scorer = scorer;
        this.minGain = minGain;
        this.costMs = costMs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Rung rung() {
        return Rung.MIGRATE;
    }

    @Override
    public Optional<Proposal> propose(JobObservation job, JobControl control) {
        boolean cheaperTried = !control.baselineBatches().isEmpty() || control.failed().contains(Rung.REBALANCE);
        if (job.freeSlots().isEmpty() || job.workers().size() < 2 || !cheaperTried || !job.sync().synchronous()) {
            return Optional.empty();
        }
        Optional<StragglerEpisode> trigger = job.episodes().stream()
                .filter(e -> MOVABLE.contains(e.cause()) && job.workers().containsKey(e.workerId()))
                .filter(e -> job.workers().get(e.workerId()).node().isPresent())
                .max(Comparator.comparingDouble(StragglerEpisode::slowdown));
        if (trigger.isEmpty()) {
            return Optional.empty();
        }
        WorkerObservation slow = job.workers().get(trigger.get().workerId());
        double speedRatio = slow.samplesPerSec() / Median.of(job.workers().values().stream()
                .filter(w -> w != slow).mapToDouble(WorkerObservation::samplesPerSec).toArray());
        if (speedRatio > 1 - minGain) {
            return Optional.empty();
        }
        Map<String, Integer> batches = control.baselineBatches();
        String here = slow.node().get();
        Optional<Slot> best = job.freeSlots().stream().filter(s -> !s.node().equals(here))
                .min(Comparator.comparingDouble(s -> scorer.predictStepMs(job, slow.worker(), s, batches)));
        if (best.isEmpty()) {
            return Optional.empty();
        }
        double before = job.stepTimeMs();
        double after = Math.max(0, scorer.predictStepMs(job, slow.worker(), best.get(), batches));
        double afterMove = Math.max(0, scorer.predictStepMs(job, slow.worker(), best.get(), Map.of()));
        double lostMs = (1 - after / before)
                * Math.max(0, Duration.between(trigger.get().confirmedAt(), job.at()).toMillis());
        if (after > before * (1 - minGain) || lostMs < costMs) {
            return Optional.empty();
        }
        List<KnobSetting> settings = List.of(KnobSetting.worker(slow.worker(), Knob.NODE, best.get().node()));
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put(slow.worker() + ".speed_ratio", Math.round(speedRatio * 100) / 100.0);
        evidence.put("lost_ms", (double) Math.round(lostMs));
        evidence.put("migration_cost_ms", costMs);
        evidence.put("step_time_ms", Math.round(before * 10) / 10.0);
        evidence.put("predicted_step_ms", Math.round(after * 10) / 10.0);
        evidence.put("predicted_step_ms_before_restore", Math.round(afterMove * 10) / 10.0);
        evidence.put("slot_relative_speed", best.get().relativeSpeed());
        String why = String.format(Locale.ROOT, "%s on %s computes at %.2fx its peers' speed (cause %s, episode %s)%s;"
                        + " the job has lost %.1f s to it, more than a move costs (%.1f s): move it to %s (%s predicts "
                        + "%.0f -> %.0f ms%s)", slow.worker(), here, speedRatio, trigger.get().cause(),
                trigger.get().id(), control.baselineBatches().isEmpty() ? "" : " after rebalancing",
                lostMs / 1000, costMs / 1000, best.get(), scorer.name(), before, after,
                control.baselineBatches().isEmpty() ? "" : " once its batches are restored");
        return Optional.of(new Proposal(NAME, Rung.MIGRATE, settings, why, evidence,
                new ExpectedEffect(before, Math.min(before, afterMove)), Optional.of(slow.worker())));
    }
}

package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.SyncState;
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

/**
 * Staleness tuning for parameter-server jobs that report their synchronisation: while a straggler persists that
 * rebalancing cannot help (a cause off the compute side, such as a slow link, or a rebalance that was tried and
 * failed), switch BSP to SSP or raise the SSP bound, so that fast workers run ahead instead of waiting; once the job
 * has been healthy for {@code restoreAfterMs}, go back to the job's own setting. The bound follows DSSP's idea of
 * choosing it from recent per-worker step times: the straggler's step over the median step, rounded up, plus one,
 * within the user's maximum. The prediction is that the job then steps at the pace of its median worker's own time
 * (its step less the wait for slower peers).
 */
public final class StalenessTuning implements Policy {
    public static final String NAME = "staleness";

    private final Bounds bounds;
    private final long restoreAfterMs;

    public StalenessTuning(Bounds bounds, long restoreAfterMs) {
        this.bounds = bounds;
        this.restoreAfterMs = restoreAfterMs;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Rung rung() {
        return Rung.STALENESS;
    }

    @Override
    public Optional<Proposal> propose(JobObservation job, JobControl control) {
        SyncState sync = job.sync();
        if (!sync.tunable() || sync.mode().get().equals("asp")) {
            return Optional.empty();
        }
        Optional<StragglerEpisode> trigger = job.episodes().stream()
                .filter(e -> job.workers().containsKey(e.workerId()))
                .filter(e -> !StragglerRebalancing.COMPUTE_SIDE.contains(e.cause())
                        || control.failed().contains(Rung.REBALANCE))
                .max(Comparator.comparingDouble(StragglerEpisode::slowdown));
        if (trigger.isPresent()) {
            return raise(job, trigger.get(), sync);
        }
        if (job.episodes().isEmpty() && control.baselineSync().isPresent() && control.healthyForMs() >= restoreAfterMs
                && !control.baselineSync().get().equals(sync)) {
            return restore(job, control.baselineSync().get(), control.healthyForMs());
        }
        return Optional.empty();
    }

    private Optional<Proposal> raise(JobObservation job, StragglerEpisode trigger, SyncState sync) {
        double[] busy = job.workers().values().stream().mapToDouble(w -> 1000.0 * w.batch() / w.samplesPerSec())
                .toArray();
        double medianBusy = Median.of(busy);
        WorkerObservation slow = job.workers().get(trigger.workerId());
        double ratio = Math.max(trigger.slowdown(), 1000.0 * slow.batch() / slow.samplesPerSec() / medianBusy);
        int bound = Math.min(bounds.maxStaleness(), (int) Math.ceil(ratio) + 1);
        int now = sync.mode().get().equals("ssp") ? sync.staleness().orElse(0) : 0;
        if (bound <= now) {
            return Optional.empty();
        }
        List<KnobSetting> settings = new ArrayList<>();
        if (!sync.mode().get().equals("ssp")) {
            settings.add(KnobSetting.job(Knob.SYNC_MODE, "ssp"));
        }
        settings.add(KnobSetting.job(Knob.STALENESS, bound));
        double before = job.stepTimeMs();
        double after = Math.min(before, Median.of(job.workers().values().stream()
                .mapToDouble(WorkerObservation::ownStepMs).toArray()));
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put(trigger.workerId() + ".slowdown", Math.round(ratio * 100) / 100.0);
        evidence.put("step_time_ms", Math.round(before * 10) / 10.0);
        String why = String.format(Locale.ROOT, "%s is %.2fx slower (cause %s, episode %s)%s; SSP bound %d lets the "
                        + "others run ahead", trigger.workerId(), ratio, trigger.cause(), trigger.id(),
                StragglerRebalancing.COMPUTE_SIDE.contains(trigger.cause()) ? " and rebalancing did not pay off"
                        : ", which rebalancing cannot help", bound);
        return Optional.of(new Proposal(NAME, Rung.STALENESS, settings, why, evidence,
                new ExpectedEffect(before, after), Optional.of(trigger.workerId())));
    }

    private Optional<Proposal> restore(JobObservation job, SyncState baseline, long healthyMs) {
        List<KnobSetting> settings = new ArrayList<>();
        settings.add(KnobSetting.job(Knob.SYNC_MODE, baseline.mode().orElse("bsp")));
        settings.add(KnobSetting.job(Knob.STALENESS, baseline.staleness().orElse(0)));
        String why = String.format(Locale.ROOT, "no straggler for %.0f s: synchronisation back to the job's own "
                + "(%s, staleness %d)", healthyMs / 1000.0, baseline.mode().orElse("bsp"),
                baseline.staleness().orElse(0));
        return Optional.of(new Proposal(NAME, Rung.STALENESS, settings, why,
                Map.of("step_time_ms", Math.round(job.stepTimeMs() * 10) / 10.0),
                new ExpectedEffect(job.stepTimeMs(), job.stepTimeMs()), Optional.empty()));
    }
}

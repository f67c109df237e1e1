package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.core.control.ExpectedEffect;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Goodput batch tuning, in the manner of Pollux: choose the global batch {@code M} that maximises goodput =
 * throughput x statistical efficiency, for a healthy synchronous job that reports its gradient noise scale
 * {@code phi} (a {@code job.stats} event). A step of batch {@code M} makes progress in proportion to
 * {@code M / (phi + M)}; the step time at {@code M} is predicted from the job's own measurements: the workers'
 * compute speeds (samples per second, summed) for the compute part, split in proportion to speed, and the rest of
 * the step (communication, synchronisation) as it is now. Candidates are the current batch times {@code 2^(k/2)},
 * {@code k = -2..2}, within the bounds (per-worker batch limits times the workers, and the largest change per
 * action); a change is proposed only when the predicted gain in progress per second is at least {@code minGain}.
 * The job's learning-rate scaling rule ({@code lr_scaling}) follows the new global batch; the policy does not set
 * it. Off by default ({@code controller.policies}): it changes healthy jobs.
 */
public final class GoodputTuning implements Policy {
    public static final String NAME = "goodput";
    private static final double[] FACTORS = {0.5, Math.sqrt(0.5), Math.sqrt(2), 2};

    private final Bounds bounds;
    private final double minGain;

    public GoodputTuning(Bounds bounds, double minGain) {
        this.bounds = bounds;
        this.minGain = minGain;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Rung rung() {
        return Rung.GOODPUT;
    }

    @Override
    public Optional<Proposal> propose(JobObservation job, JobControl control) {
        if (job.gradNoiseScale().isEmpty() || !job.episodes().isEmpty() || !job.sync().synchronous()
                || !control.baselineBatches().isEmpty() || control.baselineSync().isPresent()) {
            return Optional.empty();
        }
        double phi = job.gradNoiseScale().getAsDouble();
        int n = job.workers().size();
        int now = job.globalBatch();
        double samplesPerSec = 0;
        double slowestMs = 0;
        for (WorkerObservation w : job.workers().values()) {
            samplesPerSec += w.samplesPerSec();
            slowestMs = Math.max(slowestMs, 1000.0 * w.batch() / w.samplesPerSec());
        }
        double restMs = Math.max(0, job.stepTimeMs() - slowestMs);
        long lowest = Math.max((long) n * bounds.minBatch(), (long) Math.ceil(now * (1 - bounds.maxChange())));
        long highest = Math.min((long) n * bounds.maxBatch(), (long) Math.floor(now / (1 - bounds.maxChange())));
        int best = now;
        ExpectedEffect bestEffect = null;
        for (double f : FACTORS) {
            int m = (int) Math.max(lowest, Math.min(highest, Math.round(now * f)));
            if (m == now || m > Knob.GLOBAL_BATCH_SIZE.max()) {
                continue;
            }
            ExpectedEffect e = new ExpectedEffect(job.stepTimeMs(), restMs + 1000.0 * m / samplesPerSec,
                    work(m, phi) / work(now, phi));
            if (bestEffect == null || e.gain() > bestEffect.gain()) {
                best = m;
                bestEffect = e;
            }
        }
        if (bestEffect == null || bestEffect.gain() < minGain) {
            return Optional.empty();
        }
        Map<String, Double> evidence = new LinkedHashMap<>();
        evidence.put("grad_noise_scale", Math.round(phi * 10) / 10.0);
        evidence.put("samples_per_s", Math.round(samplesPerSec * 10) / 10.0);
        evidence.put("step_time_ms", Math.round(job.stepTimeMs() * 10) / 10.0);
        String why = String.format(Locale.ROOT, "goodput: at gradient noise scale %.0f and %.0f samples/s of "
                        + "compute, global batch %d makes %+.0f%% more training progress per second than %d",
                phi, samplesPerSec, best, 100 * bestEffect.gain(), now);
        return Optional.of(new Proposal(NAME, Rung.GOODPUT, List.of(KnobSetting.job(Knob.GLOBAL_BATCH_SIZE,
                best)), why, evidence, bestEffect, Optional.empty()));
    }

    /** Progress per step of batch {@code m}, up to a constant: {@code m / (phi + m)}. */
    static double work(double m, double phi) {
        return m / (phi + m);
    }
}

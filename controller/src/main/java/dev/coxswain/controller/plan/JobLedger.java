package dev.coxswain.controller.plan;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.SyncState;
import dev.coxswain.controller.observe.WorkerObservation;
import dev.coxswain.controller.policy.JobControl;
import dev.coxswain.controller.policy.Rung;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The controller's memory of one job: the state it started from before the controller changed it, the rungs that
 * failed, when it last acted and since when the job is healthy. Not thread-safe: the controller's thread owns it.
 */
public final class JobLedger {
    private final Map<String, Integer> baselineBatches = new HashMap<>();
    private Optional<SyncState> baselineSync = Optional.empty();
    private final EnumSet<Rung> failed = EnumSet.noneOf(Rung.class);
    private Instant lastActionAt = Instant.EPOCH;
    private Instant healthySince;
    private final Map<String, Instant> blockedUntil = new HashMap<>();

    /** Updates the health clock from an observation. */
    public void observe(JobObservation job) {
        if (!job.episodes().isEmpty()) {
            healthySince = null;
        } else if (healthySince == null) {
            healthySince = job.at();
        }
    }

    /** The view the policies get. */
    public JobControl control(Instant now) {
        long healthyMs = healthySince == null ? 0 : Math.max(0, Duration.between(healthySince, now).toMillis());
        return new JobControl(baselineBatches, baselineSync, failed.isEmpty() ? EnumSet.noneOf(Rung.class) : failed,
                healthyMs);
    }

    public Instant lastActionAt() {
        return lastActionAt;
    }

    /** Notes a dry-run action, so that advice is rate-limited like action. */
    public void advised(Instant at) {
        lastActionAt = at;
    }

    /**
     * Notes an action about to go out, remembering the state before the first change of each kind so that it can
     * be restored; an action that brings everything back to that state clears it.
     */
    public void acted(Action action, JobObservation before, Instant at) {
        lastActionAt = at;
        for (KnobSetting s : action.settings()) {
            if (s.knob() == Knob.BATCH_SIZE && baselineBatches.isEmpty()) {
                before.workers().values().forEach(w -> baselineBatches.put(w.worker(), w.batch()));
            } else if ((s.knob() == Knob.STALENESS || s.knob() == Knob.SYNC_MODE) && baselineSync.isEmpty()) {
                baselineSync = Optional.of(before.sync());
            }
        }
    }

    /**
     * Replays one action of the audit log (a controller taking the job over): its time counts for the rate limit, the
     * values it replaced become the baseline if none is known, and a rejected or rolled-back one marks its rung.
     */
    public void replayed(Action action, Optional<ActionOutcome.Status> status, Optional<Rung> rung, Duration backoff) {
        if (action.issuedAt().isAfter(lastActionAt)) {
            lastActionAt = action.issuedAt();
        }
        if (status.filter(s -> s == ActionOutcome.Status.REJECTED || s == ActionOutcome.Status.ROLLED_BACK)
                .isPresent()) {
            rung.ifPresent(r -> failed(r, action.policy(), action.issuedAt(), backoff));
            return;
        }
        if (action.revertOf().isPresent()) {
            return;
        }
        Optional<String> mode = Optional.empty();
        OptionalInt staleness = OptionalInt.empty();
        boolean sync = false;
        for (KnobSetting p : action.previous()) {
            switch (p.knob()) {
                case BATCH_SIZE -> p.worker().ifPresent(w -> baselineBatches.putIfAbsent(w, p.intValue()));
                case SYNC_MODE -> {
                    mode = Optional.of((String) p.value());
                    sync = true;
                }
                case STALENESS -> {
                    staleness = OptionalInt.of(p.intValue());
                    sync = true;
                }
                default -> { }
            }
        }
        if (sync && baselineSync.isEmpty()) {
            baselineSync = Optional.of(new SyncState(mode, staleness));
        }
    }

    /** After an action took effect: forgets a baseline that the job is back at. */
    public void settled(JobObservation now) {
        if (!baselineBatches.isEmpty() && now.workers().values().stream()
                .allMatch(w -> Integer.valueOf(w.batch()).equals(baselineBatches.get(w.worker())))) {
            baselineBatches.clear();
        }
        if (baselineSync.isPresent() && baselineSync.get().equals(now.sync())) {
            baselineSync = Optional.empty();
        }
    }

    /** A rung's action was rejected or rolled back: its policy proposes nothing for {@code backoff}. */
    public void failed(Rung rung, String policy, Instant at, Duration backoff) {
        failed.add(rung);
        blockedUntil.put(policy, at.plus(backoff));
    }

    /** Whether the policy is backing off after a failure. */
    public boolean blocked(String policy, Instant now) {
        Instant until = blockedUntil.get(policy);
        return until != null && now.isBefore(until);
    }

    public void succeeded(Rung rung) {
        failed.remove(rung);
    }

    /**
     * The values an action replaces, for taking it back: each named worker's batch and node, the job's
     * synchronisation.
     */
    public static Optional<KnobSetting> previous(KnobSetting s, JobObservation before) {
        return switch (s.knob()) {
            case BATCH_SIZE -> s.worker().map(before.workers()::get).map(WorkerObservation::batch)
                    .map(b -> KnobSetting.worker(s.worker().get(), Knob.BATCH_SIZE, b));
            case NODE -> s.worker().map(before.workers()::get).flatMap(WorkerObservation::node)
                    .map(n -> KnobSetting.worker(s.worker().get(), Knob.NODE, n));
            case SYNC_MODE -> before.sync().mode().map(m -> KnobSetting.job(Knob.SYNC_MODE, m));
            case STALENESS -> before.sync().staleness().isPresent()
                    ? Optional.of(KnobSetting.job(Knob.STALENESS, before.sync().staleness().getAsInt()))
                    : Optional.empty();
            default -> Optional.empty();
        };
    }
}

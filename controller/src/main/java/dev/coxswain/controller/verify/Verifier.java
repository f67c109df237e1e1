package dev.coxswain.controller.verify;

import dev.coxswain.controller.observe.Observer;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionOutcome.Status;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.snapshot.JobView;
import dev.coxswain.snapshot.StepPoint;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Follows one action that was sent to a job until it ends: applied once every setting it names is reported
 * {@code knob.applied} by the job with the action's id (its events), rejected when the job reports
 * {@code knob.rejected} for it or its deadline passes first, then verified or rolled back once
 * {@code verifySteps} steps have been measured after it took effect: rolled back when the time per unit of
 * progress (the step time over the expected progress ratio, {@link dev.coxswain.core.control.ExpectedEffect}) is more
 * than {@code rollbackAbove} above the step time before it. Not thread-safe: the controller's thread owns it.
 */
public final class Verifier {
    /** Steps just after the change are skipped: a synchronous round in progress still ran on the old plan. */
    private static final int SETTLE_STEPS = 2;

    private final Action action;
    private final double beforeMs;
    private final int verifySteps;
    private final double rollbackAbove;
    private final Set<String> pending = new HashSet<>();
    private long appliedStep = -1;
    private final boolean resumedApplied;
    private boolean done;

    public Verifier(Action action, double beforeMs, int verifySteps, double rollbackAbove) {
        this(action, beforeMs, verifySteps, rollbackAbove, false);
    }

    /**
     * @param applied the action is known to be applied already (a controller taking the job over read so in the
     *                audit log): it is measured from the job's latest step, and no applied outcome is recorded again
     */
    public Verifier(Action action, double beforeMs, int verifySteps, double rollbackAbove, boolean applied) {
        this.action = action;
        this.resumedApplied = applied;
        this.beforeMs = beforeMs;
        this.verifySteps = verifySteps;
        this.rollbackAbove = rollbackAbove;
        for (KnobSetting s : action.settings()) {
            pending.add(key(s.worker(), s.knob().wireName()));
        }
    }

    public Action action() {
        return action;
    }

    public boolean done() {
        return done;
    }

    /** The outcomes the job's latest view gives rise to, in order (at most applied, then a verdict). */
    public List<ActionOutcome> update(JobView job, Instant now) {
        List<ActionOutcome> out = new ArrayList<>();
        if (done) {
            return out;
        }
        if (appliedStep < 0 && resumedApplied) {
            appliedStep = lastStep(job);
        }
        if (appliedStep < 0) {
            for (JobEvent e : job.events()) {
                if (!action.id().equals(e.attributes().get("action"))) {
                    continue;
                }
                String knob = e.attributes().getOrDefault("knob", "");
                if (e.kind().equals("knob.rejected")) {
                    done = true;
                    out.add(outcome(Status.REJECTED, now, "the job refused " + e.workerId().map(w -> w + ".")
                            .orElse("") + knob + "=" + e.attributes().getOrDefault("value", "?") + ": "
                            + e.attributes().getOrDefault("reason", "no reason given"), OptionalDouble.empty()));
                    return out;
                }
                if (e.kind().equals("knob.applied")) {
                    pending.remove(key(e.workerId(), knob));
                    pending.remove(key(Optional.empty(), knob));
                }
            }
            if (!pending.isEmpty()) {
                if (now.isAfter(action.deadline())) {
                    done = true;
                    out.add(outcome(Status.REJECTED, now, "not applied by the deadline " + action.deadline()
                            + " (waiting for " + String.join(", ", pending) + ")", OptionalDouble.empty()));
                }
                return out;
            }
            appliedStep = lastStep(job);
            out.add(outcome(Status.APPLIED, now, "applied by the job at step " + appliedStep, OptionalDouble.empty()));
        }
        if (action.revertOf().isPresent()) {
            done = true;
            out.add(outcome(Status.VERIFIED, now, "rollback applied", OptionalDouble.empty()));
            return out;
        }
        OptionalDouble measured = Observer.stepTimeAfter(job, appliedStep + SETTLE_STEPS, verifySteps);
        if (measured.isEmpty()) {
            return out;
        }
        done = true;
        double m = measured.getAsDouble();
        double work = action.expected().workRatio();
        String effect = String.format(Locale.ROOT, "step %.1f ms over %d steps: before %.1f ms, expected %.1f ms%s "
                        + "(%+.0f%% measured, %+.0f%% expected)", m, verifySteps, beforeMs,
                action.expected().stepTimeMsAfter(), work == 1 ? "" : String.format(Locale.ROOT,
                        ", progress per step x%.3f", work), 100 * (beforeMs * work / m - 1),
                100 * action.expected().gain());
        if (m / work > beforeMs * (1 + rollbackAbove)) {
            out.add(outcome(Status.ROLLED_BACK, now, "worse by more than " + Math.round(100 * rollbackAbove)
                    + "%: " + effect, OptionalDouble.of(m)));
        } else {
            out.add(outcome(Status.VERIFIED, now, effect, OptionalDouble.of(m)));
        }
        return out;
    }

    private ActionOutcome outcome(Status status, Instant at, String detail, OptionalDouble measured) {
        return new ActionOutcome(action.id(), action.job(), status, at, detail, measured);
    }

    private static long lastStep(JobView job) {
        long max = -1;
        for (List<StepPoint> points : job.workers().values()) {
            if (!points.isEmpty()) {
                max = Math.max(max, points.getLast().step());
            }
        }
        return max;
    }

    private static String key(Optional<String> worker, String knob) {
        return worker.map(w -> w + ".").orElse("") + knob;
    }
}

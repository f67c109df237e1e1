package dev.coxswain.core.control;

import dev.coxswain.core.telemetry.Check;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * What became of an action: each step of its life is one outcome on the audit log.
 *
 * @param detail             in words: the job's rejection reason, the measured effect, why it was rolled back
 * @param measuredStepTimeMs the job's step time measured after the action took effect (for verified and rolled-back
 *                           actions)
 */
public record ActionOutcome(String actionId, String job, Status status, Instant at, String detail,
                            OptionalDouble measuredStepTimeMs) implements ControlRecord {

    /** The stages of an action's life. */
    public enum Status {
        /** Computed and published but not applied: the job is in advise (dry-run) mode. */
        ADVISED,
        /** The job took every setting of the action (each worker reported {@code knob.applied}). */
        APPLIED,
        /** Refused: by the controller's bounds, by an agent, by the job, or not applied by its deadline. */
        REJECTED,
        /** Measured after it took effect and found to pay off. */
        VERIFIED,
        /** Measured after it took effect, found to make things worse, and taken back. */
        ROLLED_BACK;

        /** The lower-case name used on the wire and in metrics, e.g. {@code rolled_back}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether nothing follows this stage. */
        public boolean last() {
            return this != APPLIED;
        }
    }

    private static final int MAX_DETAIL = 1000;

    public ActionOutcome {
        if (actionId == null || !Check.isIdentifier(actionId)) {
            throw new InvalidActionException("ActionOutcome.actionId", "'" + actionId + "' is not an identifier");
        }
        if (job == null || !Check.isIdentifier(job)) {
            throw new InvalidActionException("ActionOutcome.job", "'" + job + "' is not an identifier");
        }
        Objects.requireNonNull(status, "ActionOutcome.status");
        Objects.requireNonNull(at, "ActionOutcome.at");
        if (detail == null || detail.length() > MAX_DETAIL) {
            throw new InvalidActionException("ActionOutcome.detail", "must be at most " + MAX_DETAIL + " characters");
        }
        Objects.requireNonNull(measuredStepTimeMs, "ActionOutcome.measuredStepTimeMs");
        if (measuredStepTimeMs.isPresent() && !(measuredStepTimeMs.getAsDouble() > 0
                && Double.isFinite(measuredStepTimeMs.getAsDouble()))) {
            throw new InvalidActionException("ActionOutcome.measuredStepTimeMs",
                    measuredStepTimeMs.getAsDouble() + " is not above 0");
        }
    }

    public static ActionOutcome of(Action action, Status status, Instant at, String detail) {
        return new ActionOutcome(action.id(), action.job(), status, at, detail, OptionalDouble.empty());
    }
}

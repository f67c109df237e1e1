package dev.coxswain.core.control;

import dev.coxswain.core.knob.InvalidKnobValueException;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.Check;

import java.util.Objects;
import java.util.Optional;

/**
 * One knob value an action sets: for one worker, or job-wide when {@code worker} is empty. A job-scoped knob
 * ({@link Knob.Scope#JOB}) cannot name a worker. The value is checked by the knob and held in its canonical form.
 */
public record KnobSetting(Optional<String> worker, Knob knob, Object value) {

    public KnobSetting {
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(knob, "knob");
        worker.ifPresent(w -> {
            if (!Check.isIdentifier(w)) {
                throw new InvalidActionException("worker", "'" + w + "' is not an identifier");
            }
        });
        if (worker.isPresent() && knob.scope() == Knob.Scope.JOB) {
            throw new InvalidActionException(knob.wireName(), "is set for the whole job, not for worker "
                    + worker.get());
        }
        try {
            value = knob.check(value);
        } catch (InvalidKnobValueException e) {
            throw new InvalidActionException(knob.wireName(), e.problem());
        }
    }

    public static KnobSetting worker(String worker, Knob knob, Object value) {
        return new KnobSetting(Optional.of(worker), knob, value);
    }

    public static KnobSetting job(Knob knob, Object value) {
        return new KnobSetting(Optional.empty(), knob, value);
    }

    /** The value of an integer knob. */
    public int intValue() {
        return (Integer) value;
    }

    @Override
    public String toString() {
        return worker.map(w -> w + ".").orElse("") + knob.wireName() + "=" + value;
    }
}

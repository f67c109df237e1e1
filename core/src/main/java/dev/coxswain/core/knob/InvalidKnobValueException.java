package dev.coxswain.core.knob;

import dev.coxswain.core.CoxswainException;

/** A knob value outside its {@link Knob}'s type or limits; the message names the knob: {@code batch_size: ...}. */
public final class InvalidKnobValueException extends CoxswainException {
    private final String knob;

    public InvalidKnobValueException(String knob, String problem) {
        super(knob + ": " + problem);
        this.knob = knob;
    }

    /** The knob's wire name. */
    public String knob() {
        return knob;
    }

    /** The problem without the knob's name. */
    public String problem() {
        return getMessage().substring(knob.length() + 2);
    }
}

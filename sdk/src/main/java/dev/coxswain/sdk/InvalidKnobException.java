package dev.coxswain.sdk;

import dev.coxswain.core.CoxswainException;

/** A knob set was malformed: an unknown field or a bad value. {@link #field()} names it as on the wire. */
public final class InvalidKnobException extends CoxswainException {
    private final String field;

    public InvalidKnobException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}

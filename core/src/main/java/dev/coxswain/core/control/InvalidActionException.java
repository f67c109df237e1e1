package dev.coxswain.core.control;

import dev.coxswain.core.CoxswainException;

/** A control record with a bad field; the message names it: {@code Action.settings[1].batch_size: 0 is ...}. */
public final class InvalidActionException extends CoxswainException {
    public InvalidActionException(String field, String problem) {
        super(field + ": " + problem);
    }
}

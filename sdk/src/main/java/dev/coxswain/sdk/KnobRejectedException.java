package dev.coxswain.sdk;

import dev.coxswain.core.CoxswainException;

/**
 * The agent refused a knob change (HTTP 4xx); {@link #getMessage()} carries the agent's own explanation, which names
 * the field. The job keeps its current knobs.
 */
public final class KnobRejectedException extends CoxswainException {
    private final int status;

    public KnobRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the agent answered with. */
    public int status() {
        return status;
    }
}

package dev.coxswain.sdk;

/**
 * The knobs in force for one worker after a change: the job-wide knobs merged with the worker's own.
 *
 * @param version the job's knob version; it grows by one per accepted change
 */
public record KnobUpdate(long version, Knobs knobs) {
    public KnobUpdate {
        if (version < 0) {
            throw new IllegalArgumentException("KnobUpdate.version: " + version + " is negative");
        }
        if (knobs == null) {
            throw new IllegalArgumentException("KnobUpdate.knobs: missing");
        }
    }
}

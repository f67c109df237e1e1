package dev.coxswain.sdk;

import java.util.Optional;

/**
 * The knobs in force for one worker after a change: the job-wide knobs merged with the worker's own.
 *
 * @param version the job's knob version; it grows by one per accepted change
 * @param action  the controller action that made this version, if one did: report it back on {@code knob.applied}
 *                and {@code knob.rejected} events (attribute {@code action}) so the controller can follow it
 */
public record KnobUpdate(long version, Knobs knobs, Optional<String> action) {
    public KnobUpdate {
        if (version < 0) {
            throw new IllegalArgumentException("KnobUpdate.version: " + version + " is negative");
        }
        if (knobs == null) {
            throw new IllegalArgumentException("KnobUpdate.knobs: missing");
        }
        if (action == null) {
            throw new IllegalArgumentException("KnobUpdate.action: missing (use Optional.empty())");
        }
    }

    /** An update that no controller action made. */
    public KnobUpdate(long version, Knobs knobs) {
        this(version, knobs, Optional.empty());
    }
}

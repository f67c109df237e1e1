package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.cause.Cause;

import java.util.Objects;

/**
 * The generator's ground truth for one worker at one step.
 *
 * @param cause    why the worker is slow, {@link Cause#NONE} when it is not
 * @param slowdown the worker's noise-free step time over the job's noise-free healthy step time
 */
public record Truth(Cause cause, double slowdown) {
    public Truth {
        Objects.requireNonNull(cause, "cause");
        if (!(slowdown > 0)) {
            throw new IllegalArgumentException("slowdown must be positive, got " + slowdown);
        }
    }

    public static final Truth HEALTHY = new Truth(Cause.NONE, 1.0);
}

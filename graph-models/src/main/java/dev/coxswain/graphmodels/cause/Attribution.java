package dev.coxswain.graphmodels.cause;

import java.util.Objects;

/**
 * A cause with the attributor's confidence in it, in [0, 1].
 */
public record Attribution(Cause cause, double confidence) {
    public Attribution {
        Objects.requireNonNull(cause, "cause");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be in [0, 1], got " + confidence);
        }
    }
}

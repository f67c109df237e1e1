package dev.coxswain.trainer.coord;

import java.time.Instant;

/** The injected compute slowdown of a worker at a moment (1 = none); the fault injector's side of a grant. */
@FunctionalInterface
public interface SlowdownSource {
    double factor(int worker, Instant now);

    SlowdownSource NONE = (w, t) -> 1.0;
}

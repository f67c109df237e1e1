package dev.coxswain.trainer.coord;

import java.time.Instant;

/** The injected faults a worker's compute suffers at a moment: the fault injector's side of a grant. */
public interface FaultSource {
    /** The compute slowdown factor (1 = none). */
    double slowdown(int worker, Instant now);

    /** How long each step waits for its batch, in ms (0 = no stall). */
    double inputStallMs(int worker, Instant now);

    FaultSource NONE = new FaultSource() {
        @Override
        public double slowdown(int worker, Instant now) {
            return 1.0;
        }

        @Override
        public double inputStallMs(int worker, Instant now) {
            return 0;
        }
    };
}

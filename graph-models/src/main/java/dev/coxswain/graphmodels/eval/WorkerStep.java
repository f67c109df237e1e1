package dev.coxswain.graphmodels.eval;

import java.util.Objects;

/** One worker at one step: the unit that labels and flags are given for. */
public record WorkerStep(String workerId, long step) {
    public WorkerStep {
        Objects.requireNonNull(workerId, "workerId");
    }
}

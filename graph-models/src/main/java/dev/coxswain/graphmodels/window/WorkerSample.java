package dev.coxswain.graphmodels.window;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One step of one worker as the detector sees it.
 *
 * @param step       the training step (iteration) number; samples of one job are aligned by it
 * @param ownStepMs  the worker's own time for the step, excluding time spent waiting for slower peers at the
 *                   synchronisation barrier (otherwise every worker of a synchronous job shows the same time)
 * @param timestamp  when the step ended, when the source knows it
 * @param signals    the optional telemetry of the step
 */
public record WorkerSample(long step, double ownStepMs, Optional<Instant> timestamp, Signals signals) {

    public WorkerSample {
        if (step < 0) {
            throw new IllegalArgumentException("step must not be negative, got " + step);
        }
        if (!Double.isFinite(ownStepMs) || ownStepMs <= 0) {
            throw new IllegalArgumentException("ownStepMs must be a positive number, got " + ownStepMs);
        }
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(signals, "signals");
    }

    /** A sample with a step time only. */
    public static WorkerSample of(long step, double ownStepMs) {
        return new WorkerSample(step, ownStepMs, Optional.empty(), Signals.none());
    }

    /** A sample with a step time and telemetry. */
    public static WorkerSample of(long step, double ownStepMs, Signals signals) {
        return new WorkerSample(step, ownStepMs, Optional.empty(), signals);
    }
}

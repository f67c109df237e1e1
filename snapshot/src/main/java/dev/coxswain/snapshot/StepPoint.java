package dev.coxswain.snapshot;

import java.time.Instant;

/**
 * One step of one worker as kept in the collector's window: the fields the dashboard and detectors use.
 *
 * @param waitMs  time blocked at the barrier waiting for slower peers
 * @param inputMs time loading the step's input: the reported data time, or the part of the step the other phases
 *                leave ({@link dev.coxswain.core.telemetry.StepReport#inputMs()})
 */
public record StepPoint(long step, Instant timestamp, double stepTimeMs, double computeMs, double commMs,
                        double waitMs, int batchSize, double inputMs) {
    /** A step whose input time is what the other phases leave of it. */
    public StepPoint(long step, Instant timestamp, double stepTimeMs, double computeMs, double commMs, double waitMs,
                     int batchSize) {
        this(step, timestamp, stepTimeMs, computeMs, commMs, waitMs, batchSize,
                Math.max(0, stepTimeMs - computeMs - commMs - waitMs));
    }
}

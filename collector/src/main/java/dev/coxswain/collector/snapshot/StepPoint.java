package dev.coxswain.collector.snapshot;

import java.time.Instant;

/** One step of one worker as kept in the collector's window: the fields the dashboard and detectors use. */
public record StepPoint(long step, Instant timestamp, double stepTimeMs, double computeMs, double commMs,
                        double waitMs, int batchSize) {
}

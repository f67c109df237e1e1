package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.Cause;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A confirmed straggler: what the controller, the Kafka detections topic and the dashboard's straggler panel get.
 *
 * @param slowdown  the worker's rolling step-time level over the job's ideal level (1.3 = 30% slower)
 * @param score     the detector's evidence in [0.5, 1] (see {@link WorkerVerdict#score()})
 * @param sinceStep the step at which the episode was confirmed
 * @param since     when that step ended, if the input carried timestamps
 */
public record Detection(String jobId, String workerId, double slowdown, Cause cause, double confidence, double score,
                        long sinceStep, Optional<Instant> since) {
    public Detection {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(cause, "cause");
        Objects.requireNonNull(since, "since");
        if (cause == Cause.NONE) {
            throw new IllegalArgumentException("a detection needs a cause other than NONE");
        }
        if (!(slowdown > 0)) {
            throw new IllegalArgumentException("slowdown must be positive, got " + slowdown);
        }
    }
}

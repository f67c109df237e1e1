package dev.coxswain.graphmodels.detect;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link StragglerDetector} says about a job after a window update.
 *
 * @param step           the last step processed; -1 when none has been processed yet
 * @param stepsProcessed steps processed by this update (0 when the window brought nothing new or complete)
 * @param idealLevel     the fast group's level at {@code step}; NaN before the first step
 * @param jobSlowdown    S = actual / ideal step time at {@code step}; NaN before the first step
 * @param detections     the confirmed stragglers at {@code step}
 */
public record JobAssessment(String jobId, long step, int stepsProcessed, double idealLevel, double jobSlowdown,
                            List<Detection> detections) {
    public JobAssessment {
        Objects.requireNonNull(jobId, "jobId");
        detections = List.copyOf(detections);
    }

    static JobAssessment of(TickAssessment tick, int stepsProcessed) {
        return new JobAssessment(tick.jobId(), tick.step(), stepsProcessed, tick.idealLevel(), tick.jobSlowdown(),
                tick.detections());
    }

    static JobAssessment nothingYet(String jobId) {
        return new JobAssessment(jobId, -1, 0, Double.NaN, Double.NaN, List.of());
    }
}

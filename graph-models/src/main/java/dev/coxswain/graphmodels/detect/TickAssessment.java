package dev.coxswain.graphmodels.detect;

import java.util.List;
import java.util.Objects;

/**
 * The detector's view of a job after one step.
 *
 * @param idealLevel  the fast group's step-time level: what the step would take without stragglers
 * @param threshold   the slowdown ratio at or above which a worker was slow at this step
 * @param jobSlowdown S = actual step time / ideal step time, the actual being the slowest worker's level (in
 *                    synchronous training the slowest worker sets the pace)
 * @param verdicts    one per worker that reported this step, dated to the step it decides: this step, or with a
 *                    decision delay the step that many samples earlier (none while a worker has fewer samples)
 */
public record TickAssessment(String jobId, long step, double idealLevel, double threshold, double jobSlowdown,
                             List<WorkerVerdict> verdicts) {
    public TickAssessment {
        Objects.requireNonNull(jobId, "jobId");
        verdicts = List.copyOf(verdicts);
    }

    /** The confirmed stragglers at this step. */
    public List<Detection> detections() {
        return verdicts.stream().filter(WorkerVerdict::straggler)
                .map(v -> new Detection(jobId, v.workerId(), v.ratio(), v.cause(), v.attribution().confidence(),
                        v.score(), v.sinceStep().orElse(step), v.since()))
                .toList();
    }
}

package dev.coxswain.graphmodels.features;

import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.List;
import java.util.Objects;

/**
 * One worker as the detector sees it at one step: its recent samples and what the detector concluded.
 *
 * @param recent         the worker's latest samples, oldest first (the detector's window)
 * @param level          the rolling step-time level (median of {@code recent})
 * @param ratio          level over the job's fast-group level
 * @param slow           whether the ratio is at or above the detector's threshold
 * @param slowSinceStart whether the worker has been slow at every step since its first confirmable one
 */
public record WorkerView(String workerId, WorkerLocation placement, List<WorkerSample> recent, double level,
                         double ratio, boolean slow, boolean slowSinceStart) {
    public WorkerView {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(placement, "placement");
        recent = List.copyOf(recent);
        if (recent.isEmpty()) {
            throw new IllegalArgumentException("worker " + workerId + " has no recent samples");
        }
    }
}

package dev.coxswain.graphmodels.window;

import java.util.List;
import java.util.Objects;

/**
 * The recent samples of one worker, oldest first, with strictly increasing steps.
 */
public record WorkerSeries(String workerId, WorkerLocation placement, List<WorkerSample> samples) {

    public WorkerSeries {
        if (workerId == null || workerId.isBlank()) {
            throw new IllegalArgumentException("workerId must not be blank");
        }
        Objects.requireNonNull(placement, "placement");
        samples = List.copyOf(samples);
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).step() <= samples.get(i - 1).step()) {
                throw new IllegalArgumentException("worker " + workerId + ": steps must increase, got "
                        + samples.get(i - 1).step() + " then " + samples.get(i).step());
            }
        }
    }
}

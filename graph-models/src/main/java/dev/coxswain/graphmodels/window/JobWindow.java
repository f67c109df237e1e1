package dev.coxswain.graphmodels.window;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The input of a straggler detector for one job: each worker's recent samples. A live source (the collector's
 * snapshot) passes the same job again and again with the window moved on; an offline source passes it once.
 */
public record JobWindow(String jobId, List<WorkerSeries> workers) {

    public JobWindow {
        if (jobId == null || jobId.isBlank()) {
            throw new IllegalArgumentException("jobId must not be blank");
        }
        workers = List.copyOf(workers);
        Set<String> seen = new HashSet<>();
        for (WorkerSeries w : workers) {
            if (!seen.add(w.workerId())) {
                throw new IllegalArgumentException("job " + jobId + ": worker " + w.workerId() + " appears twice");
            }
        }
    }
}

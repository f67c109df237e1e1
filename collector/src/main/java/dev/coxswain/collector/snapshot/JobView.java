package dev.coxswain.collector.snapshot;

import dev.coxswain.core.telemetry.JobMembership;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One job as of a snapshot: its membership (when known), each worker's recent steps, and the flows of its
 * collective pattern as routed over the physical links.
 *
 * @param workers     worker id to its most recent steps, oldest first
 * @param meanStepMs  the mean step time over the workers' recent steps, or NaN when there are none yet
 * @param flows       the job's flows with their current rates; empty until membership and topology are known
 */
public record JobView(String jobId, Optional<JobMembership> membership, Map<String, List<StepPoint>> workers,
                      double meanStepMs, List<Flow> flows) {
    public JobView {
        workers = Map.copyOf(workers);
        flows = List.copyOf(flows);
    }
}

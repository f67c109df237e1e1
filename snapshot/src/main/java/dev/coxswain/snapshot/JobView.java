package dev.coxswain.snapshot;

import dev.coxswain.core.telemetry.JobEvent;
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
 * @param events      the job's most recent events (knob changes applied or rejected, injections, moves), oldest
 *                    first, at most {@link #MAX_EVENTS}
 */
public record JobView(String jobId, Optional<JobMembership> membership, Map<String, List<StepPoint>> workers,
                      double meanStepMs, List<Flow> flows, List<JobEvent> events) {
    /** The most events a view keeps. */
    public static final int MAX_EVENTS = 256;

    public JobView {
        workers = Map.copyOf(workers);
        flows = List.copyOf(flows);
        events = List.copyOf(events);
    }

    /**
     * Whether the job said it ended: its last job-level start or end event among {@link #events} is
     * {@link JobEvent#JOB_END}.
     */
    public boolean ended() {
        for (int i = events.size() - 1; i >= 0; i--) {
            JobEvent e = events.get(i);
            if (e.workerId().isEmpty() && (e.kind().equals(JobEvent.JOB_END) || e.kind().equals(JobEvent.JOB_START))) {
                return e.kind().equals(JobEvent.JOB_END);
            }
        }
        return false;
    }

    /** A view without events. */
    public JobView(String jobId, Optional<JobMembership> membership, Map<String, List<StepPoint>> workers,
                   double meanStepMs, List<Flow> flows) {
        this(jobId, membership, workers, meanStepMs, flows, List.of());
    }
}

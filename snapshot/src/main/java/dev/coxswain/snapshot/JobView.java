package dev.coxswain.snapshot;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
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
    /**
     * A job not heard of for this long, and for {@link #STOPPED_STEPS} of its steps, has stopped, whether or not it
     * said it ended (a job that crashed never does).
     */
    public static final Duration STOPPED_AFTER = Duration.ofSeconds(30);
    public static final int STOPPED_STEPS = 10;

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

    /** When it was last heard of: its newest step, else when it announced its members; empty when neither. */
    public Optional<Instant> lastHeard() {
        Optional<Instant> newest = workers.values().stream().filter(s -> !s.isEmpty())
                .map(s -> s.getLast().timestamp()).max(Comparator.naturalOrder());
        return newest.or(() -> membership.map(JobMembership::timestamp));
    }

    /**
     * Why it no longer runs at {@code at}: it said it ended, or was last heard of over {@link #STOPPED_AFTER} and
     * {@link #STOPPED_STEPS} of its steps before; empty while it runs. The same words at every later {@code at}, so
     * that those who log it can log it once.
     */
    public Optional<String> stoppedBy(Instant at) {
        if (ended()) {
            return Optional.of("it ended");
        }
        Optional<Instant> heard = lastHeard();
        Duration quiet = Double.isFinite(meanStepMs) && meanStepMs * STOPPED_STEPS > STOPPED_AFTER.toMillis()
                ? Duration.ofMillis((long) (meanStepMs * STOPPED_STEPS)) : STOPPED_AFTER;
        if (heard.isPresent() && heard.get().plus(quiet).isBefore(at)) {
            return Optional.of("not heard of since " + heard.get().truncatedTo(ChronoUnit.SECONDS)
                    + ": it has stopped");
        }
        return Optional.empty();
    }

    /** A view without events. */
    public JobView(String jobId, Optional<JobMembership> membership, Map<String, List<StepPoint>> workers,
                   double meanStepMs, List<Flow> flows) {
        this(jobId, membership, workers, meanStepMs, flows, List.of());
    }
}

package dev.coxswain.graphmodels.eval;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.graphmodels.cause.Cause;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One fault the reference trainer injected, as it recorded it: its {@code injection.start} and
 * {@code injection.end} job events. The ground truth of {@code coxswain bench causes} and of the labelled recordings
 * ({@link InjectionLabels}).
 *
 * @param fault the trainer's fault kind ({@code slowdown}, {@code latency}, {@code input}, ...)
 */
public record Injection(String worker, String fault, Instant start, Instant end) {

    /**
     * The cause a detector should name for this fault. A compute slowdown is {@link Cause#IMBALANCE} (the emulated
     * accelerator computes slower at full clock, and there is no GPU telemetry that could show throttling: a weaker
     * device); added link latency or a bandwidth cap on the worker's connections to the shards is
     * {@link Cause#NETWORK}; an input stall (the worker waits for its batch, as for a data loader that cannot keep
     * up) is {@link Cause#HOST_CONTENTION}.
     */
    public Cause expectedCause() {
        return switch (fault) {
            case "slowdown", "periodic" -> Cause.IMBALANCE;
            case "latency", "bandwidth" -> Cause.NETWORK;
            case "input" -> Cause.HOST_CONTENTION;
            default -> throw new IllegalArgumentException("no expected cause for fault '" + fault + "'");
        };
    }

    /** Whether {@code t} is in force: from the start, inclusive, to the end, exclusive. */
    boolean during(Instant t) {
        return !t.isBefore(start) && t.isBefore(end);
    }

    /**
     * The injections recorded in {@code events} (any job events; those not of kind {@code injection.*} are ignored):
     * each start paired with the next end of the same worker and fault, in time order. A start without an end (the
     * job stopped during it) is left out.
     */
    public static List<Injection> paired(List<JobEvent> events) {
        List<JobEvent> sorted = events.stream().filter(e -> e.kind().startsWith("injection."))
                .sorted(Comparator.comparing(JobEvent::timestamp)).toList();
        List<Injection> injections = new ArrayList<>();
        Map<String, JobEvent> open = new HashMap<>();
        for (JobEvent e : sorted) {
            String key = e.workerId().orElse("") + "/" + e.attributes().get("fault");
            if (e.kind().equals("injection.start")) {
                open.put(key, e);
            } else if (e.kind().equals("injection.end") && open.containsKey(key)) {
                JobEvent start = open.remove(key);
                injections.add(new Injection(start.workerId().orElse(""), start.attributes().get("fault"),
                        start.timestamp(), e.timestamp()));
            }
        }
        return injections;
    }
}

package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Something that happened to a job rather than a measurement of it: a fault injected (ground truth for evaluating
 * detectors), a knob changed, a worker restarted or moved. Attributes are free-form, sorted for stable encoding.
 *
 * @param workerId the worker it concerns, or empty for the whole job
 * @param kind     what happened, an identifier such as {@code injection.start} or {@code knob.applied}
 */
public record JobEvent(
        String jobId,
        Optional<String> workerId,
        Instant timestamp,
        String kind,
        Map<String, String> attributes) implements Telemetry {
    /** The kind of a job-level event that says the job started (again, under the same id). */
    public static final String JOB_START = "job.start";
    /** The kind of a job-level event that says the job ended. */
    public static final String JOB_END = "job.end";

    public JobEvent {
        Check.id("JobEvent.jobId", jobId);
        Check.present("JobEvent.workerId", workerId);
        workerId.ifPresent(w -> Check.id("JobEvent.workerId", w));
        timestamp = Check.time("JobEvent.timestamp", timestamp);
        Check.id("JobEvent.kind", kind);
        Check.present("JobEvent.attributes", attributes);
        if (attributes.size() > 64) {
            throw new InvalidTelemetryException("JobEvent.attributes", attributes.size() + " entries, more than 64");
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        attributes.forEach((k, v) -> {
            Check.id("JobEvent.attributes", k);
            sorted.put(k, Check.text("JobEvent.attributes." + k, v, 1024));
        });
        attributes = Collections.unmodifiableSortedMap(sorted);
    }

    @Override
    public Scope scope() {
        return Scope.JOB;
    }

    @Override
    public String key() {
        return jobId;
    }
}

package dev.coxswain.core.detection;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One straggler episode: a worker of a job confirmed slower than its peers, from the step at which the detector
 * confirmed it until it recovered or went away. Immutable; each change of an open episode is a new value.
 *
 * @param nodeId      the node the worker runs on, when the job's membership names it
 * @param gpuIndex    the worker's GPU on that node, or -1 when unknown or CPU-only
 * @param cause       the cause label: {@code gpu_compute}, {@code host_contention}, {@code network}, {@code imbalance}
 *                    or {@code unknown} (lower case letters and underscores; readers must accept labels they do not
 *                    know)
 * @param detail      the telemetry behind the cause in a few words (e.g. the GPU's active throttle reasons), or empty
 * @param slowdown    the worker's rolling step-time level over the job's ideal level (1.3 = 30% slower), latest
 * @param confidence  how sure the cause attribution is, in [0, 1]
 * @param score       the detector's evidence in [0, 1] (at least 0.5 while the worker is a straggler)
 * @param sinceStep   the step at which the detector confirmed the episode
 * @param since       when that step ended, when the steps carried timestamps
 * @param startedAt   when the live detector announced the episode (the time of the snapshot it came from)
 * @param lastStep    the last step at which the worker was still a straggler
 * @param updatedAt   the time of the snapshot that last changed this value
 * @param end         how the episode ended; empty while it is open
 * @param mitigatedBy the controller action that mitigated it (shifted work away from the worker, or let its peers
 *                    run ahead) while the worker itself is still slow; empty when none did
 */
public record StragglerEpisode(String jobId, String workerId, Optional<String> nodeId, int gpuIndex, String cause,
                               String detail, double slowdown, double confidence, double score, long sinceStep,
                               Optional<Instant> since, Instant startedAt, long lastStep, Instant updatedAt,
                               Optional<End> end, Optional<String> mitigatedBy) {

    private static final Pattern CAUSE = Pattern.compile("[a-z][a-z_]{0,39}");
    private static final int MAX_ID = 128;
    private static final int MAX_DETAIL = 200;

    public StragglerEpisode {
        requireId("jobId", jobId);
        requireId("workerId", workerId);
        Objects.requireNonNull(nodeId, "nodeId");
        nodeId.ifPresent(n -> requireId("nodeId", n));
        require(gpuIndex >= -1 && gpuIndex <= 1023, "gpuIndex", gpuIndex, "in [-1, 1023]");
        require(cause != null && CAUSE.matcher(cause).matches(), "cause", cause,
                "a label of lower-case letters and underscores");
        require(detail != null && detail.length() <= MAX_DETAIL, "detail", detail,
                "at most " + MAX_DETAIL + " characters");
        require(Double.isFinite(slowdown) && slowdown > 0 && slowdown < 1e6, "slowdown", slowdown,
                "a positive number");
        require(confidence >= 0 && confidence <= 1, "confidence", confidence, "in [0, 1]");
        require(score >= 0 && score <= 1, "score", score, "in [0, 1]");
        require(sinceStep >= 0, "sinceStep", sinceStep, "at least 0");
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(startedAt, "startedAt");
        require(lastStep >= sinceStep, "lastStep", lastStep, "at least sinceStep " + sinceStep);
        Objects.requireNonNull(updatedAt, "updatedAt");
        require(!updatedAt.isBefore(startedAt), "updatedAt", updatedAt, "not before startedAt " + startedAt);
        Objects.requireNonNull(end, "end");
        Objects.requireNonNull(mitigatedBy, "mitigatedBy");
        mitigatedBy.ifPresent(a -> requireId("mitigatedBy", a));
    }

    /** An episode no action has mitigated. */
    public StragglerEpisode(String jobId, String workerId, Optional<String> nodeId, int gpuIndex, String cause,
                            String detail, double slowdown, double confidence, double score, long sinceStep,
                            Optional<Instant> since, Instant startedAt, long lastStep, Instant updatedAt,
                            Optional<End> end) {
        this(jobId, workerId, nodeId, gpuIndex, cause, detail, slowdown, confidence, score, sinceStep, since,
                startedAt, lastStep, updatedAt, end, Optional.empty());
    }

    /** The same episode, mitigated by {@code actionId} as of {@code at}. */
    public StragglerEpisode mitigated(String actionId, Instant at) {
        return new StragglerEpisode(jobId, workerId, nodeId, gpuIndex, cause, detail, slowdown, confidence, score,
                sinceStep, since, startedAt, lastStep, at.isBefore(updatedAt) ? updatedAt : at, end,
                Optional.of(actionId));
    }

    /** Why an episode ended. */
    public enum EndReason {
        /** The worker is no longer slower than the threshold. */
        RECOVERED,
        /** The worker stopped reporting steps while the job went on. */
        WORKER_GONE,
        /** The job is gone from the collector (finished, or its partition moved to another collector). */
        JOB_GONE;

        /** The lower-case name used on the wire, e.g. {@code job_gone}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The end of an episode.
     *
     * @param step the last step the detector processed when it saw the episode end
     * @param at   the time of the snapshot in which it ended
     */
    public record End(long step, Instant at, EndReason reason) {
        public End {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A stable id, unique per episode: {@code job/worker/sinceStep}. */
    public String id() {
        return jobId + "/" + workerId + "/" + sinceStep;
    }

    /**
     * When the detector confirmed the episode: the end of its confirmation step, or the announcement when the job's
     * steps carry no time. The detector announces an episode only after it has held for its own hold time, so the
     * time since is how long the slowness has persisted, not how long consumers have known of it.
     */
    public Instant confirmedAt() {
        return since.filter(t -> t.isBefore(startedAt)).orElse(startedAt);
    }

    public boolean open() {
        return end.isEmpty();
    }

    /** The same episode, ended. */
    public StragglerEpisode ended(End how) {
        Objects.requireNonNull(how, "how");
        return new StragglerEpisode(jobId, workerId, nodeId, gpuIndex, cause, detail, slowdown, confidence, score,
                sinceStep, since, startedAt, lastStep, how.at().isBefore(updatedAt) ? updatedAt : how.at(),
                Optional.of(how), mitigatedBy);
    }

    private static void requireId(String field, String value) {
        require(value != null && !value.isBlank() && value.length() <= MAX_ID, field, value,
                "a non-blank id of at most " + MAX_ID + " characters");
    }

    private static void require(boolean ok, String field, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException("StragglerEpisode." + field + " must be " + rule + ", got " + value);
        }
    }
}

package dev.coxswain.transport;

import java.util.Objects;

/**
 * The topics Coxswain uses and how they are created.
 *
 * <ul>
 *   <li>{@code telemetry}: step reports and job events keyed by job, GPU and host samples keyed by node; partitioned,
 *       so collectors in one consumer group share jobs and nodes by partition.</li>
 *   <li>{@code topology}: topology reports (key {@code node/<id>}) and job membership (key {@code job/<id>});
 *       compacted, read whole by every collector, like a global table.</li>
 *   <li>{@code deadLetters}: records that could not be decoded or applied, with their reason in headers.</li>
 *   <li>{@code detections}: straggler episode events (start, update, end) keyed by job, JSON as written by
 *       {@code EpisodeCodec}; partitioned like telemetry, so a job's events stay in order.</li>
 * </ul>
 */
public record TopicLayout(String telemetry, String topology, String deadLetters, String detections, int partitions,
                          short replicationFactor) {
    public TopicLayout {
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(deadLetters, "deadLetters");
        Objects.requireNonNull(detections, "detections");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
    }

    public static TopicLayout defaults() {
        return withPrefix("coxswain", 4, (short) 1);
    }

    /** The topics {@code <prefix>.telemetry}, {@code .topology}, {@code .dead-letters} and {@code .detections}. */
    public static TopicLayout withPrefix(String prefix, int partitions, short replicationFactor) {
        return new TopicLayout(prefix + ".telemetry", prefix + ".topology", prefix + ".dead-letters",
                prefix + ".detections", partitions, replicationFactor);
    }
}

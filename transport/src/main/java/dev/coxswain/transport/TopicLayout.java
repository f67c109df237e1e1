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
 * </ul>
 */
public record TopicLayout(String telemetry, String topology, String deadLetters, int partitions,
                          short replicationFactor) {
    public TopicLayout {
        Objects.requireNonNull(telemetry, "telemetry");
        Objects.requireNonNull(topology, "topology");
        Objects.requireNonNull(deadLetters, "deadLetters");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be at least 1, got " + partitions);
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be at least 1, got " + replicationFactor);
        }
    }

    public static TopicLayout defaults() {
        return new TopicLayout("coxswain.telemetry", "coxswain.topology", "coxswain.dead-letters", 4, (short) 1);
    }
}

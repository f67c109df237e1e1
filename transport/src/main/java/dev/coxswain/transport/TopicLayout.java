package dev.coxswain.transport;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where Coxswain's {@link Topic}s live: {@code <prefix>.<suffix>}, with the partition count of the partitioned
 * topics and the replication factor of all of them.
 */
public record TopicLayout(String prefix, int partitions, short replicationFactor) {
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    public TopicLayout {
        Objects.requireNonNull(prefix, "prefix");
        if (!PREFIX.matcher(prefix).matches()) {
            throw new IllegalArgumentException("topic prefix '" + prefix + "' must be letters, digits, . _ -");
        }
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

    public static TopicLayout withPrefix(String prefix, int partitions, short replicationFactor) {
        return new TopicLayout(prefix, partitions, replicationFactor);
    }

    /** The topic's full name. */
    public String name(Topic topic) {
        return prefix + "." + topic.suffix();
    }

    /** Partitions the topic is created with. */
    public int partitionsOf(Topic topic) {
        return topic.partitioned() ? partitions : 1;
    }

    public String telemetry() {
        return name(Topic.TELEMETRY);
    }

    public String topology() {
        return name(Topic.TOPOLOGY);
    }

    public String deadLetters() {
        return name(Topic.DEAD_LETTERS);
    }

    public String detections() {
        return name(Topic.DETECTIONS);
    }

    public String knobs() {
        return name(Topic.KNOBS);
    }

    public String actions() {
        return name(Topic.ACTIONS);
    }
}

package dev.coxswain.transport;

import org.apache.kafka.common.config.TopicConfig;

import java.util.Map;

/**
 * Every topic Coxswain uses, in one list: its name after the prefix, whether it is partitioned like the telemetry
 * (so that one job's records stay in order on one partition and collectors share jobs by partition) or has a single
 * partition, and the settings it is created with. {@link Topics#ensure} creates them all; adding a topic is adding
 * a constant here.
 */
public enum Topic {
    /** Step reports and job events keyed by job, GPU and host samples keyed by node. */
    TELEMETRY("telemetry", true, retention(1)),
    /** Topology reports ({@code node/<id>}) and job memberships ({@code job/<id>}); compacted, read whole. */
    TOPOLOGY("topology", false, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)),
    /** Records that could not be decoded or applied, with their reason in headers. */
    DEAD_LETTERS("dead-letters", false, retention(7)),
    /** Straggler episode events (start, update, end) keyed by job, JSON as {@code EpisodeCodec} writes them. */
    DETECTIONS("detections", true, retention(7)),
    /** Signed knob changes keyed by job, read by every agent, which applies those of the jobs on its node. */
    KNOBS("knobs", true, retention(1)),
    /** The controller's audit log: every action proposed or taken and each outcome, keyed by job. */
    ACTIONS("actions", true, retention(30));

    private final String suffix;
    private final boolean partitioned;
    private final Map<String, String> configs;

    Topic(String suffix, boolean partitioned, Map<String, String> configs) {
        this.suffix = suffix;
        this.partitioned = partitioned;
        this.configs = configs;
    }

    /** The name after {@code <prefix>.}. */
    public String suffix() {
        return suffix;
    }

    /** Partitioned by key with the configured partition count, else a single partition. */
    public boolean partitioned() {
        return partitioned;
    }

    /** Topic settings used when Coxswain creates it. */
    public Map<String, String> configs() {
        return configs;
    }

    private static Map<String, String> retention(int days) {
        return Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(days * 24 * 3600 * 1000L));
    }
}

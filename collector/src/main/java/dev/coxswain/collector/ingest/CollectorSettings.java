package dev.coxswain.collector.ingest;

import dev.coxswain.collector.graph.LinkCapacities;
import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;

import java.time.Duration;

/**
 * @param groupId          the consumer group; collectors in one group share jobs and nodes by partition
 * @param snapshotInterval how often a snapshot is published while records arrive
 * @param windowSteps      steps kept per worker
 * @param rebuildWindow    how far back a collector reads a partition it has just been assigned
 * @param jobRetention     how long a job that sent its {@code job.end} event stays in the snapshots
 */
public record CollectorSettings(String groupId, Duration snapshotInterval, int windowSteps, Duration rebuildWindow,
                                LinkCapacities capacities, Duration jobRetention) {

    public static final String GROUP = "collector.group.id";
    public static final String SNAPSHOT_INTERVAL = "collector.snapshot.interval";
    public static final String WINDOW_STEPS = "collector.window.steps";
    public static final String REBUILD_WINDOW = "collector.rebuild.window";
    public static final String OVERSUBSCRIPTION = "collector.fabric.oversubscription";
    public static final String JOB_RETENTION = "collector.job.retention";
    static final Duration DEFAULT_JOB_RETENTION = Duration.ofSeconds(30);

    public CollectorSettings {
        if (snapshotInterval.isNegative() || snapshotInterval.isZero()) {
            throw new IllegalArgumentException("snapshotInterval must be positive");
        }
    }

    public static ConfigDef define(ConfigDef def) {
        return def
                .define(GROUP, ConfigDef.Type.STRING, "coxswain-collector",
                        "Consumer group of the collectors; collectors in one group share the jobs by partition.")
                .define(SNAPSHOT_INTERVAL, ConfigDef.Type.DURATION, Duration.ofMillis(500),
                        (Duration d) -> d.toMillis() >= 10, "at least 10ms",
                        "How often the collector publishes a snapshot of the cluster graph.")
                .define(WINDOW_STEPS, ConfigDef.Type.INT, 600, (Integer n) -> n >= 1 && n <= 100_000, "1..100000",
                        "Steps kept per worker in the sliding window.")
                .define(REBUILD_WINDOW, ConfigDef.Type.DURATION, Duration.ofMinutes(10),
                        "How far back a collector re-reads a partition it is assigned, to rebuild its windows.")
                .define(OVERSUBSCRIPTION, ConfigDef.Type.DOUBLE, 1.0, (Double x) -> x >= 1, "at least 1",
                        "Switch downlink to spine uplink ratio used for fabric link capacities.")
                .define(JOB_RETENTION, ConfigDef.Type.DURATION, DEFAULT_JOB_RETENTION,
                        (Duration d) -> d.compareTo(Duration.ofDays(1)) <= 0, "0s..1d",
                        "How long a job that sent its job.end event stays in the collector's views; then it is "
                                + "dropped, and the detector closes its episodes.");
    }

    public static CollectorSettings from(Config config) {
        LinkCapacities d = LinkCapacities.defaults();
        return new CollectorSettings(config.getString(GROUP), config.getDuration(SNAPSHOT_INTERVAL),
                config.getInt(WINDOW_STEPS), config.getDuration(REBUILD_WINDOW),
                new LinkCapacities(d.nvlinkBytesPerSecPerLink(), d.pcieBytesPerSec(), d.nicBitsPerSecDefault(),
                        config.getDouble(OVERSUBSCRIPTION)), config.getDuration(JOB_RETENTION));
    }

    public static CollectorSettings defaults() {
        return new CollectorSettings("coxswain-collector", Duration.ofMillis(500), 600, Duration.ofMinutes(10),
                LinkCapacities.defaults(), DEFAULT_JOB_RETENTION);
    }

    public CollectorSettings withGroupId(String group) {
        return new CollectorSettings(group, snapshotInterval, windowSteps, rebuildWindow, capacities, jobRetention);
    }
}

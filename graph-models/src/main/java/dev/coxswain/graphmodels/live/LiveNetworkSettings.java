package dev.coxswain.graphmodels.live;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the network model that runs beside a collector ({@link LiveNetwork}).
 *
 * @param enabled   whether the daemon runs it at all
 * @param modelFile a model from {@code coxswain models train --gnn}; when it is missing or unusable the max-min
 *                  fair-share estimate stands in
 * @param interval  the least time between two scored snapshots
 */
public record LiveNetworkSettings(boolean enabled, Path modelFile, Duration interval) {
    public static final String ENABLED = "network.enabled";
    public static final String MODEL = "network.model";
    public static final String INTERVAL = "network.interval";

    private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

    public LiveNetworkSettings {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.compareTo(MAX_INTERVAL) > 0) {
            throw new IllegalArgumentException(INTERVAL + " = " + interval + ": must be 0s..10m");
        }
    }

    /** Where {@code coxswain models train --gnn} writes its model unless told otherwise: the state dir's models/. */
    public static Path defaultModel(Path stateDir) {
        return stateDir.resolve("models").resolve("graph-network.model");
    }

    /** Declares this component's keys; {@code stateDir} is the user's Coxswain state directory. */
    public static ConfigDef define(ConfigDef def, Path stateDir) {
        return def
                .define(ENABLED, ConfigDef.Type.BOOLEAN, true,
                        "Score each collector's snapshot with the network model: each job's predicted communication"
                                + " time, its bottleneck link and what would help, on the dashboard and at"
                                + " /api/network.")
                .define(MODEL, ConfigDef.Type.PATH, defaultModel(stateDir),
                        "Graph network from 'coxswain models train --gnn'. Missing or unusable: the max-min"
                                + " fair-share estimate.")
                .define(INTERVAL, ConfigDef.Type.DURATION, Duration.ofSeconds(2),
                        (Duration d) -> !d.isNegative() && d.compareTo(MAX_INTERVAL) <= 0, "0s..10m",
                        "Least time between two snapshots the network model scores.");
    }

    public static LiveNetworkSettings from(Config config) {
        return new LiveNetworkSettings(config.getBoolean(ENABLED), config.getPath(MODEL),
                config.getDuration(INTERVAL));
    }

    /** The defaults for the state directory {@code stateDir}: enabled, its model, every 2 s. */
    public static LiveNetworkSettings defaults(Path stateDir) {
        return new LiveNetworkSettings(true, defaultModel(stateDir), Duration.ofSeconds(2));
    }
}

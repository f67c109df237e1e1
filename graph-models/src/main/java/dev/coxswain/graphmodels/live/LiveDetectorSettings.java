package dev.coxswain.graphmodels.live;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.graphmodels.detect.DetectorConfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Settings of the detector that runs beside a collector.
 *
 * @param enabled        whether the daemon runs it at all
 * @param modelFile      a model from {@code coxswain models train}; when the file does not exist the built-in
 *                       detector settings and the rule-based causes are used
 * @param telemetryWait  the longest a step waits for the first GPU sample taken after it (see
 *                       {@code SnapshotWindows})
 * @param recentEpisodes ended episodes kept for the dashboard
 * @param warmupSteps    a job's steps below this number are warm-up (JIT compilation, the first parameter pull,
 *                       the data loader filling) and are not judged
 * @param episodeHold    how long a worker must stay detected (since the same confirmation step) before its episode
 *                       is announced: a second's hiccup of a busy host covers several steps of a fast job
 * @param record         a steps CSV to which the detector appends its input (each worker-step once, as it judged
 *                       it), for offline replay with {@code coxswain detect} and for labelled recordings
 * @param decisionDelay  steps the detector waits before deciding about a step, on a window centred on it
 *                       ({@link DetectorConfig#withDecisionDelay}; 0 decides at once); empty: the model's or the
 *                       built-in setting (3)
 */
public record LiveDetectorSettings(boolean enabled, Path modelFile, Duration telemetryWait, int recentEpisodes,
                                   int warmupSteps, Duration episodeHold, Optional<Path> record,
                                   OptionalInt decisionDelay) {

    public static final String ENABLED = "detector.enabled";
    public static final String MODEL = "detector.model";
    public static final String TELEMETRY_WAIT = "detector.telemetry.wait";
    public static final String RECENT_EPISODES = "detector.recent.episodes";
    public static final String WARMUP_STEPS = "detector.warmup.steps";
    public static final String EPISODE_HOLD = "detector.episode.hold";
    public static final String RECORD = "detector.record";
    public static final String DECISION_DELAY = "detector.decision.delay";
    private static final int MAX_DELAY = 100;

    private static final Duration MAX_WAIT = Duration.ofMinutes(1);
    private static final int DEFAULT_WARMUP_STEPS = 20;
    private static final Duration DEFAULT_HOLD = Duration.ofSeconds(2);

    public LiveDetectorSettings {
        Objects.requireNonNull(modelFile, "modelFile");
        Objects.requireNonNull(telemetryWait, "telemetryWait");
        if (telemetryWait.isNegative() || telemetryWait.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException(TELEMETRY_WAIT + " = " + telemetryWait + ": must be 0s..1m");
        }
        if (recentEpisodes < 0 || recentEpisodes > 10_000) {
            throw new IllegalArgumentException(RECENT_EPISODES + " = " + recentEpisodes + ": must be 0..10000");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException(WARMUP_STEPS + " = " + warmupSteps + ": must be 0 or more");
        }
        Objects.requireNonNull(episodeHold, "episodeHold");
        if (episodeHold.isNegative() || episodeHold.compareTo(MAX_WAIT) > 0) {
            throw new IllegalArgumentException(EPISODE_HOLD + " = " + episodeHold + ": must be 0s..1m");
        }
        Objects.requireNonNull(record, "record");
        Objects.requireNonNull(decisionDelay, "decisionDelay");
        if (decisionDelay.isPresent() && (decisionDelay.getAsInt() < 0 || decisionDelay.getAsInt() > MAX_DELAY)) {
            throw new IllegalArgumentException(DECISION_DELAY + " = " + decisionDelay + ": must be 0..100");
        }
    }

    /** Where {@code coxswain models train} writes its model unless told otherwise: {@code models/} of the state dir. */
    public static Path defaultModel(Path stateDir) {
        return stateDir.resolve("models").resolve("straggler.model");
    }

    /** Declares this component's keys; {@code stateDir} is the user's Coxswain state directory. */
    public static ConfigDef define(ConfigDef def, Path stateDir) {
        return def
                .define(ENABLED, ConfigDef.Type.BOOLEAN, true,
                        "Run the straggler detector beside the collector: detections go to <prefix>.detections "
                                + "and to the dashboard.")
                .define(MODEL, ConfigDef.Type.PATH, defaultModel(stateDir),
                        "Model file from 'coxswain models train'. Missing: built-in settings and rule-based causes.")
                .define(TELEMETRY_WAIT, ConfigDef.Type.DURATION, Duration.ofSeconds(2),
                        (Duration d) -> d.compareTo(MAX_WAIT) <= 0, "0s..1m",
                        "Longest a step waits for its worker's next GPU sample before the detector takes it.")
                .define(RECENT_EPISODES, ConfigDef.Type.INT, 50, (Integer n) -> n >= 0 && n <= 10_000, "0..10000",
                        "Ended straggler episodes kept for the dashboard.")
                .define(WARMUP_STEPS, ConfigDef.Type.INT, DEFAULT_WARMUP_STEPS, (Integer n) -> n >= 0, "0 or more",
                        "A job's steps below this number are warm-up (JIT, first parameter pull) and not judged.")
                .define(EPISODE_HOLD, ConfigDef.Type.DURATION, DEFAULT_HOLD,
                        (Duration d) -> d.compareTo(MAX_WAIT) <= 0, "0s..1m",
                        "How long a worker stays detected before its straggler episode is announced.")
                .define(RECORD, ConfigDef.Type.PATH, null,
                        "A steps CSV the detector writes its input to, each worker-step once (replay it with "
                                + "'coxswain detect'). Unset: nothing is recorded.")
                .define(DECISION_DELAY, ConfigDef.Type.INT, null, (Integer n) -> n >= 0 && n <= MAX_DELAY, "0..100",
                        "Steps the detector waits before deciding about a step, on a window of 2n+1 steps centred "
                                + "on it; 0 decides at once. Unset: the model's setting, built in 3 "
                                + "(docs/detection.md).");
    }

    public static LiveDetectorSettings from(Config config) {
        return new LiveDetectorSettings(config.getBoolean(ENABLED), config.getPath(MODEL),
                config.getDuration(TELEMETRY_WAIT), config.getInt(RECENT_EPISODES), config.getInt(WARMUP_STEPS),
                config.getDuration(EPISODE_HOLD), config.getOptionalString(RECORD).map(Path::of),
                config.getOptionalString(DECISION_DELAY).map(v -> OptionalInt.of(Integer.parseInt(v)))
                        .orElse(OptionalInt.empty()));
    }

    /**
     * The defaults for the state directory {@code stateDir}: enabled, its model, 2 s telemetry wait, 50 episodes,
     * 20 warm-up steps, episodes announced after 2 s, no recording, the model's decision delay.
     */
    public static LiveDetectorSettings defaults(Path stateDir) {
        return new LiveDetectorSettings(true, defaultModel(stateDir), Duration.ofSeconds(2), 50, DEFAULT_WARMUP_STEPS,
                DEFAULT_HOLD, Optional.empty(), OptionalInt.empty());
    }

    public LiveDetectorSettings withRecord(Path file) {
        return new LiveDetectorSettings(enabled, modelFile, telemetryWait, recentEpisodes, warmupSteps, episodeHold,
                Optional.of(file), decisionDelay);
    }
}

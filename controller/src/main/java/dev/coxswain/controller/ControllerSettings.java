package dev.coxswain.controller;

import dev.coxswain.controller.policy.Bounds;
import dev.coxswain.controller.policy.GoodputTuning;
import dev.coxswain.controller.policy.Migration;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.controller.policy.StalenessTuning;
import dev.coxswain.controller.policy.StragglerRebalancing;
import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of the controller that runs beside a collector (docs/controller.md lists them with their reasons).
 *
 * @param enabled        whether the daemon runs it at all
 * @param mode           the mode of every job not given its own through the REST API
 * @param id             this controller's identity on the actions it issues; empty: {@code controller-<host>}
 * @param policies       the policies switched on
 * @param stabilization  how long a straggler must have persisted, counted from the detector's confirmation of its
 *                       episode, before the controller acts on it
 * @param interval       the least time between two actions on one job
 * @param deadline       how long an action has to be applied by every worker it names
 * @param verifySteps    steps measured after an action took effect before it is judged
 * @param rollbackAbove  an action whose measured step time is this fraction above the time before it is rolled back
 * @param minGain        the least predicted speed-up worth an action
 * @param bounds         the limits on batch sizes and staleness
 * @param restoreAfter   how long a job must be healthy before a staleness change is taken back
 * @param staleAfter     a job whose newest step is older than this is not acted on (stale data)
 * @param spares         nodes set aside for moved workers (besides the free GPUs the cluster graph shows)
 * @param migrationCost  what moving a worker costs its job: the pause while it stops and starts elsewhere
 * @param maxMigrations  the most moves this controller has in flight at once, over all its jobs
 * @param warmupSteps    a job's first steps, in which its workers' compute speeds are not compared with each other
 */
public record ControllerSettings(boolean enabled, ControlMode mode, String id, Set<String> policies, Duration stabilization,
                                 Duration interval, Duration deadline, int verifySteps, double rollbackAbove,
                                 double minGain, Bounds bounds, Duration restoreAfter, Duration staleAfter,
                                 List<String> spares, Duration migrationCost, int maxMigrations,
                                 int warmupSteps) {

    public static final String ENABLED = "controller.enabled";
    public static final String MODE = "controller.mode";
    public static final String ID = "controller.id";
    public static final String POLICIES = "controller.policies";
    public static final String STABILIZATION = "controller.stabilization";
    public static final String INTERVAL = "controller.action.interval";
    public static final String DEADLINE = "controller.action.deadline";
    public static final String VERIFY_STEPS = "controller.verify.steps";
    public static final String ROLLBACK_ABOVE = "controller.rollback.threshold";
    public static final String MIN_GAIN = "controller.min.gain";
    public static final String BATCH_MIN = "controller.batch.min";
    public static final String BATCH_MAX = "controller.batch.max";
    public static final String BATCH_MAX_CHANGE = "controller.batch.max.change";
    public static final String STALENESS_MAX = "controller.staleness.max";
    public static final String RESTORE_AFTER = "controller.restore.after";
    public static final String STALE_AFTER = "controller.stale.after";
    public static final String SPARES = "controller.placement.spares";
    public static final String MIGRATION_COST = "controller.migration.cost";
    public static final String MAX_MIGRATIONS = "controller.migration.max.concurrent";
    public static final String WARMUP_STEPS = "controller.warmup.steps";

    /** The policies this build has, by name. */
    public static final List<String> KNOWN_POLICIES = List.of(StragglerRebalancing.NAME, StalenessTuning.NAME,
            Migration.NAME, GoodputTuning.NAME);
    /** The policies on by default: those that act only against a straggler. */
    public static final List<String> DEFAULT_POLICIES = List.of(StragglerRebalancing.NAME, StalenessTuning.NAME,
            Migration.NAME);

    public ControllerSettings {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(id, "id");
        policies = Set.copyOf(policies);
        for (String p : policies) {
            if (!KNOWN_POLICIES.contains(p)) {
                throw new IllegalArgumentException(POLICIES + ": unknown policy '" + p + "' (known: "
                        + String.join(", ", KNOWN_POLICIES) + ")");
            }
        }
        if (verifySteps < 1) {
            throw new IllegalArgumentException(VERIFY_STEPS + " must be at least 1, got " + verifySteps);
        }
        Objects.requireNonNull(bounds, "bounds");
        spares = List.copyOf(spares);
    }

    public static ConfigDef define(ConfigDef def) {
        Duration max = Duration.ofHours(1);
        return def
                .define(ENABLED, ConfigDef.Type.BOOLEAN, true,
                        "Run the controller beside the collector (it needs the detector): it acts for the jobs whose "
                                + "partitions this collector owns.")
                .define(MODE, ConfigDef.Type.STRING, "advise", (String s) -> s.matches("off|advise|act"),
                        "off, advise, act",
                        "off: nothing; advise: dry run, actions published and shown, not applied; act: applied, "
                                + "verified, rolled back when they do not pay off. Per job through the REST API.")
                .define(ID, ConfigDef.Type.STRING, "", (String s) -> s.isEmpty() || s.matches("[A-Za-z0-9][\\w.:/@+=-]{0,127}"),
                        "an identifier, or empty", "This controller's identity on its actions. Empty: controller-<host>.")
                .define(POLICIES, ConfigDef.Type.LIST, DEFAULT_POLICIES,
                        (List<String> l) -> KNOWN_POLICIES.containsAll(l), String.join(", ", KNOWN_POLICIES),
                        "The policies switched on. goodput (off by default) retunes the global batch of healthy "
                                + "jobs that report their gradient noise scale.")
                .define(STABILIZATION, ConfigDef.Type.DURATION, Duration.ofSeconds(1),
                        (Duration d) -> d.compareTo(max) <= 0, "0s..1h",
                        "How long a straggler must have persisted since the detector confirmed it before the controller "
                                + "acts on it (the detector announces episodes after detector.episode.hold).")
                .define(INTERVAL, ConfigDef.Type.DURATION, Duration.ofSeconds(15),
                        (Duration d) -> d.compareTo(max) <= 0, "0s..1h", "The least time between two actions on a job.")
                .define(DEADLINE, ConfigDef.Type.DURATION, Duration.ofSeconds(30),
                        (Duration d) -> d.toMillis() >= 100 && d.compareTo(max) <= 0, "100ms..1h",
                        "How long an action has to be applied by every worker it names; after that it is rejected.")
                .define(VERIFY_STEPS, ConfigDef.Type.INT, 10, (Integer n) -> n >= 1 && n <= 10_000, "1..10000",
                        "Steps measured after an action took effect before it is verified or rolled back.")
                .define(ROLLBACK_ABOVE, ConfigDef.Type.DOUBLE, 0.05, (Double x) -> x >= 0 && x <= 10, "0..10",
                        "Roll an action back when the step time it leads to is this fraction above the time before.")
                .define(MIN_GAIN, ConfigDef.Type.DOUBLE, 0.05, (Double x) -> x >= 0 && x <= 10, "0..10",
                        "The least predicted speed-up (fraction of step time) worth an action.")
                .define(BATCH_MIN, ConfigDef.Type.INT, 1, (Integer n) -> n >= 1, "1 or more",
                        "The least local batch the controller gives a worker.")
                .define(BATCH_MAX, ConfigDef.Type.INT, 65_536, (Integer n) -> n >= 1 && n <= 1 << 24,
                        "1..16777216", "The largest local batch the controller gives a worker.")
                .define(BATCH_MAX_CHANGE, ConfigDef.Type.DOUBLE, 0.75, (Double x) -> x > 0 && x < 1, "(0, 1)",
                        "The largest relative change of a worker's batch in one action (0.75: 100 -> 25..400).")
                .define(STALENESS_MAX, ConfigDef.Type.INT, 8, (Integer n) -> n >= 0 && n <= 1_000_000, "0..1000000",
                        "The largest SSP bound the controller sets.")
                .define(RESTORE_AFTER, ConfigDef.Type.DURATION, Duration.ofSeconds(30),
                        (Duration d) -> d.compareTo(max) <= 0, "0s..1h",
                        "How long a job must be free of stragglers before a staleness change is taken back.")
                .define(STALE_AFTER, ConfigDef.Type.DURATION, Duration.ofSeconds(10),
                        (Duration d) -> d.toMillis() >= 100, "at least 100ms",
                        "A job whose newest step is older than this is not acted on.")
                .define(SPARES, ConfigDef.Type.LIST, List.of(), (List<String> l) -> l.stream()
                                .allMatch(n -> n.matches("[A-Za-z0-9][\\w.:-]{0,127}")), "node ids",
                        "Nodes set aside for moved workers. Free GPUs in the cluster graph (no job's worker on "
                                + "them) are candidates too.")
                .define(MIGRATION_COST, ConfigDef.Type.DURATION, Duration.ofSeconds(30),
                        (Duration d) -> d.compareTo(max) <= 0, "0s..1h",
                        "What moving a worker costs its job (it stops, checkpoints and starts elsewhere). A straggler "
                                + "is moved once the time it has cost the job exceeds this (ski rental).")
                .define(MAX_MIGRATIONS, ConfigDef.Type.INT, 1, (Integer n) -> n >= 0 && n <= 1000, "0..1000",
                        "The most moves this controller has in flight at once, over all its jobs.")
                .define(WARMUP_STEPS, ConfigDef.Type.INT, 3, (Integer n) -> n >= 0 && n <= 100_000, "0..100000",
                        "A job's first steps, in which its workers' compute speeds are not compared with each other "
                                + "(JIT compilation, the first parameter pull, autotuning).");
    }

    public static ControllerSettings from(Config config) {
        return new ControllerSettings(config.getBoolean(ENABLED), ControlMode.parse(config.getString(MODE)),
                config.getString(ID), Set.copyOf(config.getList(POLICIES)), config.getDuration(STABILIZATION),
                config.getDuration(INTERVAL), config.getDuration(DEADLINE), config.getInt(VERIFY_STEPS),
                config.getDouble(ROLLBACK_ABOVE), config.getDouble(MIN_GAIN),
                new Bounds(config.getInt(BATCH_MIN), config.getInt(BATCH_MAX), config.getDouble(BATCH_MAX_CHANGE),
                        config.getInt(STALENESS_MAX)), config.getDuration(RESTORE_AFTER),
                config.getDuration(STALE_AFTER), config.getList(SPARES), config.getDuration(MIGRATION_COST),
                config.getInt(MAX_MIGRATIONS), config.getInt(WARMUP_STEPS));
    }

    /** The defaults (mode advise); tests and benchmarks change what they need with {@link #withMode}. */
    public static ControllerSettings defaults() {
        return from(define(new ConfigDef()).parse(java.util.Map.of()));
    }

    public ControllerSettings withMode(ControlMode m) {
        return new ControllerSettings(enabled, m, id, policies, stabilization, interval, deadline, verifySteps,
                rollbackAbove, minGain, bounds, restoreAfter, staleAfter, spares, migrationCost, maxMigrations,
                warmupSteps);
    }

    public ControllerSettings withId(String newId) {
        return new ControllerSettings(enabled, mode, newId, policies, stabilization, interval, deadline, verifySteps,
                rollbackAbove, minGain, bounds, restoreAfter, staleAfter, spares, migrationCost, maxMigrations,
                warmupSteps);
    }
}

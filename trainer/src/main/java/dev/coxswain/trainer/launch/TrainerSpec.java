package dev.coxswain.trainer.launch;

import dev.coxswain.core.config.Config;
import dev.coxswain.core.config.ConfigDef;
import dev.coxswain.core.config.ConfigException;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.sdk.LrScaling;
import dev.coxswain.sdk.SyncMode;
import dev.coxswain.trainer.coord.BatchPlan;
import dev.coxswain.trainer.coord.SyncPolicy;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.inject.InjectionPlan;
import dev.coxswain.trainer.inject.InjectionPlanParser;
import dev.coxswain.trainer.model.MlpShape;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A training job's settings, from one flat key/value map (a properties file, or command-line flags turned into keys):
 * every key is declared once in {@link #DEFINITION} with its default, check and documentation. Cross-field checks
 * fail fast naming the key; unknown keys are an error. {@link #raw()} keeps the input so that child processes get
 * exactly the same job.
 *
 * @param nodes      node labels; worker {@code i} starts on {@code nodes[i % nodes.size()]}
 * @param batches    each worker's starting local batch
 * @param scenario   the faults injected into the job
 */
public record TrainerSpec(String jobId, int workers, int shards, List<String> nodes, MlpShape shape,
                          SyncPolicy policy, BatchPlan batches, InjectionPlan scenario, Optimizer optimizer,
                          Run run, Processes processes, Steering steering, Map<String, String> raw) {

    /** How the parameters are updated: SGD with momentum, the job's learning-rate rule, and shard averaging. */
    public record Optimizer(long seed, double learningRate, LrScaling lrScaling, double momentum, double averaging) {
    }

    /**
     * What the job trains on and for how long.
     *
     * @param maxClocks           each worker's clock budget
     * @param deviceSamplesPerSec samples per second of each worker's emulated accelerator, 0 for none
     *                            ({@code trainer.device.samples.per.sec})
     */
    public record Run(Path dataDir, int trainLimit, int testLimit, double targetAccuracy, long maxClocks,
                      int evalEvery, double deviceSamplesPerSec) {
    }

    /** Where and how the shards and workers run. */
    public record Processes(LaunchMode launch, Path workDir, String workerHeap) {
    }

    /**
     * The job's link with Coxswain.
     *
     * @param controllerMode the controller mode the job asks for with its label ({@code controller} on
     *                       {@code job.start}); empty for none
     */
    public record Steering(URI agentUri, boolean watchKnobs, String controllerMode) {
    }

    /** How the job's shards and workers run. */
    public enum LaunchMode {
        /** Each shard and worker in its own JVM, on loopback: the real thing. */
        PROCESS,
        /** All in this JVM, on loopback, for tests and embedding. */
        THREADS
    }

    public static final ConfigDef DEFINITION = new ConfigDef()
            .define("trainer.job.id", ConfigDef.Type.STRING, "trainer-1", v -> !v.isBlank(), "an identifier",
                    "job id in reports and knob URLs")
            .define("trainer.workers", ConfigDef.Type.INT, 4, v -> v >= 1 && v <= 64, "in [1, 64]", "worker processes")
            .define("trainer.shards", ConfigDef.Type.INT, 2, v -> v >= 1 && v <= 16, "in [1, 16]",
                    "parameter-server shards")
            .define("trainer.nodes", ConfigDef.Type.LIST, List.of("node-a", "node-b"), v -> !v.isEmpty(),
                    "a non-empty list", "node labels; worker i starts on nodes[i mod n], shards on the first")
            .define("trainer.sync.mode", ConfigDef.Type.STRING, "bsp", Knob.SYNC_MODE.choices()::contains,
                    Knob.SYNC_MODE.rule(), "synchronisation mode")
            .define("trainer.staleness", ConfigDef.Type.INT, 3, v -> v >= 0 && v <= 1000, "in [0, 1000]",
                    "SSP bound in clocks")
            .define("trainer.batch.per.worker", ConfigDef.Type.INT, 256, v -> v >= 1 && v <= BatchPlan.MAX_LOCAL,
                    "in [1, 8192]", "each worker's starting local batch")
            .define("trainer.batches", ConfigDef.Type.LIST, List.of(),
                    "explicit starting local batches, one per worker (overrides trainer.batch.per.worker)")
            .define("trainer.lr", ConfigDef.Type.DOUBLE, 0.1, v -> v > 0 && v <= 10, "in (0, 10]",
                    "learning rate at the starting global batch")
            .define("trainer.lr.scaling", ConfigDef.Type.STRING, "none",
                    Knob.LR_SCALING.choices()::contains, Knob.LR_SCALING.rule(),
                    "how the learning rate follows the global batch when it changes")
            .define("trainer.momentum", ConfigDef.Type.DOUBLE, 0.9, v -> v >= 0 && v < 1, "in [0, 1)",
                    "momentum per global step")
            .define("trainer.averaging", ConfigDef.Type.DOUBLE, 0.95, v -> v >= 0 && v < 1, "in [0, 1)",
                    "decay per global step of the parameters' moving average, the model that is evaluated "
                            + "(0: evaluate the raw parameters)")
            .define("trainer.hidden", ConfigDef.Type.INT, 128, v -> v >= 1 && v <= 4096, "in [1, 4096]",
                    "hidden units of the perceptron")
            .define("trainer.seed", ConfigDef.Type.LONG, 1L, "seed of the initial weights and the sample order")
            .define("trainer.data.dir", ConfigDef.Type.PATH, FashionMnist.DEFAULT_DIR, "Fashion-MNIST IDX files")
            .define("trainer.train.limit", ConfigDef.Type.INT, 0, v -> v >= 0, ">= 0",
                    "use only the first n training images (0: all 60,000)")
            .define("trainer.test.limit", ConfigDef.Type.INT, 0, v -> v >= 0, ">= 0",
                    "evaluate on the first n test images only (0: all 10,000)")
            .define("trainer.target.accuracy", ConfigDef.Type.DOUBLE, 0.85, v -> v >= 0 && v <= 1, "in [0, 1]",
                    "stop when test accuracy reaches this (0: run the whole clock budget)")
            .define("trainer.max.epochs", ConfigDef.Type.DOUBLE, 5.0, v -> v > 0 && v <= 1000, "in (0, 1000]",
                    "clock budget in epochs of the starting global batch")
            .define("trainer.max.clocks", ConfigDef.Type.LONG, 0L, v -> v >= 0, ">= 0",
                    "clock budget per worker (0: from trainer.max.epochs)")
            .define("trainer.eval.every", ConfigDef.Type.INT, 10, v -> v >= 1, ">= 1",
                    "evaluate on the test set every n global steps")
            .define("trainer.device.samples.per.sec", ConfigDef.Type.DOUBLE, 0.0, v -> v >= 0 && v <= 1e7,
                    "in [0, 1e7]",
                    "samples/s of each worker's emulated accelerator: its compute takes at least batch / speed "
                    + "(the gradient itself is always computed for real); 0: none, the CPU's own pace")
            .define("trainer.agent.url", ConfigDef.Type.STRING, "http://127.0.0.1:7070", v -> v.startsWith("http"),
                    "an http(s) URL", "the node agent's intake (reports, events, knobs)")
            .define("trainer.knobs.watch", ConfigDef.Type.BOOLEAN, true,
                    "long-poll the agent for knob changes")
            .define("trainer.scenario", ConfigDef.Type.STRING, "", "fault-injection scenario file (optional)")
            .define("trainer.inject", ConfigDef.Type.LIST, List.of(),
                    "injections in scenario syntax, comma-separated")
            .define("trainer.launch", ConfigDef.Type.STRING, "process", v -> List.of("process", "threads").contains(v),
                    "process or threads", "shards and workers as child JVMs or as threads here")
            .define("trainer.work.dir", ConfigDef.Type.PATH, Path.of(".state", "trainer"),
                    "where child logs and the job file go")
            .define("trainer.worker.heap", ConfigDef.Type.STRING, "320m", v -> v.matches("\\d+[mg]"),
                    "a heap size like 320m", "-Xmx of each child JVM")
            .define("trainer.controller", ConfigDef.Type.STRING, "", v -> v.matches("|off|advise|act"),
                    "off, advise, act or empty", "the controller mode the job asks for (its label); empty: none");

    public TrainerSpec {
        nodes = List.copyOf(nodes);
        raw = Map.copyOf(raw);
        if (batches.workers() != workers) {
            throw new ConfigException("trainer.batches: " + batches.workers() + " batches for " + workers + " workers");
        }
    }

    /** Parses settings; throws {@link ConfigException} naming the key on any problem, unknown keys included. */
    public static TrainerSpec parse(Map<String, String> raw) {
        Config c = DEFINITION.parse(raw);
        if (!c.unknownKeys().isEmpty()) {
            throw new ConfigException("unknown trainer setting(s) " + c.unknownKeys() + "; known: "
                    + DEFINITION.keys().keySet());
        }
        int workers = c.getInt("trainer.workers");
        BatchPlan batches = batches(c, workers);
        MlpShape shape = new MlpShape(FashionMnist.FEATURES, c.getInt("trainer.hidden"), FashionMnist.CLASSES);
        if (c.getInt("trainer.shards") > shape.parameterCount()) {
            throw new ConfigException("trainer.shards: more shards than parameters");
        }
        int trainSize = c.getInt("trainer.train.limit") > 0 ? c.getInt("trainer.train.limit") : 60_000;
        long maxClocks = c.getLong("trainer.max.clocks") > 0 ? c.getLong("trainer.max.clocks")
                : (long) Math.ceil(c.getDouble("trainer.max.epochs") * trainSize / batches.global());
        return new TrainerSpec(id(c.getString("trainer.job.id")), workers, c.getInt("trainer.shards"),
                c.getList("trainer.nodes"), shape,
                new SyncPolicy(SyncMode.fromWire("trainer.sync.mode", c.getString("trainer.sync.mode")),
                        c.getInt("trainer.staleness")),
                batches, scenario(c),
                new Optimizer(c.getLong("trainer.seed"), c.getDouble("trainer.lr"),
                        LrScaling.fromWire("trainer.lr.scaling", c.getString("trainer.lr.scaling")),
                        c.getDouble("trainer.momentum"), c.getDouble("trainer.averaging")),
                new Run(c.getPath("trainer.data.dir"), c.getInt("trainer.train.limit"), c.getInt("trainer.test.limit"),
                        c.getDouble("trainer.target.accuracy"), maxClocks, c.getInt("trainer.eval.every"),
                        c.getDouble("trainer.device.samples.per.sec")),
                new Processes(LaunchMode.valueOf(c.getString("trainer.launch").toUpperCase(java.util.Locale.ROOT)),
                        c.getPath("trainer.work.dir"), c.getString("trainer.worker.heap")),
                new Steering(URI.create(c.getString("trainer.agent.url")), c.getBoolean("trainer.knobs.watch"),
                        c.getString("trainer.controller")),
                raw);
    }

    private static String id(String id) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,127}")) {
            throw new ConfigException("trainer.job.id = '" + id + "': must be an identifier (letters, digits, ._:@+=-)");
        }
        return id;
    }

    private static BatchPlan batches(Config c, int workers) {
        List<String> explicit = c.getList("trainer.batches");
        if (explicit.isEmpty()) {
            return BatchPlan.even(workers, c.getInt("trainer.batch.per.worker"));
        }
        if (explicit.size() != workers) {
            throw new ConfigException("trainer.batches: " + explicit.size() + " values for " + workers + " workers");
        }
        int[] b = new int[workers];
        try {
            for (int i = 0; i < workers; i++) {
                b[i] = Integer.parseInt(explicit.get(i));
            }
            return new BatchPlan(b);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("trainer.batches = " + explicit + ": " + e.getMessage());
        }
    }

    private static InjectionPlan scenario(Config c) {
        InjectionPlan s = InjectionPlan.none();
        String file = c.getString("trainer.scenario");
        if (!file.isBlank()) {
            try {
                s = InjectionPlanParser.parse(Files.readString(Path.of(file)), file);
            } catch (IOException e) {
                throw new ConfigException("trainer.scenario = " + file + ": cannot read (" + e.getMessage() + ")");
            }
        }
        List<String> lines = c.getList("trainer.inject");
        for (int i = 0; i < lines.size(); i++) {
            s = s.plus(new InjectionPlan(List.of(InjectionPlanParser.line(lines.get(i), "trainer.inject[" + i + "]"))));
        }
        int workers = c.getInt("trainer.workers");
        for (String w : s.workers()) {
            if (!workerIds(workers).contains(w)) {
                throw new ConfigException("scenario: worker '" + w + "' is not in this job (" + workerIds(workers)
                        + ")");
            }
        }
        return s;
    }

    /** Worker ids of a job with {@code n} workers: w0, w1, ... */
    public static List<String> workerIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("w" + i);
        }
        return ids;
    }

    public List<String> workerIds() {
        return workerIds(workers);
    }

    public String nodeOf(int worker) {
        return nodes.get(worker % nodes.size());
    }

    /** This spec's input with {@code overrides} laid over it, parsed again. */
    public TrainerSpec with(Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(raw);
        m.putAll(overrides);
        return parse(m);
    }
}

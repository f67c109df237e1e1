package dev.coxswain.app.cli;

import ai.djl.ndarray.NDManager;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.gnn.GraphNetworkReport;
import dev.coxswain.app.gnn.GraphNetworkWorkflow;
import dev.coxswain.graphmodels.gnn.RouteNetTraining;
import dev.coxswain.graphmodels.gnn.TorchEngine;
import dev.coxswain.graphmodels.bench.StragglerBenchmark;
import dev.coxswain.graphmodels.eval.CauseEvaluation;
import dev.coxswain.graphmodels.live.LiveDetectorSettings;
import dev.coxswain.graphmodels.live.LiveNetworkSettings;
import dev.coxswain.graphmodels.model.GraphModelFile;
import dev.coxswain.graphmodels.model.ModelFile;
import dev.coxswain.graphmodels.model.StragglerModels;
import dev.coxswain.graphmodels.synth.LabelledJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code coxswain models train|eval --gnn}: the graph network over the cluster's links and its benchmark. */
final class GraphModelsCommand {
    private static final Logger LOG = LoggerFactory.getLogger(GraphModelsCommand.class);

    static final Set<String> TRAIN_OPTIONS = Set.of("out", "cases", "max-nodes", "seed", "epochs", "batch", "hidden",
            "rounds", "learning-rate");
    static final Set<String> EVAL_OPTIONS = Set.of("model", "test-cases", "placement-cases", "seed", "data",
            "straggler-model");

    static final String USAGE = """
                   coxswain models train --gnn [--out <file>] [--cases <n>] [--max-nodes <n>] [--seed <s>]
                                         [--epochs <n>] [--batch <n>] [--hidden <n>] [--rounds <n>]
                                         [--learning-rate <r>]
                   coxswain models eval --gnn [--model <file>] [--test-cases <n>] [--placement-cases <n>]
                                         [--seed <s>] [--data <dir>] [--straggler-model <file>]

            train --gnn: simulates random fat-tree clusters of 1 to --max-nodes nodes with random all-reduce job mixes
                   (SYNTHETIC, seeded; default 6000 cases of up to 8 nodes) and trains the graph network (DJL,
                   PyTorch on the CPU) on what the simulator says each job's exchange took: 60 epochs (--epochs) of
                   batches of 8 (--batch), hidden width 16 (--hidden), 3 rounds (--rounds), learning rate 0.003
                   (--learning-rate) falling along a cosine to a hundredth; about 2 minutes here. The model file
                   (default %s) records the data hash, seed, hyper-parameters and code version.
            eval --gnn: the benchmark. Simulates held-out clusters four to eight times larger than any trained on and
                   compares the network with the simulator: each job's communication and step time, each link's
                   utilisation, each job's bottleneck link (--test-cases, default 100). Then placement: on other
                   held-out clusters, contended (--placement-cases, default 32), the largest job that has a choice
                   of places (it fits twice into the free GPUs) is placed again, the network choosing among
                   candidates it scores at once, against the best the simulator finds scoring each and against the
                   usual heuristics; the candidates scored a second, network against simulator, on one thread; and
                   the time to plan a placement on a 1,024-GPU cluster running 50 jobs. Last, on the Pollux
                   placement traces (real; <data>/pollux-placements), the network as a correction of the
                   calibrated model, fitted on the same measured rows. And a
                   straggler's cause from its telemetry and neighbourhood alone: the straggler model
                   (--straggler-model, default detector.model) on held-out synthetic jobs that report step times
                   without the compute / communication / input split. Ends with one RESULT line.""";

    private final Clock clock;

    GraphModelsCommand(Clock clock) {
        this.clock = clock;
    }

    static Path defaultModel() {
        return LiveNetworkSettings.defaultModel(Settings.defaultStateDir());
    }

    /**
     * The graph network's engine, libtorch unpacked into the state directory's {@code djl}, on {@code threads}
     * threads (0: one per core).
     */
    static NDManager engine(int threads) {
        return TorchEngine.manager(Settings.defaultStateDir().resolve("djl"), threads);
    }

    int train(Options o) throws IOException {
        Path out = o.path("out").orElse(defaultModel());
        GraphNetworkWorkflow.TrainRequest request = new GraphNetworkWorkflow.TrainRequest(o.getInt("cases", 6000, 1),
                o.getInt("max-nodes", 8, 1), o.getLong("seed", 1), o.getInt("hidden", 16, 1), o.getInt("rounds", 3, 1),
                (float) o.getDouble("learning-rate", 0.003, 1e-6, 1),
                new RouteNetTraining.Settings(o.getInt("epochs", 60, 1), o.getInt("batch", 8, 1), o.getLong("seed", 1)),
                ModelsCommand.codeVersion());
        if (request.maxNodes() > 512) {
            throw new UsageException("--max-nodes is at most 512: held-out clusters are up to 8 times larger, and"
                    + " the simulator's clusters at most 4096 nodes");
        }
        try (NDManager manager = engine(0)) {
            GraphNetworkWorkflow.Trained t = new GraphNetworkWorkflow(clock).train(request, manager, System.out::println);
            GraphModelFile.save(t.model(), out);
            System.out.printf(Locale.ROOT, "trained in %.1f s (data %.1f s); wrote %s (format %d, schema %d): data %s,"
                            + " code %s%n", t.trainSec(), t.dataSec(), out, GraphModelFile.FORMAT_VERSION,
                    t.model().provenance().featureSchema(), t.model().provenance().dataHash().substring(0, 16),
                    t.model().provenance().codeVersion());
        }
        return 0;
    }

    /**
     * The straggler model's causes on held-out jobs that report no step split ({@code cause_telemetry_only_acc});
     * empty, with a note, when there is no straggler model.
     */
    static Optional<CauseEvaluation.Result> telemetryOnlyCauses(Path file, long seed) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StragglerModels models = ModelFile.load(file);
        List<LabelledJob> jobs = StragglerBenchmark.telemetryOnlyJobs(ModelsCommand.DEFAULT_TEST_JOBS, seed);
        return Optional.of(CauseEvaluation.run(jobs, models.detectorConfig(), models.attributor()));
    }

    private static Path pollux(Options o) {
        Path data = Path.of(o.get("data").orElse(ModelsCommand.DEFAULT_DATA)).resolve("pollux-placements");
        if (!Files.isDirectory(data)) {
            throw new UsageException("no pollux-placements folder under " + data.getParent().toAbsolutePath()
                    .normalize() + "; point --data at the shared data folder");
        }
        return data;
    }

    int eval(Options o) throws IOException {
        Path file = o.path("model").orElse(defaultModel());
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no graph model at " + file + "; run 'coxswain models train --gnn' first");
        }
        Path pollux = pollux(o);
        try (NDManager manager = engine(1)) {
            GraphModelFile.Trained model = GraphModelFile.load(file, manager);
            GraphNetworkReport report = new GraphNetworkWorkflow(clock).eval(model, manager,
                    o.getInt("test-cases", 100, 1), o.getInt("placement-cases", 32, 1), o.getLong("seed", 2), pollux);
            report.print(file, telemetryOnlyCauses(o.path("straggler-model").orElse(
                    LiveDetectorSettings.defaultModel(Settings.defaultStateDir())), o.getLong("seed", 2)), System.out);
        }
        return 0;
    }
}

package dev.coxswain.app.cli;

import dev.coxswain.app.config.Settings;

import dev.coxswain.graphmodels.bench.StragglerBenchmark;
import dev.coxswain.graphmodels.bench.StragglerTraining;
import dev.coxswain.graphmodels.live.LiveDetectorSettings;
import dev.coxswain.graphmodels.model.ModelFile;
import dev.coxswain.graphmodels.model.ModelTrainer;
import dev.coxswain.graphmodels.model.Provenance;
import dev.coxswain.graphmodels.model.StragglerModels;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@code coxswain models train|eval}: the straggler models and their benchmark. */
public final class ModelsCommand implements Command {

    /** The trained model in the state directory ({@code $COXSWAIN_HOME}, default ~/.coxswain). */
    static Path defaultModel() {
        return LiveDetectorSettings.defaultModel(Settings.defaultStateDir());
    }
    static final String DEFAULT_DATA = "data";
    /** Held-out synthetic jobs the cause figures are measured on. */
    static final int DEFAULT_TEST_JOBS = 100;
    /** The recordings of the trainer's injections under the data folder: one to train on, one held out. */
    static final String RECORDED_DIR = "trainer-injections";

    private final Clock clock;

    public ModelsCommand(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "models";
    }

    @Override
    public String summary() {
        return "train the straggler models or the graph network (--gnn) and measure them (eval)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain models train [--out <file>] [--data <dir>] [--jobs <n>] [--seed <s>]
                                             [--recorded <csv>[,<csv>...]|none] [--target-false-alarm-rate <r>]
                       coxswain models eval  [--model <file>] [--data <dir>] [--test-jobs <n>] [--seed <s>]
                                             [--recorded <csv>[,<csv>...]|none]

                train: calibrates the detector's noise threshold on the coefficient-of-variation data of 100
                       production jobs (real), generates labelled straggler jobs with mixed causes (SYNTHETIC,
                       seeded), adds the recordings of the reference trainer's injections (real telemetry) and
                       trains an XGBoost cause classifier and slowdown regressor (Tribuo). The model file records
                       the data hash, seed, hyper-parameters and code version.
                eval:  the benchmark. Detection on the real Alibaba PAI jobs against oracle labels, next to the
                       peer-median baseline, with single-spike injection; the false-alarm rate on the CoV replays;
                       cause accuracy on held-out synthetic jobs and on a held-out recording of the trainer's
                       injections. Ends with one RESULT line.

                  --out, --model <file>   model file (default %s)
                  --data <dir>            folder holding alibaba-pai-minibatch/ (default %s)
                  --jobs <n>              synthetic training jobs (default 300)
                  --test-jobs <n>         held-out synthetic jobs (default 100)
                  --seed <s>              seed (default 1 for train, 2 for eval)
                  --recorded <csv>,...    labelled recordings from 'coxswain bench causes --record' (default
                                          <data>/%s/train.csv for train, eval.csv for eval, when present)
                  --target-false-alarm-rate <r>   calibration target, flagged share of healthy worker-samples
                                          (default 0.001)

                %s

                example: coxswain models train && coxswain models eval
                         coxswain models train --gnn && coxswain models eval --gnn""".formatted(defaultModel(),
                DEFAULT_DATA, RECORDED_DIR, GraphModelsCommand.USAGE.formatted(GraphModelsCommand.defaultModel()));
    }

    @Override
    public int run(List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("say 'train' or 'eval'");
        }
        List<String> rest = args.subList(1, args.size());
        if (rest.contains("--gnn")) {
            GraphModelsCommand gnn = new GraphModelsCommand(clock);
            return switch (args.getFirst()) {
                case "train" -> gnn.train(Options.parse(rest, GraphModelsCommand.TRAIN_OPTIONS, Set.of("gnn")));
                case "eval" -> gnn.eval(Options.parse(rest, GraphModelsCommand.EVAL_OPTIONS, Set.of("gnn")));
                default -> throw new UsageException("unknown subcommand '" + args.getFirst()
                        + "'; say 'train' or 'eval'");
            };
        }
        return switch (args.getFirst()) {
            case "train" -> train(Options.parse(rest,
                    Set.of("out", "data", "jobs", "seed", "recorded", "target-false-alarm-rate"), Set.of()));
            case "eval" -> eval(Options.parse(rest, Set.of("model", "data", "test-jobs", "seed", "recorded"),
                    Set.of()));
            default -> throw new UsageException("unknown subcommand '" + args.getFirst() + "'; say 'train' or 'eval'");
        };
    }

    private static Path paiDir(Options opts) {
        Path data = Path.of(opts.get("data").orElse(DEFAULT_DATA));
        Path pai = data.resolve("alibaba-pai-minibatch");
        if (!Files.isDirectory(pai)) {
            throw new UsageException("no alibaba-pai-minibatch folder under " + data.toAbsolutePath().normalize()
                    + "; point --data at the shared data folder");
        }
        return pai;
    }

    /**
     * The files of {@code --recorded}, each of which must exist; without it, {@code <data>/trainer-injections/<name>}
     * when present. {@code none} means none.
     */
    private static List<Path> recorded(Options opts, String name) {
        Optional<String> given = opts.get("recorded");
        if (given.isEmpty()) {
            Path file = Path.of(opts.get("data").orElse(DEFAULT_DATA)).resolve(RECORDED_DIR).resolve(name);
            return Files.isRegularFile(file) ? List.of(file) : List.of();
        }
        if (given.get().equals("none")) {
            return List.of();
        }
        List<Path> files = Arrays.stream(given.get().split(",")).map(String::strip).map(Path::of).toList();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new UsageException("--recorded: no file " + f.toAbsolutePath().normalize());
            }
        }
        return files;
    }

    private int train(Options opts) throws IOException {
        Path pai = paiDir(opts);
        List<Path> recorded = recorded(opts, "train.csv");
        Path out = opts.path("out").orElse(defaultModel());
        int jobs = opts.getInt("jobs", 300, 1);
        long seed = opts.getLong("seed", 1);
        double target = opts.getDouble("target-false-alarm-rate", 0.001, 1e-6, 0.5);
        StragglerTraining.Outcome o = new StragglerTraining(clock).run(new StragglerTraining.Request(jobs, seed,
                pai.resolve("coefficient_variation.csv"), recorded, target, ModelTrainer.Settings.standard(),
                codeVersion()));
        ModelFile.save(o.models(), out);
        Provenance p = o.models().provenance();
        System.out.printf(Locale.ROOT, "noise calibration: noiseZ=%.1f (calibration false-alarm rate %.5f, target %.5f;"
                        + " %d healthy jobs) in %.1f s%n", o.calibration().z(), o.calibration().calibrationRate(),
                target, o.calibration().calibrationJobs(), seconds(o.calibrationTime()));
        System.out.printf(Locale.ROOT, "training data: %d rows from %d SYNTHETIC jobs (seed %d) and %d rows from %s"
                        + " in %.1f s%n", o.rows().size() - o.recordedRows(), jobs, seed, o.recordedRows(),
                recorded.isEmpty() ? "no recording of the trainer's injections" : recorded, seconds(o.dataTime()));
        System.out.printf(Locale.ROOT, "trained XGBoost classifier and regressor in %.1f s%n", seconds(o.trainingTime()));
        System.out.printf(Locale.ROOT, "wrote %s (format %d): data %s, code %s%n", out, ModelFile.FORMAT_VERSION,
                p.dataHash().substring(0, 16), p.codeVersion());
        return 0;
    }

    private int eval(Options opts) throws IOException {
        Path pai = paiDir(opts);
        Path modelFile = opts.path("model").orElse(defaultModel());
        if (!Files.isRegularFile(modelFile)) {
            throw new UsageException("no model at " + modelFile + "; run 'coxswain models train' first");
        }
        StragglerModels models = ModelFile.load(modelFile);
        int testJobs = opts.getInt("test-jobs", DEFAULT_TEST_JOBS, 1);
        long seed = opts.getLong("seed", 2);
        StragglerBenchmark.Report report = new StragglerBenchmark(clock)
                .run(new StragglerBenchmark.Request(pai, models, testJobs, seed, recorded(opts, "eval.csv")));
        new BenchmarkReportPrinter(System.out).print(modelFile, models, report);
        return 0;
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    /** The graph-models version, and the git commit of the working directory when git can tell it. */
    static String codeVersion() {
        String version = "unknown";
        try (InputStream in = StragglerModels.class.getResourceAsStream("/graph-models-build.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                version = p.getProperty("version", version);
            }
        } catch (IOException e) {
            // keep "unknown"
        }
        String commit = git("rev-parse", "--short=12", "HEAD");
        if (commit.isEmpty()) {
            return version;
        }
        return version + "+" + commit + (git("status", "--porcelain", "--untracked-files=no").isEmpty() ? "" : "-dirty");
    }

    private static String git(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}

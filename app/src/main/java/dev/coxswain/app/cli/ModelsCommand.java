package dev.coxswain.app.cli;

import dev.coxswain.graphmodels.bench.StragglerBenchmark;
import dev.coxswain.graphmodels.bench.StragglerTraining;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** {@code coxswain models train|eval}: the straggler models and their benchmark. */
public final class ModelsCommand implements Command {

    static final String DEFAULT_MODEL = ".state/models/straggler.model";
    static final String DEFAULT_DATA = "../shared/data";

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
        return "train the straggler models (train) or measure detection and cause accuracy (eval)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain models train [--out <file>] [--data <dir>] [--jobs <n>] [--seed <s>]
                                             [--target-false-alarm-rate <r>]
                       coxswain models eval  [--model <file>] [--data <dir>] [--test-jobs <n>] [--seed <s>]

                train: calibrates the detector's noise threshold on the coefficient-of-variation data of 100
                       production jobs (real), generates labelled straggler jobs with mixed causes (SYNTHETIC,
                       seeded) and trains an XGBoost cause classifier and slowdown regressor (Tribuo). The model
                       file records the data hash, seed, hyper-parameters and code version.
                eval:  the benchmark. Detection on the real Alibaba PAI jobs against oracle labels, next to the
                       peer-median baseline, with single-spike injection; the false-alarm rate on the CoV replays;
                       cause accuracy on held-out synthetic jobs. Ends with one RESULT line.

                  --out, --model <file>   model file (default %s)
                  --data <dir>            folder holding alibaba-pai-minibatch/ (default %s)
                  --jobs <n>              synthetic training jobs (default 300)
                  --test-jobs <n>         held-out synthetic jobs (default 100)
                  --seed <s>              seed (default 1 for train, 2 for eval)
                  --target-false-alarm-rate <r>   calibration target, flagged share of healthy worker-samples
                                          (default 0.001)

                example: coxswain models train && coxswain models eval""".formatted(DEFAULT_MODEL, DEFAULT_DATA);
    }

    @Override
    public int run(List<String> args) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("say 'train' or 'eval'");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.getFirst()) {
            case "train" -> train(CommandOptions.parse(rest,
                    List.of("--out", "--data", "--jobs", "--seed", "--target-false-alarm-rate")));
            case "eval" -> eval(CommandOptions.parse(rest, List.of("--model", "--data", "--test-jobs", "--seed")));
            default -> throw new UsageException("unknown subcommand '" + args.getFirst() + "'; say 'train' or 'eval'");
        };
    }

    private static Path paiDir(Map<String, String> opts) {
        Path data = Path.of(opts.getOrDefault("--data", DEFAULT_DATA));
        Path pai = data.resolve("alibaba-pai-minibatch");
        if (!Files.isDirectory(pai)) {
            throw new UsageException("no alibaba-pai-minibatch folder under " + data.toAbsolutePath().normalize()
                    + "; point --data at the shared data folder");
        }
        return pai;
    }

    private int train(Map<String, String> opts) throws IOException {
        Path pai = paiDir(opts);
        Path out = Path.of(opts.getOrDefault("--out", DEFAULT_MODEL));
        int jobs = CommandOptions.integer(opts, "--jobs", 300, 1);
        long seed = CommandOptions.longValue(opts, "--seed", 1);
        double target = CommandOptions.number(opts, "--target-false-alarm-rate", 0.001, 1e-6, 0.5);
        StragglerTraining.Outcome o = new StragglerTraining(clock).run(new StragglerTraining.Request(jobs, seed,
                pai.resolve("coefficient_variation.csv"), target, ModelTrainer.Settings.standard(), codeVersion()));
        ModelFile.save(o.models(), out);
        Provenance p = o.models().provenance();
        System.out.printf(Locale.ROOT, "noise calibration: noiseZ=%.1f (calibration false-alarm rate %.5f, target %.5f;"
                        + " %d healthy jobs) in %.1f s%n", o.calibration().z(), o.calibration().calibrationRate(),
                target, o.calibration().calibrationJobs(), seconds(o.calibrationTime()));
        System.out.printf(Locale.ROOT, "training data: %d rows from %d SYNTHETIC jobs (seed %d) in %.1f s%n",
                o.rows().size(), jobs, seed, seconds(o.dataTime()));
        System.out.printf(Locale.ROOT, "trained XGBoost classifier and regressor in %.1f s%n", seconds(o.trainingTime()));
        System.out.printf(Locale.ROOT, "wrote %s (format %d): data %s, code %s%n", out, ModelFile.FORMAT_VERSION,
                p.dataHash().substring(0, 16), p.codeVersion());
        return 0;
    }

    private int eval(Map<String, String> opts) throws IOException {
        Path pai = paiDir(opts);
        Path modelFile = Path.of(opts.getOrDefault("--model", DEFAULT_MODEL));
        if (!Files.isRegularFile(modelFile)) {
            throw new UsageException("no model at " + modelFile + "; run 'coxswain models train' first");
        }
        StragglerModels models = ModelFile.load(modelFile);
        int testJobs = CommandOptions.integer(opts, "--test-jobs", 100, 1);
        long seed = CommandOptions.longValue(opts, "--seed", 2);
        StragglerBenchmark.Report report = new StragglerBenchmark(clock)
                .run(new StragglerBenchmark.Request(pai, models, testJobs, seed));
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

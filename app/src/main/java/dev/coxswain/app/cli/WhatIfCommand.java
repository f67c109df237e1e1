package dev.coxswain.app.cli;

import ai.djl.ndarray.NDManager;
import dev.coxswain.app.gnn.GraphNetworkEngine;
import dev.coxswain.app.gnn.NetworkCorrection;
import dev.coxswain.graphmodels.gnn.RouteNet;
import dev.coxswain.graphmodels.model.GraphModelFile;
import dev.coxswain.whatif.calibrate.CoxswainModel;
import dev.coxswain.whatif.calibrate.LinkPrior;
import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.calibrate.PolluxModel;
import dev.coxswain.whatif.calibrate.Prediction;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.calibrate.StepTimeModel;
import dev.coxswain.whatif.eval.NcclCheck;
import dev.coxswain.whatif.eval.PolluxEvaluation;
import dev.coxswain.whatif.eval.PolluxWorkload;
import dev.coxswain.whatif.eval.ScalingCheck;
import dev.coxswain.whatif.scenario.Answer;
import dev.coxswain.whatif.scenario.Engine;
import dev.coxswain.whatif.scenario.HtmlReport;
import dev.coxswain.whatif.scenario.Scenario;
import dev.coxswain.whatif.scenario.ScenarioFile;
import dev.coxswain.whatif.scenario.ScenarioRunner;
import dev.coxswain.whatif.spec.ClusterSpec;

import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code coxswain whatif predict|eval|run}: calibrated step-time prediction, its evaluation against published
 * measurements, and what-if scenarios.
 */
public final class WhatIfCommand implements Command {
    static final String DEFAULT_POLLUX = "data/pollux-placements";
    static final String DEFAULT_NCCL = "data/nccl-allreduce";
    static final String DEFAULT_PUBLISHED = "data/published-step-times/published_step_times.csv";

    @Override
    public String name() {
        return "whatif";
    }

    @Override
    public String summary() {
        return "predict step time from measurements; evaluate the model; answer what-if scenarios";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain whatif <predict|eval|run> [options]

                  predict --cluster <preset|file> --measured <csv> --query <csv> --out <csv>
                          (--model bert|cifar10|imagenet|ncf | --gradient-bytes <n> [--bucket-bytes <n>])
                          [--engine calibrated|gnn] [--gnn-model <file>]
                      Fits the job's profile on the measured rows (placement,local_bsz,step_time,sync_time) and
                      the cluster's link speeds, then predicts every query row (placement,local_bsz). Writes
                      placement,local_bsz,step_time,sync_time,step_time_lo,step_time_hi (an 80% interval).
                      --engine gnn corrects the calibrated model with the graph network (coxswain models train
                      --gnn), the correction fitted on the same measured rows and dropped where leave-one-out
                      finds it adds nothing, and says so; a missing or damaged model falls back to the calibrated
                      model alone with one log line.

                  eval [--data <pollux-placements dir>] [--nccl <dir>] [--published <csv>] [--seed <n>]
                       [--models bert,cifar10,imagenet,ncf] [--verbose] [--tune w1,...,w7]
                      Step-time MAPE of Coxswain's model and the Pollux baseline on split (a) a seeded random 20%
                      measured and (b) placements on at most 2 nodes measured; then the interconnect model against
                      nccl-tests bus bandwidth and ResNet-50 scaling. Ends with one RESULT line. --verbose prints the
                      fitted parameters; --tune sets the model's fitting weights (for ablations; see CoxswainModel).

                  run --scenario <yaml> [--out-dir <dir>] [--engine sim|gnn] [--model <file>]
                      Answers a what-if scenario (batch size, placement, staleness, link speed, a slowed GPU, a
                      moved worker) with a table, <name>.csv and a self-contained HTML report <name>.html (a chart
                      of step time, throughput and the bottleneck link, and the table); calibrated answers beside
                      the simulator's when the scenario has measurements. --engine gnn answers with the graph network
                      (coxswain models train --gnn; all-reduce jobs only) in the simulator's place, and says so; a
                      missing or damaged model falls back to the simulator with one log line.

                example: coxswain whatif eval
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (args.isEmpty()) {
            throw new UsageException("say which: predict, eval or run");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "eval" -> eval(rest);
            case "predict" -> predict(rest);
            case "run" -> scenario(rest);
            default -> throw new UsageException("unknown whatif subcommand '" + args.get(0) + "'");
        };
    }

    private int predict(List<String> args) throws java.io.IOException {
        Options o = Options.parse(args, Set.of("cluster", "measured", "query", "out", "model",
                "gradient-bytes", "bucket-bytes", "engine", "gnn-model"), Set.of("verbose", "baseline"));
        String engine = o.get("engine").orElse("calibrated");
        if (!engine.equals("calibrated") && !engine.equals("gnn")) {
            throw new UsageException("--engine is calibrated or gnn, not '" + engine + "'");
        }
        if (engine.equals("gnn") && o.flag("baseline")) {
            throw new UsageException("--baseline is Pollux's model; the graph network corrects the calibrated one");
        }
        ClusterSpec cluster = Clusters.load(o.require("cluster"));
        long gradientBytes;
        long bucketBytes = o.getLong("bucket-bytes", PolluxWorkload.DDP_BUCKET_BYTES);
        if (o.get("model").isPresent()) {
            try {
                gradientBytes = PolluxWorkload.named(o.require("model")).gradientBytes();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        } else {
            gradientBytes = o.getLong("gradient-bytes", -1);
            if (gradientBytes < 1) {
                throw new UsageException("give --model <name> or --gradient-bytes <bytes of gradients per step>");
            }
        }
        List<Measurement> measured = MeasurementCsv.readMeasured(Path.of(o.require("measured")));
        List<Query> queries = MeasurementCsv.readQueries(Path.of(o.require("query")));
        StepTimeModel model = o.flag("baseline")
                ? new PolluxModel()
                : new CoxswainModel(LinkPrior.of(cluster), gradientBytes, bucketBytes,
                        CoxswainModel.Options.defaults());
        StepTimeModel.Fitted fitted = model.fit(measured);
        Optional<List<Prediction>> byNetwork = engine.equals("gnn")
                ? corrected(o.path("gnn-model").orElse(GraphModelsCommand.defaultModel()), cluster,
                        new PolluxWorkload(o.get("model").orElse("job"), "from the command line", gradientBytes,
                                bucketBytes), measured, queries)
                : Optional.empty();
        List<Prediction> out = byNetwork.orElseGet(() -> queries.stream().map(fitted::predict).toList());
        try (Writer w = Files.newBufferedWriter(Path.of(o.require("out")), StandardCharsets.UTF_8)) {
            MeasurementCsv.writePredictions(w, out);
        }
        System.out.printf(Locale.ROOT, "fitted %s on %d measured rows; wrote %d predictions to %s%n", model.name(),
                measured.size(), out.size(), Path.of(o.require("out")));
        if (o.flag("verbose")) {
            fitted.parameters().forEach((k, v) -> System.out.printf(Locale.ROOT, "  %-26s %.6g%n", k, v));
        }
        return 0;
    }

    /**
     * The calibrated model corrected by the graph network in {@code file}, fitted on {@code measured}; empty, with
     * one log line, when there is no usable model.
     */
    private static Optional<List<Prediction>> corrected(Path file, ClusterSpec cluster, PolluxWorkload job,
                                                        List<Measurement> measured, List<Query> queries) {
        try (NDManager manager = GraphModelsCommand.engine(1)) {
            Optional<RouteNet> network = GraphModelFile.loadOr(file, manager, "the calibrated model alone");
            if (network.isEmpty()) {
                return Optional.empty();
            }
            NetworkCorrection.Fitted fitted = NetworkCorrection.fit(network.get(), manager, cluster, job, measured);
            System.out.printf(Locale.ROOT, "corrected by the graph network %s: ridge penalty %.3g chosen by"
                    + " leave-one-out on the measured rows (%s)%n", file, fitted.penalty(),
                    fitted.penalty() >= NetworkCorrection.NO_CORRECTION ? "the correction is dropped: the network"
                            + " adds nothing here" : "step x exp(" + String.format(Locale.ROOT, "%.3f + %.3f",
                            fitted.beta()[0], fitted.beta()[1]) + " log(network/calibrated))");
            return Optional.of(fitted.predict(network.get(), manager, queries));
        }
    }

    private int scenario(List<String> args) throws java.io.IOException {
        Options o = Options.parse(args, Set.of("scenario", "out-dir", "engine", "model"), Set.of());
        Path file = Path.of(o.require("scenario"));
        Scenario sc = ScenarioFile.read(file);
        String engineName = o.get("engine").orElse("sim");
        if (!engineName.equals("sim") && !engineName.equals("gnn")) {
            throw new UsageException("--engine is sim or gnn, not '" + engineName + "'");
        }
        try (NDManager manager = engineName.equals("gnn")
                ? GraphModelsCommand.engine(0) : null) {
            Engine engine = Engine.simulator(java.time.Clock.systemUTC());
            if (manager != null) {
                Path model = o.path("model").orElse(GraphModelsCommand.defaultModel());
                Optional<RouteNet> network = GraphModelFile.loadOr(model, manager, "the what-if simulator");
                if (network.isPresent()) {
                    engine = new GraphNetworkEngine(network.get(), manager);
                }
            }
            List<Answer> answers;
            try {
                answers = new ScenarioRunner(sc, engine).run();
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            return report(o, sc, answers, engine.label());
        }
    }

    private int report(Options o, Scenario sc, List<Answer> answers, String engine) throws java.io.IOException {
        System.out.printf(Locale.ROOT, "scenario %s on %s: %s, %d steps per question%s%n", sc.name(),
                sc.cluster().name(), sc.baseline().name(), sc.steps(), sc.calibration().isPresent()
                        ? ", calibrated on " + sc.calibration().get().measured().size() + " measured rows" : "");
        System.out.println("answered by the " + (engine.equals("simulated") ? "what-if simulator" : engine));
        String column = engine.equals("simulated") ? "sim" : "gnn";
        System.out.printf(Locale.ROOT, "%-28s %10s %12s %-34s %24s  %s%n", "question", column + " step s",
                "samples/s", column + " bottleneck", "calibrated step s (80%)", "calibrated bottleneck");
        for (Answer a : answers) {
            String cal = a.calibratedStepSec().isPresent() ? String.format(Locale.ROOT, "%.3f (%.3f-%.3f)",
                    a.calibratedStepSec().getAsDouble(), a.calibratedLoSec().getAsDouble(),
                    a.calibratedHiSec().getAsDouble()) : "n/a";
            System.out.printf(Locale.ROOT, "%-28s %10.3f %12.1f %-34s %24s  %s%n", a.question(), a.simStepSec(),
                    a.simSamplesPerSec(), a.simBottleneck(), cal, a.calibratedBottleneck());
        }
        Path dir = Path.of(o.get("out-dir").orElse("."));
        Files.createDirectories(dir);
        String stem = sc.name().replaceAll("[^A-Za-z0-9._-]", "_");
        Path report = dir.resolve(stem + ".html");
        Files.writeString(report, HtmlReport.render("What if: " + sc.name() + " on " + sc.cluster().name(), answers,
                engine));
        Path csv = dir.resolve(stem + ".csv");
        StringBuilder sb = new StringBuilder("question,sim_step_time,sim_samples_per_s,sim_bottleneck,"
                + "calibrated_step_time,calibrated_lo,calibrated_hi,calibrated_bottleneck\n");
        for (Answer a : answers) {
            sb.append(String.format(Locale.ROOT, "\"%s\",%.6f,%.3f,\"%s\",%s,%s,%s,\"%s\"%n", a.question(),
                    a.simStepSec(), a.simSamplesPerSec(), a.simBottleneck(), num(a.calibratedStepSec()),
                    num(a.calibratedLoSec()), num(a.calibratedHiSec()), a.calibratedBottleneck()));
        }
        Files.writeString(csv, sb);
        System.out.println("wrote " + report + " and " + csv);
        return 0;
    }

    private static String num(java.util.OptionalDouble v) {
        return v.isPresent() ? String.format(Locale.ROOT, "%.6f", v.getAsDouble()) : "";
    }

    private int eval(List<String> args) {
        Options o = Options.parse(args, Set.of("data", "nccl", "published", "seed", "models", "tune"),
                Set.of("verbose"));
        Path data = Path.of(o.get("data").orElse(DEFAULT_POLLUX));
        if (!Files.isDirectory(data)) {
            throw new UsageException("no directory " + data + "; give --data <pollux-placements dir>");
        }
        List<String> models = List.of(o.get("models").orElse("bert,cifar10,imagenet,ncf").split(","));
        CoxswainModel.Options opts = CoxswainModel.Options.defaults();
        if (o.get("tune").isPresent()) {
            String[] t = o.require("tune").split(",");
            if (t.length != 7) {
                throw new UsageException("--tune wants 7 numbers: compute weight, link prior, inter-node latency"
                        + " prior, jitter prior, flow prior, smoothness, robust scale");
            }
            double[] v = new double[7];
            for (int i = 0; i < 7; i++) {
                v[i] = Double.parseDouble(t[i]);
            }
            opts = new CoxswainModel.Options(v[0], v[1], v[2], v[3], v[4], v[5], v[6]);
        }
        PolluxEvaluation ev = new PolluxEvaluation(data, o.getLong("seed", 1), opts, o.flag("verbose"));
        List<PolluxEvaluation.ModelResult> r = ev.run(models, System.out);
        System.out.println();
        System.out.println("Interconnect: nccl-tests all-reduce bus bandwidth, sizes from 1 MiB");
        List<NcclCheck.SystemResult> nccl = new NcclCheck(Path.of(o.get("nccl").orElse(DEFAULT_NCCL)))
                .run(System.out);
        System.out.println();
        System.out.println("Scaling: ResNet-50 step time, published vs simulated");
        List<ScalingCheck.PairResult> scaling = new ScalingCheck(Path.of(o.get("published").orElse(DEFAULT_PUBLISHED)),
                data.resolve("imagenet").resolve("placements.csv")).run(System.out);
        StringBuilder result = new StringBuilder("RESULT");
        for (PolluxEvaluation.ModelResult m : r) {
            result.append(String.format(Locale.ROOT, " %s_a_coxswain=%.2f %s_a_pollux=%.2f %s_b_coxswain=%.2f"
                            + " %s_b_pollux=%.2f %s_floor_batch=%.2f %s_floor_order=%.2f", m.workload(),
                    m.coxA().stepMapePct(), m.workload(), m.polluxA().stepMapePct(), m.workload(),
                    m.coxB().stepMapePct(), m.workload(), m.polluxB().stepMapePct(), m.workload(), m.floorBatchPct(),
                    m.workload(), m.floorOrderPct()));
        }
        double worstA = r.stream().mapToDouble(m -> m.coxA().stepMapePct()).max().orElse(0);
        double worstB = r.stream().mapToDouble(m -> m.coxB().stepMapePct()).max().orElse(0);
        result.append(String.format(Locale.ROOT, " split_a_mape_max=%.2f split_b_mape_max=%.2f", worstA, worstB));
        for (NcclCheck.SystemResult n : nccl) {
            result.append(String.format(Locale.ROOT, " nccl_%s_max_err=%.1f", n.system(), n.maxErrPct()));
        }
        for (ScalingCheck.PairResult p : scaling) {
            result.append(String.format(Locale.ROOT, " scaling_%s_err=%.1f", p.to(), p.errPct()));
        }
        System.out.println(result);
        return 0;
    }
}

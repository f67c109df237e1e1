package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.CoxswainModel;
import dev.coxswain.whatif.calibrate.LinkPrior;
import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.calibrate.PolluxModel;
import dev.coxswain.whatif.calibrate.StepTimeModel;
import dev.coxswain.whatif.spec.ClusterPresets;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Step-time accuracy of Coxswain's model and of the Pollux baseline on the Pollux artifact's placement traces
 * ({@code <data>/<model>/placements.csv}, measured on AWS g4dn.12xlarge), on two splits: (a) a seeded random 20% of
 * the rows measured, the rest queried; (b) rows on at most two nodes measured, rows on three or four queried. Next
 * to them, each trace's {@link NoiseFloor}: the scatter of its rows that no model can predict.
 */
public final class PolluxEvaluation {

    /** One trace's figures, with its {@link NoiseFloor}s between batch sizes and between node orders. */
    public record ModelResult(String workload, int rows, Accuracy coxA, Accuracy polluxA, Accuracy coxB,
                              Accuracy polluxB, double floorBatchPct, double floorOrderPct) {
    }

    private final Path dataDir;
    private final long seed;
    private final CoxswainModel.Options options;
    private final boolean verbose;

    public PolluxEvaluation(Path dataDir, long seed, CoxswainModel.Options options, boolean verbose) {
        this.verbose = verbose;
        this.dataDir = dataDir;
        this.seed = seed;
        this.options = options;
    }

    public List<ModelResult> run(List<String> workloads, PrintStream out) {
        LinkPrior prior = LinkPrior.of(ClusterPresets.get("g4dn-12xlarge"));
        List<ModelResult> results = new ArrayList<>();
        out.printf(Locale.ROOT, "%-9s %5s | %-22s | %-22s | %-15s | %s%n", "model", "rows",
                "split a MAPE % (20% meas.)", "split b MAPE % (<=2 nodes)", "noise floor %",
                "80% interval coverage a/b");
        out.printf(Locale.ROOT, "%-9s %5s | %10s %11s | %10s %11s | %7s %7s |%n", "", "", "coxswain", "pollux",
                "coxswain", "pollux", "batch", "order");
        for (String name : workloads) {
            PolluxWorkload w = PolluxWorkload.named(name);
            Path file = dataDir.resolve(name).resolve("placements.csv");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no trace " + file + " (give --data <pollux-placements dir>)");
            }
            List<Measurement> rows = MeasurementCsv.readMeasured(file);
            StepTimeModel cox = new CoxswainModel(prior, w.gradientBytes(), w.bucketBytes(), options);
            StepTimeModel pollux = new PolluxModel();
            Split a = Split.random(rows, 0.2, seed);
            Split b = Split.byNodes(rows, 2);
            ModelResult r = new ModelResult(name, rows.size(), Accuracy.of(cox, a), Accuracy.of(pollux, a),
                    Accuracy.of(cox, b), Accuracy.of(pollux, b), NoiseFloor.betweenBatchSizesPct(rows, cox.fit(rows)),
                    NoiseFloor.betweenNodeOrdersPct(rows));
            out.printf(Locale.ROOT,
                    "%-9s %5d | %10.2f %11.2f | %10.2f %11.2f | %7.2f %7.2f | %5.1f / %5.1f   (fit %.1f s)%n", name,
                    rows.size(), r.coxA().stepMapePct(), r.polluxA().stepMapePct(), r.coxB().stepMapePct(),
                    r.polluxB().stepMapePct(), r.floorBatchPct(), r.floorOrderPct(), r.coxA().intervalCoveragePct(),
                    r.coxB().intervalCoveragePct(), r.coxA().fitSeconds() + r.coxB().fitSeconds());
            if (verbose) {
                out.println("    coxswain a: " + r.coxA().parameters());
                out.println("    coxswain b: " + r.coxB().parameters());
            }
            results.add(r);
        }
        return results;
    }
}

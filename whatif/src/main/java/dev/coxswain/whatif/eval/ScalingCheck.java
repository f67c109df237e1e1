package dev.coxswain.whatif.eval;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.calibrate.MeasurementCsv;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.Fabric;
import dev.coxswain.whatif.spec.GpuType;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.Nics;
import dev.coxswain.whatif.spec.SwitchTier;
import dev.coxswain.whatif.spec.SyncSpec;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Checks the simulator's scaling of ResNet-50 against published step times: from the published step on the smaller
 * configuration (1 GPU, or 8 GPUs for MLPerf) the simulator predicts the larger one (8 GPUs of one node, or 64 GPUs
 * on 8 nodes). The per-GPU compute profile comes from the smaller configuration's step; where the per-GPU batch
 * changes (MLPerf's strong scaling, 400 to 50 images per GPU) the fixed part of compute is the fraction that the
 * Pollux ResNet-50 trace's single-GPU rows show at that batch (a linear fit of step time on batch).
 */
public final class ScalingCheck {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-01-01T00:00:00Z"), ZoneOffset.UTC);

    /** One pair: published and predicted step of the larger configuration. */
    public record PairResult(String from, String to, int gpusFrom, int gpusTo, double publishedMs,
                             double predictedMs, double errPct) {
    }

    private record Row(String id, String gpu, int gpus, int nodes, int batch, double stepMs, String precision) {
    }

    private final Path publishedCsv;
    private final Path polluxImagenet;

    public ScalingCheck(Path publishedCsv, Path polluxImagenet) {
        this.publishedCsv = publishedCsv;
        this.polluxImagenet = polluxImagenet;
    }

    public List<PairResult> run(PrintStream out) {
        CsvTable t = new CsvTable(publishedCsv);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            if (t.text(i, "model").startsWith("ResNet-50") && t.has(i, "derived_step_time_ms")
                    && t.has(i, "per_gpu_batch")) {
                rows.add(new Row(t.text(i, "source_id"), t.text(i, "gpu_type"), (int) t.number(i, "n_gpus"),
                        (int) t.number(i, "n_nodes"), (int) t.number(i, "per_gpu_batch"),
                        t.number(i, "derived_step_time_ms"), t.text(i, "precision")));
            }
        }
        double[] linear = polluxSingleGpuFit();
        out.printf(Locale.ROOT, "ResNet-50 compute split from the Pollux trace (1 GPU): %.1f ms + %.3f ms/sample"
                + " on T4%n", linear[0] * 1e3, linear[1] * 1e3);
        out.printf(Locale.ROOT, "%-28s %-28s %6s %11s %11s %7s%n", "from", "to", "GPUs", "published", "predicted",
                "err%");
        List<PairResult> results = new ArrayList<>();
        for (Row small : rows) {
            for (Row large : rows) {
                if (large.gpus() > small.gpus() && large.gpu().equals(small.gpu())
                        && large.precision().equals(small.precision())) {
                    PairResult r = predict(small, large, linear);
                    out.printf(Locale.ROOT, "%-28s %-28s %2d->%-3d %9.1f ms %9.1f ms %+6.1f%n", r.from(), r.to(),
                            r.gpusFrom(), r.gpusTo(), r.publishedMs(), r.predictedMs(), r.errPct());
                    results.add(r);
                }
            }
        }
        return results;
    }

    private double[] polluxSingleGpuFit() {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double sxy = 0;
        int n = 0;
        for (Measurement m : MeasurementCsv.readMeasured(polluxImagenet)) {
            if (m.placement().replicas() == 1) {
                sx += m.localBatch();
                sy += m.stepTimeSec();
                sxx += (double) m.localBatch() * m.localBatch();
                sxy += m.localBatch() * m.stepTimeSec();
                n++;
            }
        }
        double beta = (n * sxy - sx * sy) / (n * sxx - sx * sx);
        return new double[]{(sy - beta * sx) / n, beta};
    }

    private PairResult predict(Row small, Row large, double[] linear) {
        ClusterSpec cluster = clusterFor(small.gpu());
        boolean mlperf = small.id().startsWith("mlperf");
        long gradBytes = mlperf ? 25_557_032L * 2 : 25_557_032L * 4;
        double fixedShare = linear[0] / (linear[0] + linear[1] * small.batch());
        GpuType gpu = cluster.groups().get(0).gpu();
        double computeSmall = small.stepMs() / 1e3;
        for (int it = 0; it < 2; it++) {
            ModelProfile p = profile(gpu, computeSmall, fixedShare, small.batch(), gradBytes);
            double simulated = simulate(cluster, p, small.gpus(), small.batch());
            computeSmall -= simulated - small.stepMs() / 1e3;
        }
        ModelProfile p = profile(gpu, computeSmall, fixedShare, small.batch(), gradBytes);
        double predicted = simulate(cluster, p, large.gpus(), large.batch()) * 1e3;
        return new PairResult(small.id(), large.id(), small.gpus(), large.gpus(), large.stepMs(), predicted,
                100 * (predicted / large.stepMs() - 1));
    }

    private static ModelProfile profile(GpuType gpu, double computeSec, double fixedShare, int batch, long grad) {
        double alpha = fixedShare * computeSec;
        double beta = (1 - fixedShare) * computeSec / batch;
        return new ModelProfile("resnet50", List.of(new ModelProfile.ComputeCost(gpu.name(), alpha, beta,
                gpu.tflops())), grad, 25L << 20, 1.0 / 3, 0);
    }

    private static double simulate(ClusterSpec cluster, ModelProfile p, int gpus, int batch) {
        List<Integer> workers = new ArrayList<>();
        for (int g = 0; g < gpus; g++) {
            workers.add(g);
        }
        SyncSpec.Algorithm algo = gpus > 8 ? SyncSpec.Algorithm.HIERARCHICAL : SyncSpec.Algorithm.RING;
        JobSpec job = new JobSpec("resnet50", p, new SyncSpec.AllReduce(algo), workers,
                Collections.nCopies(gpus, batch), 1, 20, List.of(), 0);
        Simulation.Result r = new Simulation(new Topology(cluster), List.of(job), new CountingSink(), CLOCK,
                new Simulation.Options(1, 0)).run();
        return r.jobs().get(0).meanStepSec();
    }

    private static ClusterSpec clusterFor(String gpu) {
        if (gpu.startsWith("A100")) {
            return ClusterPresets.get("hgx-a100");
        }
        if (gpu.startsWith("H100")) {
            return ClusterPresets.get("dgx-h100");
        }
        // DGX-1 (V100 SXM2 16GB, NVLink hybrid cube mesh, 4 x 100 Gbit/s InfiniBand): no preset, built here.
        NodeGroup g = new NodeGroup("dgx1", 8, new GpuType(gpu, 125, 16), 8,
                new Fabric(Fabric.Kind.NVLINK, 150e9, 16e9, 5e-6),
                new Nics(4, 100e9 / 8, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 5e-6));
        return new ClusterSpec("dgx-1", List.of(g), List.of(new SwitchTier("leaf", 8, 1, 1e-6)));
    }
}

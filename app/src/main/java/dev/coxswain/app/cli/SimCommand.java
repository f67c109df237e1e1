package dev.coxswain.app.cli;

import dev.coxswain.app.sim.KafkaTelemetrySink;
import dev.coxswain.core.stats.Median;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.sink.FileSink;
import dev.coxswain.whatif.sink.SimOutput;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.ModelProfile;
import dev.coxswain.whatif.spec.SyncSpec;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code coxswain sim}: runs the discrete-event simulator on a cluster and a jobs file and writes the telemetry it
 * emits; {@code --bench} times a 1,024-GPU data-parallel job.
 */
public final class SimCommand implements Command {

    @Override
    public String name() {
        return "sim";
    }

    @Override
    public String summary() {
        return "simulate training jobs on a cluster and emit their telemetry (--bench: speed benchmark)";
    }

    @Override
    public String usage() {
        return """
                usage: coxswain sim --cluster <preset|file> --jobs <file> [--out <file> | --to-kafka <bootstrap>]
                                    [--seed <n>] [--sample-interval <s>]
                       coxswain sim --bench [--steps <n>] [--runs <n>]

                  --cluster          a preset (%s) or a cluster YAML file
                  --jobs             jobs YAML file (see docs/whatif.md)
                  --out              telemetry file: *.jsonl = one JSON record per line, anything else = binary
                                     (4-byte big-endian length + TelemetryCodec bytes per record); default: none
                  --to-kafka         send the records to Kafka (host:port,...) on the agents' topics and keys
                  --seed             overrides the jobs file's seed
                  --sample-interval  simulated seconds between GPU/host samples (default 10, 0 = none)
                  --bench            1,024 GPUs (dgx-h100), 1,000 steps, ring all-reduce; prints events/s and
                                     the cost per step with 1 and 8 gradient-accumulation micro-steps; ends with
                                     one RESULT line. For the one-core figure run it under 'taskset -c 0'.

                example: coxswain sim --cluster g4dn-12xlarge --jobs examples/whatif/jobs-contention.yaml \\
                             --out /tmp/t.jsonl
                """.formatted(ClusterPresets.names());
    }

    @Override
    public int run(List<String> args) {
        Options o = Options.parse(args, Set.of("cluster", "jobs", "out", "to-kafka", "seed",
                "sample-interval", "steps", "runs"), Set.of("bench"));
        if (o.flag("bench")) {
            return bench(o.getLong("steps", 1000), o.getInt("runs", 5, 1));
        }
        ClusterSpec cluster = Clusters.load(o.require("cluster"));
        JobFile.Jobs jobs = JobFile.read(Path.of(o.require("jobs")), cluster);
        long seed = o.getLong("seed", jobs.seed());
        String out = o.get("out").orElse("");
        if (!out.isEmpty() && o.get("to-kafka").isPresent()) {
            throw new UsageException("give --out or --to-kafka, not both");
        }
        SimOutput sink = o.get("to-kafka").isPresent() ? new KafkaTelemetrySink(o.require("to-kafka"))
                : out.isEmpty() ? new CountingSink()
                : new FileSink(Path.of(out), FileSink.Format.forFile(Path.of(out)));
        if (o.get("to-kafka").isPresent()) {
            out = "Kafka at " + o.require("to-kafka");
        }
        long t0 = System.nanoTime();
        Simulation.Result r;
        try (sink) {
            r = new Simulation(new Topology(cluster), jobs.jobs(), sink, Clock.systemUTC(),
                    new Simulation.Options(seed, o.getDouble("sample-interval", 10, 0, 1e6))).run();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "simulated %.1f s of %s in %.2f s: %d events, %d records%s%n",
                r.simulatedSec(), cluster.name(), wall, r.events(), r.records(),
                out.isEmpty() ? "" : " -> " + out);
        System.out.printf(Locale.ROOT, "%-20s %8s %12s %12s %14s  %s%n", "job", "steps", "step (ms)", "comm (ms)",
                "samples/s", "bottleneck");
        for (Simulation.JobResult j : r.jobs()) {
            System.out.printf(Locale.ROOT, "%-20s %8d %12.2f %12.2f %14.0f  %s%s%n", j.name(), j.steps(),
                    j.meanStepSec() * 1e3, j.meanCommSec() * 1e3, j.samplesPerSec(), j.lastBottleneck(),
                    j.maxStalenessLead() > 0 ? "  (max SSP lead " + j.maxStalenessLead() + ")" : "");
        }
        System.out.println("busiest links (utilisation over the run):");
        r.links().stream().sorted(Comparator.comparingDouble(Simulation.LinkResult::utilization).reversed()).limit(5)
                .filter(l -> l.utilization() > 0)
                .forEach(l -> System.out.printf(Locale.ROOT, "  %-28s %-11s %5.1f%% of %s/s%n", l.name(), l.kind(),
                        100 * l.utilization(), bytes(l.capacityBytesPerSec())));
        return 0;
    }

    private int bench(long steps, int runs) {
        ClusterSpec cluster = ClusterPresets.get("dgx-h100");
        double[] wall1 = new double[runs];
        double[] wall8 = new double[runs];
        Simulation.Result r1 = null;
        Simulation.Result r8 = null;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r1 = runBench(cluster, steps, 1);
            wall1[i] = (System.nanoTime() - t0) / 1e9;
            t0 = System.nanoTime();
            r8 = runBench(cluster, steps, 8);
            wall8[i] = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "run %d: accumulation 1: %.3f s wall, %d events; accumulation 8: %.3f s"
                    + " wall, %d events%n", i + 1, wall1[i], r1.events(), wall8[i], r8.events());
        }
        double m1 = Median.of(wall1);
        double m8 = Median.of(wall8);
        Simulation.JobResult j = r1.jobs().get(0);
        System.out.printf(Locale.ROOT, "1,024 GPUs x %d steps: median %.3f s wall (%.2f ms/step), %.0f events/s;"
                        + " simulated step %.2f ms, bottleneck %s%n", steps, m1, 1e3 * m1 / steps, r1.events() / m1,
                j.meanStepSec() * 1e3, j.lastBottleneck());
        System.out.printf(Locale.ROOT, "with 8 accumulation micro-steps: median %.3f s wall (%.2f ms/step),"
                + " ratio %.2f%n", m8, 1e3 * m8 / steps, m8 / m1);
        System.out.printf(Locale.ROOT, "RESULT sim_seconds=%.3f events_per_s=%.0f ms_per_step=%.3f"
                        + " accum8_ms_per_step=%.3f accum8_cost_ratio=%.2f gpus=1024 steps=%d%n", m1,
                r1.events() / m1, 1e3 * m1 / steps, 1e3 * m8 / steps, m8 / m1, steps);
        return 0;
    }

    static Simulation.Result runBench(ClusterSpec cluster, long steps, int accumulation) {
        ModelProfile resnet = new ModelProfile("resnet50", List.of(new ModelProfile.ComputeCost("H100-SXM5-80GB",
                0.004, 0.000105, 989)), 102_228_128L, 25L << 20, 0.33, 0.02);
        List<Integer> gpus = new ArrayList<>();
        for (int g = 0; g < 1024; g++) {
            gpus.add(g);
        }
        Integer[] batch = new Integer[1024];
        Arrays.fill(batch, 256);
        JobSpec job = new JobSpec("bench-1024", resnet, new SyncSpec.AllReduce(SyncSpec.Algorithm.RING), gpus,
                Arrays.asList(batch), accumulation, steps, List.of(), 0);
        return new Simulation(new Topology(cluster), List.of(job), new CountingSink(), Clock.systemUTC(),
                new Simulation.Options(1, 10)).run();
    }

    private static String bytes(double perSec) {
        return perSec >= 1e9 ? String.format(Locale.ROOT, "%.1f GB", perSec / 1e9)
                : String.format(Locale.ROOT, "%.0f MB", perSec / 1e6);
    }
}

package dev.coxswain.trainer.bench;

import dev.coxswain.core.CoxswainException;
import dev.coxswain.core.stats.Median;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.Knobs;
import dev.coxswain.trainer.coord.BatchPlan;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.launch.JobResult;
import dev.coxswain.trainer.launch.RoleLauncher;
import dev.coxswain.trainer.launch.TrainerJob;
import dev.coxswain.trainer.launch.TrainerRoles;
import dev.coxswain.trainer.launch.TrainerSpec;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code coxswain bench trainer}: wall-clock time to the target test accuracy of real training runs, 4 workers,
 * under BSP, SSP(3) and ASP; the same with worker w3 computing 2x slower; and BSP with that straggler and per-worker
 * batch sizes set by hand through the agent's knob API. The hand-set batches are proportional to each worker's
 * measured compute speed in the BSP straggler runs (global batch unchanged), set on the agent before the run.
 * Configurations are interleaved round by round, so that drifting load on the machine hits them alike; each time is
 * the median over the rounds. On a shared machine other work changes the times: each run can wait for a quiet
 * moment first, and its line shows how busy the machine was before it and the load average before and after. Besides the recovered fraction from the medians (the RESULT), the
 * fraction of each round's three back-to-back BSP runs is printed. Ends with the {@code RESULT} line.
 */
public final class TrainerBenchmark {
    /**
     * The emulated accelerator speed (samples/s per worker) the benchmark runs with: 256 samples take 85 ms, about
     * twice a worker's CPU time for them when four workers share two cores. Without it, a small machine's workers
     * take turns on its cores, and a slow worker that sleeps hands its core to the others: a straggler would cost
     * the job next to nothing, unlike one on a GPU cluster.
     */
    public static final double DEVICE_SPEED = 3000;

    /** The straggler: the last worker, computing this many times slower. */
    public static final String STRAGGLER = "0s w3 slowdown factor=2";

    private record Config(String name, Map<String, String> overrides, boolean rebalanced) {
    }

    /** In run order: the BSP family back to back, so that the paired comparison sees similar machine load. */
    private static final List<Config> CONFIGS = List.of(
            new Config("bsp", Map.of("trainer.sync.mode", "bsp"), false),
            new Config("bsp_straggler", Map.of("trainer.sync.mode", "bsp", "trainer.inject", STRAGGLER), false),
            new Config("rebalanced", Map.of("trainer.sync.mode", "bsp", "trainer.inject", STRAGGLER), true),
            new Config("ssp", Map.of("trainer.sync.mode", "ssp", "trainer.staleness", "3"), false),
            new Config("ssp_straggler", Map.of("trainer.sync.mode", "ssp", "trainer.staleness", "3",
                    "trainer.inject", STRAGGLER), false),
            new Config("asp", Map.of("trainer.sync.mode", "asp"), false),
            new Config("asp_straggler", Map.of("trainer.sync.mode", "asp", "trainer.inject", STRAGGLER), false));

    /**
     * @param repeats  rounds; each time reported is the median over them
     * @param base     settings every run starts from (workers, data, agent URL, launch mode...)
     * @param launcher how to start a run's shards and workers
     * @param agent    the job SDK client, pointed at the agent whose knob API sets the hand-set batches
     * @param quietBelow before each run, wait (up to 3 minutes) until the machine is less busy than this share of
     *                 its CPUs (0: do not wait)
     */
    public record Options(int repeats, Map<String, String> base, Function<TrainerSpec, RoleLauncher> launcher,
                          AgentClient agent, Duration runTimeout, double quietBelow) {
        public Options {
            if (repeats < 1) {
                throw new IllegalArgumentException("repeats must be at least 1");
            }
            base = Map.copyOf(base);
        }
    }

    /** Median times in seconds by configuration, the hand-set batches, and the recovered fraction. */
    public record Outcome(Map<String, Double> medianSeconds, BatchPlan rebalancedBatches, double recoveredFraction) {
    }

    private final Options options;
    private final PrintStream out;

    public TrainerBenchmark(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public Outcome run() throws InterruptedException {
        TrainerSpec base = TrainerSpec.parse(options.base());
        out.printf(Locale.ROOT, "trainer benchmark: %d workers, %d shards, global batch %d, lr %.3f, target %.2f "
                        + "test accuracy (%s), %d round(s), %s launch%n", base.workers(), base.shards(),
                base.batches().global(), base.optimizer().learningRate(), base.run().targetAccuracy(),
                base.run().testLimit() > 0 ? "first " + base.run().testLimit() + " test images" : "10,000 test images",
                options.repeats(), base.processes().launch().name().toLowerCase(Locale.ROOT));
        Dataset test = TrainerRoles.load(base, FashionMnist.Split.TEST);
        Map<String, List<Double>> times = new LinkedHashMap<>();
        List<double[]> stragglerSpeeds = new ArrayList<>();
        BatchPlan rebalanced = null;
        for (int round = 1; round <= options.repeats(); round++) {
            for (Config c : CONFIGS) {
                Map<String, String> settings = new LinkedHashMap<>(options.base());
                settings.putAll(c.overrides());
                settings.put("trainer.job.id", "bench-" + c.name().replace('_', '-') + "-" + round + "-"
                        + Long.toString(System.currentTimeMillis() % 100_000, 36));
                TrainerSpec spec = TrainerSpec.parse(settings);
                if (c.rebalanced()) {
                    rebalanced = handSet(spec, stragglerSpeeds);
                }
                double busyBefore = options.quietBelow() > 0
                        ? MachineLoad.awaitQuiet(options.quietBelow(), Duration.ofMinutes(3))
                        : MachineLoad.busy(Duration.ofSeconds(1));
                double loadBefore = loadAverage();
                JobResult r = runOnce(spec, test);
                if (c.name().equals("bsp_straggler")) {
                    stragglerSpeeds.add(r.computeSpeeds());
                }
                double seconds = r.timeToTarget().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
                times.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(seconds);
                out.printf(Locale.ROOT, "  round %d %-14s %s  final %.4f after %d steps, %.1f ms/step, speeds %s, "
                                + "machine %.0f%% busy before, load %.1f->%.1f%n", round, c.name(), r.reachedTarget().map(p -> String.format(
                                Locale.ROOT, "%5.1f%% at %6.2f s (step %d)", 100 * p.accuracy(), seconds,
                                p.globalStep())).orElse("target NOT reached      "),
                        r.finalEval().accuracy(), r.clocks()[0],
                        r.trainingTime().toNanos() / 1e6 / Math.max(1, r.clocks()[0]), speeds(r.computeSpeeds()),
                        100 * busyBefore, loadBefore, loadAverage());
            }
        }
        return summarize(times, rebalanced);
    }

    /** The one-minute load average, or -1 where the platform has none. */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private JobResult runOnce(TrainerSpec spec, Dataset test) throws InterruptedException {
        try (TrainerJob job = TrainerJob.start(spec, options.launcher().apply(spec), options.agent(), test)) {
            return job.await(options.runTimeout());
        }
    }

    /** Batches proportional to the measured speeds of the straggler runs so far, summing to the global batch. */
    private BatchPlan handSet(TrainerSpec spec, List<double[]> speeds) {
        if (speeds.isEmpty()) {
            throw new CoxswainException("no straggler run to measure worker speeds from");
        }
        int n = spec.workers();
        int[] weights = new int[n];
        double[] median = new double[n];
        for (int w = 0; w < n; w++) {
            int wi = w;
            median[w] = Median.of(speeds.stream().mapToDouble(s -> s[wi]).boxed().toList());
        }
        double max = Arrays.stream(median).max().orElse(1);
        for (int w = 0; w < n; w++) {
            weights[w] = Math.max(1, (int) Math.round(1000 * median[w] / max));
        }
        BatchPlan plan = new BatchPlan(weights).rescaledTo(spec.batches().global());
        for (int w = 0; w < n; w++) {
            options.agent().setKnobs(spec.jobId(), Optional.of(spec.workerIds().get(w)),
                    Knobs.none().withBatchSize(plan.local(w)));
        }
        out.printf(Locale.ROOT, "  hand-set batches through the knob API: %s (measured speeds %s)%n", plan,
                speeds(median));
        return plan;
    }

    private Outcome summarize(Map<String, List<Double>> times, BatchPlan rebalanced) {
        Map<String, Double> medians = new LinkedHashMap<>();
        out.println();
        out.println("time to target accuracy, median of " + options.repeats() + " (all runs in seconds):");
        times.forEach((name, list) -> {
            medians.put(name, Median.of(list));
            out.printf(Locale.ROOT, "  %-14s %7.2f s   %s%n", name, medians.get(name), list);
        });
        double bsp = medians.get("bsp");
        double straggler = medians.get("bsp_straggler");
        double fixed = medians.get("rebalanced");
        double recovered = (straggler - fixed) / (straggler - bsp);
        List<Double> b = times.get("bsp");
        List<Double> st = times.get("bsp_straggler");
        List<Double> rb = times.get("rebalanced");
        StringBuilder paired = new StringBuilder();
        for (int i = 0; i < b.size(); i++) {
            paired.append(String.format(Locale.ROOT, "%s%.2f", i > 0 ? ", " : "",
                    (st.get(i) - rb.get(i)) / (st.get(i) - b.get(i))));
        }
        out.println("recovered fraction of each round's back-to-back BSP runs: [" + paired + "]");
        out.printf(Locale.ROOT, "time lost to the straggler under BSP: %.2f s; recovered by hand-set batches %s: "
                + "%.2f s (%.0f%%)%n", straggler - bsp, rebalanced, straggler - fixed, 100 * recovered);
        out.printf(Locale.ROOT, "RESULT bsp_s=%.2f bsp_straggler_s=%.2f ssp_straggler_s=%.2f rebalanced_s=%.2f "
                + "recovered_fraction=%.3f%n", bsp, straggler, medians.get("ssp_straggler"), fixed, recovered);
        return new Outcome(medians, rebalanced, recovered);
    }

    private static String speeds(double[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) {
            b.append(i > 0 ? ", " : "").append(Math.round(s[i]));
        }
        return b.append("] samples/s").toString();
    }
}

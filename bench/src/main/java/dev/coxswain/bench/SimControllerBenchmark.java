package dev.coxswain.bench;

import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.sim.KafkaTelemetrySink;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.stats.Median;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.DeadLetters;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.KnobCommands;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterPresets;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * {@code coxswain bench controller --sim}: the controller against the what-if simulator as the plant, at cluster
 * scale. The simulator runs in real time ({@code pace} 1) and sends its telemetry (topology, membership, step
 * reports, GPU and host samples, job events) through the broker as agents would; the collector, the live detector
 * and the controller in {@code act} mode run as in the daemon; the controller's signed actions come back over the
 * knobs topic to a knob intake that verifies them and hands them to the simulation, whose jobs apply
 * {@code batch_size} from the next step and report {@code knob.applied} with the action id. Each round runs the jobs
 * file four times, as {@code bench controller} does: clean, with its stragglers and no controller (static), with
 * its stragglers and the controller (controlled), clean with the controller. The time of a job is the simulated time
 * from its start to its last step (its steps are a fixed amount of training: rebalancing keeps the global batch).
 * The recovered fraction is taken over the jobs with stragglers, from the sums of their times:
 * {@code (static - controlled) / (static - clean)}; the overhead over all jobs, {@code clean_controlled / clean - 1}.
 */
public final class SimControllerBenchmark {
    /** The built-in plant: eight 32-GPU jobs on 256 GPUs of the dgx-h100 preset, three with stragglers. */
    public static final String DEFAULT_JOBS = "/bench/jobs-controller-256.yaml";
    public static final String DEFAULT_CLUSTER = "dgx-h100";

    private final PrintStream out;
    private final Clock clock;

    public SimControllerBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * @param jobsFile a jobs YAML file (docs/whatif.md) on the {@link #DEFAULT_CLUSTER} preset; empty: the built-in
     * @param daemon   daemon settings ({@code controller.*}, {@code detector.*} ...); the controller runs in act mode
     */
    public void run(int rounds, Optional<Path> jobsFile, Map<String, String> daemon)
            throws IOException, InterruptedException {
        ClusterSpec cluster = ClusterPresets.get(DEFAULT_CLUSTER);
        JobFile.Jobs jobs = JobFile.parse(jobsFile.map(Path::toString).orElse(DEFAULT_JOBS), read(jobsFile), cluster);
        Set<String> faultyJobs = jobs.jobs().stream().filter(j -> !j.stragglers().isEmpty()).map(JobSpec::name)
                .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
        int gpus = jobs.jobs().stream().mapToInt(JobSpec::workers).sum();
        Settings settings = Settings.load(null, daemon);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Services services = new Services(clock)) {
            KafkaSettings kafka = services.kafka(settings.kafka());
            ControlChannelSettings control = ControlChannelSettings.random();
            ControlApi controller = services.collectorStage(kafka, settings, settings.controller()
                    .withMode(ControlMode.ACT), control, registry).control();
            AtomicReference<Simulation> plant = new AtomicReference<>();
            DeadLetters deadLetters = services.add(new DeadLetters(kafka, "sim-plant-dead-letters"));
            KnobCommands knobs = services.add(new KnobCommands(kafka, control.signature().orElseThrow(),
                    deadLetters, "sim-plant-knobs", a -> Optional.ofNullable(plant.get()).ifPresent(s -> s.offer(a))));
            knobs.start();
            if (!knobs.awaitAssigned(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the plant's knob intake did not reach " + kafka.topics().knobs());
            }
            out.printf(Locale.ROOT, "controller benchmark on the simulator: %d jobs on %d GPUs of %s, %d round(s); "
                            + "jobs with stragglers %s; controller %s%n", jobs.jobs().size(), gpus, cluster.name(),
                    rounds, faultyJobs, settings.controller().policies());
            Map<String, Map<String, List<Double>>> times = new LinkedHashMap<>();
            ControllerBenchmark.Totals totals = new ControllerBenchmark.Totals();
            for (int round = 1; round <= rounds; round++) {
                for (ControllerBenchmark.Config c : ControllerBenchmark.CONFIGS) {
                    String prefix = "sim-" + c.name().replace('_', '-') + "-" + round + "-"
                            + Long.toString(clock.millis() % 1_000_000, 36) + "-";
                    List<JobSpec> specs = jobs.jobs().stream()
                            .map(j -> (c.faulty() ? j : j.healthy()).named(prefix + j.name())).toList();
                    if (!c.controlled()) {
                        specs.forEach(j -> controller.setMode(j.name(), ControlMode.OFF, "bench"));
                    }
                    Simulation.Result result;
                    try (KafkaTelemetrySink sink = new KafkaTelemetrySink(kafka)) {
                        Simulation sim = new Simulation(new Topology(cluster), specs, sink, clock,
                                new Simulation.Options(jobs.seed() + round, 1, 1));
                        plant.set(sim);
                        result = sim.run();
                        plant.set(null);
                    }
                    StringBuilder line = new StringBuilder();
                    for (Simulation.JobResult r : result.jobs()) {
                        String name = r.name().substring(prefix.length());
                        times.computeIfAbsent(c.name(), k -> new LinkedHashMap<>())
                                .computeIfAbsent(name, k -> new ArrayList<>()).add(r.durationSec());
                        Set<String> faulty = specs.stream().filter(j -> j.name().equals(r.name()))
                                .flatMap(j -> j.stragglers().stream().map(s -> r.name() + "-w" + s.worker()))
                                .collect(Collectors.toSet());
                        ControllerBenchmark.Tally t = ControllerBenchmark.tally(controller.latest(), r.name(), faulty);
                        totals.add(c, t);
                        line.append(String.format(Locale.ROOT, " %s %.1fs/%d", name, r.durationSec(), t.actions()));
                        t.lines().forEach(l -> out.println("    " + name + l));
                    }
                    out.printf(Locale.ROOT, "  round %d %-16s (job time/actions)%s%n", round, c.name(), line);
                }
            }
            summarize(times, faultyJobs, gpus, totals);
        }
    }

    private static String read(Optional<Path> file) throws IOException {
        if (file.isPresent()) {
            return Files.readString(file.get());
        }
        try (InputStream in = SimControllerBenchmark.class.getResourceAsStream(DEFAULT_JOBS)) {
            if (in == null) {
                throw new IOException("built-in jobs file " + DEFAULT_JOBS + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Per job, the median of its times over the rounds; summed over {@code which}. */
    private static double total(Map<String, List<Double>> byJob, Set<String> which) {
        return byJob.entrySet().stream().filter(e -> which.contains(e.getKey()))
                .mapToDouble(e -> Median.of(e.getValue())).sum();
    }

    private void summarize(Map<String, Map<String, List<Double>>> times, Set<String> faultyJobs, int gpus,
                           ControllerBenchmark.Totals totals) {
        Set<String> all = times.get("clean").keySet();
        out.println();
        out.println("job times (simulated s), medians over the rounds:");
        out.printf(Locale.ROOT, "  %-10s %10s %10s %12s %18s%n", "job", "clean", "static", "controlled",
                "clean_controlled");
        for (String job : all) {
            out.printf(Locale.ROOT, "  %-10s %10.1f %10.1f %12.1f %18.1f%s%n", job,
                    Median.of(times.get("clean").get(job)), Median.of(times.get("static").get(job)),
                    Median.of(times.get("controlled").get(job)), Median.of(times.get("clean_controlled").get(job)),
                    faultyJobs.contains(job) ? "   (stragglers)" : "");
        }
        double clean = total(times.get("clean"), faultyJobs);
        double stat = total(times.get("static"), faultyJobs);
        double controlled = total(times.get("controlled"), faultyJobs);
        double cleanControlled = total(times.get("clean_controlled"), faultyJobs);
        double recovered = (stat - controlled) / (stat - clean);
        double overhead = total(times.get("clean_controlled"), all) / total(times.get("clean"), all) - 1;
        out.println("actions on the clean controlled jobs: " + totals.cleanActions);
        out.printf(Locale.ROOT, "RESULT gpus=%d clean_s=%.1f static_s=%.1f controlled_s=%.1f clean_controlled_s=%.1f "
                        + "recovered_fraction=%.3f overhead=%.3f actions=%d rollbacks=%d wrong_actions=%d%n", gpus,
                clean, stat, controlled, cleanControlled, recovered, overhead, totals.actions + totals.cleanActions,
                totals.rollbacks, totals.wrong);
    }
}

package dev.coxswain.bench;

import dev.coxswain.agent.Agent;
import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.demo.PyTorchJob;
import dev.coxswain.app.trainer.TrainerRun;
import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.ActionBoard;
import dev.coxswain.core.control.ActionOutcome;
import dev.coxswain.core.control.ControlApi;
import dev.coxswain.core.control.ControlMode;
import dev.coxswain.core.stats.Median;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.sdk.AgentClientOptions;
import dev.coxswain.trainer.bench.TrainerBenchmark;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.FashionMnist;
import dev.coxswain.trainer.launch.JobResult;
import dev.coxswain.trainer.launch.TrainerJob;
import dev.coxswain.trainer.launch.TrainerRoles;
import dev.coxswain.trainer.launch.TrainerSpec;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.transport.TelemetryPublisher;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.PrintStream;
import java.net.URI;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code coxswain bench controller}: the controller against the reference trainer, through the whole daemon as the
 * demo runs it (embedded broker, agent with its knob intake, collector, live detector, controller in {@code act}
 * mode). Each round runs four jobs, interleaved so that drifting load on the machine hits them alike: the job with no
 * fault (clean), with the scenario and the controller off for it (static), with the scenario and the controller on
 * (controlled), and with no fault and the controller on (clean_controlled). It reports each one's time to the target
 * accuracy, medians over the rounds, the recovered fraction {@code (static - controlled) / (static - clean)}, the
 * overhead {@code clean_controlled / clean - 1}, the actions taken (rollbacks excluded), the rollbacks, and the wrong
 * actions: those triggered by a worker that the scenario leaves alone. Workers emulate accelerators of
 * {@link TrainerBenchmark#DEVICE_SPEED} samples/s, as in {@code bench trainer}.
 */
public final class ControllerBenchmark {
    /** The built-in scenario: worker w3 computes 2x slower from the start, under BSP. */
    public static final String DEFAULT_SCENARIO = TrainerBenchmark.STRAGGLER;

    /** One of the four runs of a round. */
    record Config(String name, boolean faulty, boolean controlled) {
    }

    static final List<Config> CONFIGS = List.of(new Config("clean", false, false),
            new Config("static", true, false), new Config("controlled", true, true),
            new Config("clean_controlled", false, true));

    /** The actions over a benchmark's runs: on faulty controlled jobs, on clean controlled jobs, rolled back, wrong. */
    static final class Totals {
        int actions;
        int cleanActions;
        int rollbacks;
        int wrong;

        void add(Config c, Tally t) {
            if (c.controlled() && c.faulty()) {
                actions += t.actions();
            } else if (c.controlled()) {
                cleanActions += t.actions();
            }
            rollbacks += t.rollbacks();
            wrong += t.wrong();
        }
    }

    /** What the controller did to one job. */
    record Tally(int actions, int rollbacks, int wrong, List<String> lines) {
    }

    private final PrintStream out;
    private final Clock clock;

    public ControllerBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /** The daemon the benchmark's jobs run under: the controller and the agent's intake. */
    private record Daemon(ControlApi controller, URI agent) {
    }

    /** Runs one job to its target accuracy. */
    private interface Plant {
        /** The seconds to the target (NaN when not reached) and a line about the run. */
        Run run(String jobId, boolean faulty) throws Exception;
    }

    private record Run(double seconds, String line) {
    }

    /**
     * The whole daemon in this process, as the demo runs it: broker (embedded unless configured), collector, live
     * detector, controller in act mode, an agent with its knob intake (sharing a random secret with the controller).
     */
    private Daemon daemon(Services services, Settings settings, PrometheusMeterRegistry registry) {
        KafkaSettings kafka = services.kafka(settings.kafka());
        ControlChannelSettings control = ControlChannelSettings.random();
        ControlApi controller = services.collectorStage(kafka, settings, settings.controller()
                .withMode(ControlMode.ACT), control, registry).control();
        TelemetryPublisher publisher = services.add(new TelemetryPublisher(kafka, "bench-controller"));
        Agent agent = services.add(new Agent(settings.agent().withIntakePort(0), publisher));
        agent.start();
        services.agentKnobs(kafka, control, agent, registry);
        return new Daemon(controller, URI.create("http://127.0.0.1:" + agent.intakePort()));
    }

    /**
     * @param scenario a trainer scenario file; empty: {@link #DEFAULT_SCENARIO}
     * @param daemon   daemon settings ({@code controller.*}, {@code detector.*} ...); the controller runs in act mode
     * @param trainer  {@code trainer.*} settings laid over the benchmark's
     */
    public void run(int rounds, Optional<Path> scenario, Map<String, String> daemon, Map<String, String> trainer)
            throws Exception {
        Settings settings = Settings.load(null, daemon);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (Services services = new Services(clock)) {
            Daemon d = daemon(services, settings, registry);
            Map<String, String> base = new LinkedHashMap<>();
            base.put("trainer.agent.url", d.agent().toString());
            base.put("trainer.nodes", settings.agent().nodeId());
            base.put("trainer.work.dir", ".state/bench-controller");
            base.put("trainer.device.samples.per.sec", Double.toString(TrainerBenchmark.DEVICE_SPEED));
            base.putAll(trainer);
            Map<String, String> faulty = new LinkedHashMap<>(base);
            scenario.ifPresentOrElse(f -> faulty.put("trainer.scenario", f.toString()),
                    () -> faulty.put("trainer.inject", DEFAULT_SCENARIO));
            TrainerSpec probe = TrainerSpec.parse(faulty);
            Set<String> faultyWorkers = probe.scenario().workers();
            out.printf(Locale.ROOT, "controller benchmark: %d workers, global batch %d, %s, target %.2f test "
                            + "accuracy, %d round(s); scenario %s (faulty workers %s); controller %s%n",
                    probe.workers(), probe.batches().global(), probe.policy(), probe.run().targetAccuracy(), rounds,
                    scenario.map(Path::toString).orElse("'" + DEFAULT_SCENARIO + "'"), faultyWorkers,
                    settings.controller().policies());
            Dataset test = TrainerRoles.load(probe, FashionMnist.Split.TEST);
            try (AgentClient client = AgentClient.connect(AgentClientOptions.defaults(d.agent()))) {
                rounds(rounds, d.controller(), faultyWorkers, (jobId, isFaulty) -> {
                    Map<String, String> run = new LinkedHashMap<>(isFaulty ? faulty : base);
                    run.put("trainer.job.id", jobId);
                    TrainerSpec spec = TrainerSpec.parse(run);
                    JobResult r;
                    try (TrainerJob job = TrainerJob.start(spec, TrainerRun.launcher(spec, client), client, test)) {
                        r = job.await(Duration.ofMinutes(10));
                    }
                    double seconds = r.timeToTarget().map(t -> t.toNanos() / 1e9).orElse(Double.NaN);
                    return new Run(seconds, r.reachedTarget().map(p -> String.format(Locale.ROOT,
                            "%5.1f%% at %6.2f s (step %d)", 100 * p.accuracy(), seconds, p.globalStep()))
                            .orElse("target NOT reached      ") + String.format(Locale.ROOT, "  final %.4f",
                            r.finalEval().accuracy()));
                });
            }
        }
    }

    /** Rank w3 of the PyTorch job computes 2x slower from the start, as in the built-in trainer scenario. */
    static final String PYTORCH_SLOW_RANK = "w3";
    private static final Pattern REACHED = Pattern.compile("reached 0\\.85 test accuracy at step (\\d+) in ([0-9.]+) s");

    /**
     * {@code --job pytorch}: the same rounds with the PyTorch DDP example (examples/pytorch: four gloo ranks under
     * torch.distributed.run, emulated accelerators) as the job, rank w3 2x slower from the start when faulty; the
     * time is the job's own, from its first step to 85% test accuracy.
     */
    public void runPyTorch(int rounds, Map<String, String> daemon) throws Exception {
        Settings settings = Settings.load(null, daemon);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Path logs = Path.of(".state", "bench-controller", "pytorch");
        try (Services services = new Services(clock)) {
            Daemon d = daemon(services, settings, registry);
            out.printf(Locale.ROOT, "controller benchmark on a PyTorch DDP job: 4 gloo ranks, global batch 512, "
                    + "target 0.85 test accuracy, %d round(s); faulty: %s 2x from the start; controller %s%n",
                    rounds, PYTORCH_SLOW_RANK, settings.controller().policies());
            rounds(rounds, d.controller(), Set.of(PYTORCH_SLOW_RANK), (jobId, isFaulty) -> {
                Path log = logs.resolve(jobId + ".log");
                try (PyTorchJob job = PyTorchJob.start(new PyTorchJob.Options(jobId, d.agent(), 4,
                        isFaulty ? 3 : -1, 2.0, Duration.ZERO, List.of("--target", "0.85"), log))) {
                    Optional<Integer> exit = job.await(Duration.ofMinutes(10));
                    Matcher m = REACHED.matcher(job.output());
                    if (exit.isEmpty() || exit.get() != 0 || !m.find()) {
                        return new Run(Double.NaN, "target NOT reached (exit " + exit.map(String::valueOf)
                                .orElse("none: still running") + "; output in " + log + ")");
                    }
                    return new Run(Double.parseDouble(m.group(2)), String.format(Locale.ROOT,
                            "85.0%% at %6.2f s (step %s)", Double.parseDouble(m.group(2)), m.group(1)));
                }
            });
        }
    }

    /** The four runs of each round on one plant, then the summary and the RESULT line. */
    private void rounds(int rounds, ControlApi controller, Set<String> faultyWorkers, Plant plant) throws Exception {
        Map<String, List<Double>> times = new LinkedHashMap<>();
        Totals totals = new Totals();
        for (int round = 1; round <= rounds; round++) {
            for (Config c : CONFIGS) {
                String jobId = "ctl-" + c.name().replace('_', '-') + "-" + round + "-"
                        + Long.toString(clock.millis() % 1_000_000, 36);
                if (!c.controlled()) {
                    controller.setMode(jobId, ControlMode.OFF, "bench");
                }
                Run r = plant.run(jobId, c.faulty());
                times.computeIfAbsent(c.name(), k -> new ArrayList<>()).add(r.seconds());
                Tally t = tally(controller.latest(), jobId, c.faulty() ? faultyWorkers : Set.of());
                totals.add(c, t);
                out.printf(Locale.ROOT, "  round %d %-16s %s, %d actions, %d rollbacks%n", round, c.name(), r.line(),
                        t.actions(), t.rollbacks());
                t.lines().forEach(out::println);
            }
        }
        summarize(times, totals);
    }

    /** The controller's actions on one job, from its board. */
    static Tally tally(ActionBoard board, String jobId, Set<String> faulty) {
        int actions = 0;
        int rollbacks = 0;
        int wrong = 0;
        List<String> lines = new ArrayList<>();
        for (ActionBoard.Entry e : board.entries().reversed()) {
            Action a = e.action();
            if (!a.job().equals(jobId)) {
                continue;
            }
            if (a.revertOf().isEmpty()) {
                actions++;
            }
            boolean isWrong = a.trigger().filter(w -> !faulty.contains(w)).isPresent();
            wrong += isWrong ? 1 : 0;
            rollbacks += e.outcomes().stream().anyMatch(o -> o.status() == ActionOutcome.Status.ROLLED_BACK) ? 1 : 0;
            lines.add(String.format(Locale.ROOT, "      %s %s %s%s -> %s", a.policy(), a.settings(),
                    a.trigger().map(w -> "triggered by " + w).orElse("no trigger"), isWrong ? " (WRONG)" : "",
                    e.latest().map(o -> o.status().label() + ": " + o.detail()).orElse("no outcome")));
        }
        return new Tally(actions, rollbacks, wrong, lines);
    }

    private void summarize(Map<String, List<Double>> times, Totals totals) {
        Map<String, Double> medians = new LinkedHashMap<>();
        out.println();
        out.println("time to target accuracy, medians (all runs in seconds):");
        times.forEach((name, list) -> {
            medians.put(name, Median.of(list));
            out.printf(Locale.ROOT, "  %-16s %7.2f s   %s%n", name, medians.get(name), list);
        });
        double clean = medians.get("clean");
        double stat = medians.get("static");
        double controlled = medians.get("controlled");
        double cleanControlled = medians.get("clean_controlled");
        double recovered = (stat - controlled) / (stat - clean);
        double overhead = cleanControlled / clean - 1;
        List<Double> c = times.get("clean");
        List<Double> s = times.get("static");
        List<Double> k = times.get("controlled");
        StringBuilder paired = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
            paired.append(String.format(Locale.ROOT, "%s%.2f", i > 0 ? ", " : "",
                    (s.get(i) - k.get(i)) / (s.get(i) - c.get(i))));
        }
        out.println("recovered fraction of each round: [" + paired + "]; actions on the clean controlled jobs: "
                + totals.cleanActions);
        out.printf(Locale.ROOT, "RESULT clean_s=%.2f static_s=%.2f controlled_s=%.2f clean_controlled_s=%.2f "
                        + "recovered_fraction=%.3f overhead=%.3f actions=%d rollbacks=%d wrong_actions=%d%n", clean,
                stat, controlled, cleanControlled, recovered, overhead, totals.actions + totals.cleanActions,
                totals.rollbacks, totals.wrong);
    }
}

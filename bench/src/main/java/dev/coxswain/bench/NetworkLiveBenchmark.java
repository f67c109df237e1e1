package dev.coxswain.bench;

import dev.coxswain.app.Services;
import dev.coxswain.app.config.Settings;
import dev.coxswain.app.sim.KafkaTelemetrySink;
import dev.coxswain.core.hub.Source;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.core.stats.Median;
import dev.coxswain.graphmodels.gnn.SnapshotNetwork;
import dev.coxswain.graphmodels.live.NetworkPredictor;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.transport.ControlChannelSettings;
import dev.coxswain.transport.KafkaSettings;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobFile;
import dev.coxswain.whatif.spec.JobSpec;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * {@code coxswain bench network}: the live network model against the what-if simulator as the plant. The simulator
 * runs the jobs in real time and sends its telemetry through the broker as agents would (topology, membership, step
 * reports); a collector with the network model beside it, as in the daemon, scores its snapshots. The truth is what
 * the simulator says each job's exchange took ({@code Simulation.JobResult#meanExchangeSec}); the live view is read
 * off each network board the model publishes over the second half of the run. Beside the graph network, in the same run
 * and on the same snapshot: the max-min fair-share estimate and the idle-network estimate (each exchange as if
 * alone). The live view reads the collector's graph, not the simulator's topology: undirected links with the
 * collector's capacities, shortest-path routes, so the figure measures the whole live path, not the network alone.
 */
public final class NetworkLiveBenchmark {
    private final PrintStream out;
    private final Clock clock;

    public NetworkLiveBenchmark(PrintStream out, Clock clock) {
        this.out = out;
        this.clock = clock;
    }

    /**
     * What was read of one job: the live board's raw predictions, its last recent error and bottleneck. Written on the
     * network model's thread as it publishes, read once the simulation has ended.
     */
    private static final class Seen {
        final List<Double> raw = new CopyOnWriteArrayList<>();
        volatile double recentErrorPct = Double.NaN;
        volatile String bottleneck = "none";
    }

    /** One round's figures: MAPEs in percent, the refit's recent error (median over jobs), the jobs read. */
    private record Round(double network, double fairShare, double idle, double refitErrorPct, int jobs) {
    }

    /**
     * @param rounds each on a broker and collector of its own, the simulation seeded {@code seed + round - 1}
     * @param daemon daemon settings ({@code network.*}, {@code collector.*} ...); the controller does not run
     */
    public void run(ClusterSpec cluster, JobFile.Jobs jobs, Duration length, int rounds, Map<String, String> daemon)
            throws Exception {
        List<Round> done = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            out.printf(Locale.ROOT, "round %d of %d, seed %d:%n", round, rounds, jobs.seed() + round - 1);
            done.add(round(cluster, jobs, length, jobs.seed() + round - 1, daemon));
        }
        double network = Median.of(done.stream().map(Round::network).toList());
        double fair = Median.of(done.stream().map(Round::fairShare).toList());
        double idle = Median.of(done.stream().map(Round::idle).toList());
        double refit = Median.of(done.stream().map(Round::refitErrorPct).toList());
        out.printf(Locale.ROOT, "medians over %d round(s): network MAPE %.1f%% (rounds %s), fair share %.1f%%,"
                        + " idle %.1f%%, refitted recent error %.1f%%%n", rounds, network,
                done.stream().map(r -> String.format(Locale.ROOT, "%.1f", r.network())).toList(), fair, idle, refit);
        out.printf(Locale.ROOT, "RESULT live_comm_mape=%.2f fair_share_mape=%.2f idle_mape=%.2f"
                        + " live_refit_error_pct=%.2f jobs=%d rounds=%d%n", network, fair, idle, refit,
                done.getLast().jobs(), rounds);
    }

    private Round round(ClusterSpec cluster, JobFile.Jobs jobs, Duration length, long seed,
                        Map<String, String> daemon) throws Exception {
        Map<String, String> overrides = new HashMap<>(daemon);
        overrides.put("controller.enabled", "false");
        // A broker of its own: the collector would replay the telemetry of earlier runs' jobs.
        Path brokerDir = Files.createTempDirectory("coxswain-bench-network-");
        overrides.putIfAbsent("kafka.embedded.dir", brokerDir.toString());
        // The collector learns leaves from the NICs' switches; what is oversubscribed above them it is told.
        if (!cluster.tiers().isEmpty()) {
            overrides.putIfAbsent("collector.fabric.oversubscription",
                    Double.toString(cluster.tiers().getFirst().oversubscription()));
        }
        Settings settings = Settings.load(null, overrides);
        String prefix = "net-" + Long.toString(clock.millis() % 1_000_000, 36) + "-";
        List<JobSpec> specs = jobs.jobs().stream().map(j -> j.healthy().named(prefix + j.name())).toList();
        try (Services services = new Services(clock)) {
            KafkaSettings kafka = services.kafka(settings.kafka());
            Services.CollectorStage stage = services.collectorStage(kafka, settings, settings.controller(),
                    ControlChannelSettings.random(), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            Source<NetworkBoard> network = stage.network();
            out.printf(Locale.ROOT, "live network model against the simulator: %d jobs on %s, %d s in real time;"
                            + " model: %s%n", specs.size(), cluster.name(), length.toSeconds(),
                    network.latest().model());
            Simulation.Result result;
            Map<String, Seen> seen = new LinkedHashMap<>();
            specs.forEach(j -> seen.put(j.name(), new Seen()));
            ClusterSnapshot last;
            long readFrom = clock.millis() + length.toMillis() / 2;
            try (KafkaTelemetrySink sink = new KafkaTelemetrySink(kafka);
                 AutoCloseable reading = network.subscribe(board -> {
                     if (clock.millis() >= readFrom) {
                         read(board, seen);
                     }
                 })) {
                result = new Simulation(new Topology(cluster), specs, sink, clock,
                        new Simulation.Options(seed, 1, 1)).run(length.toMillis() / 1000.0);
                last = stage.snapshots().latest();
            }
            return report(result, seen, last);
        } finally {
            deleteTree(brokerDir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void read(NetworkBoard board, Map<String, Seen> seen) {
        board.jobs().forEach((id, j) -> {
            Seen s = seen.get(id);
            if (s != null && j.correction() > 0) {
                s.raw.add(j.commMs() / j.correction() / 1000);
                s.recentErrorPct = j.recentErrorPct();
                s.bottleneck = j.bottleneck().map(b -> b.from() + " -> " + b.to()).orElse("none");
            }
        });
    }

    private Round report(Simulation.Result result, Map<String, Seen> seen, ClusterSnapshot last) {
        SnapshotNetwork net = SnapshotNetwork.of(last);
        double[] fair = net.isEmpty() ? new double[0] : NetworkPredictor.fairShare().exchangeSec(
                List.of(net.graph())).getFirst();
        double[] alone = net.isEmpty() ? new double[0] : net.graph().jobAloneSec();
        List<Double> gnnApe = new ArrayList<>();
        List<Double> fairApe = new ArrayList<>();
        List<Double> aloneApe = new ArrayList<>();
        List<Double> refit = new ArrayList<>();
        out.printf(Locale.ROOT, "  %-22s %10s %10s %10s %10s %12s  %s%n", "job", "sim ms", "network", "fair share",
                "alone", "refit error", "bottleneck (live)");
        for (Simulation.JobResult r : result.jobs()) {
            Seen s = seen.get(r.name());
            int j = net.indexOf(r.name());
            double truth = r.meanExchangeSec();
            if (s == null || s.raw.isEmpty() || j < 0 || !(truth > 0)) {
                out.printf(Locale.ROOT, "  %-22s not read by the live view: %s%n", r.name(),
                        net.skipped().getOrDefault(r.name(), "no board entry"));
                continue;
            }
            double gnn = Median.of(s.raw);
            gnnApe.add(Math.abs(gnn - truth) / truth);
            fairApe.add(Math.abs(fair[j] - truth) / truth);
            aloneApe.add(Math.abs(alone[j] - truth) / truth);
            if (!Double.isNaN(s.recentErrorPct)) {
                refit.add(s.recentErrorPct);
            }
            out.printf(Locale.ROOT, "  %-22s %10.1f %10.1f %10.1f %10.1f %11.1f%%  %s%n", r.name(), 1000 * truth,
                    1000 * gnn, 1000 * fair[j], 1000 * alone[j], s.recentErrorPct, s.bottleneck);
        }
        double gnnMape = 100 * mean(gnnApe);
        double fairMape = 100 * mean(fairApe);
        double aloneMape = 100 * mean(aloneApe);
        double refitError = refit.isEmpty() ? Double.NaN : Median.of(refit);
        out.printf(Locale.ROOT, "  exchange time against the simulator's, %d jobs read live: network MAPE %.1f%%,"
                        + " fair share %.1f%%, alone %.1f%%; refitted to the step reports, recent error %.1f%%"
                        + " (median over jobs)%n", gnnApe.size(), gnnMape, fairMape, aloneMape, refitError);
        return new Round(gnnMape, fairMape, aloneMape, refitError, gnnApe.size());
    }

    private static double mean(List<Double> v) {
        return v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}

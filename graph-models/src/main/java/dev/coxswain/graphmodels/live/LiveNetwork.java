package dev.coxswain.graphmodels.live;

import dev.coxswain.core.hub.Hub;
import dev.coxswain.core.network.NetworkBoard;
import dev.coxswain.core.stats.Median;
import dev.coxswain.graphmodels.gnn.FlowGraph;
import dev.coxswain.graphmodels.gnn.SnapshotNetwork;
import dev.coxswain.snapshot.ClusterSnapshot;
import dev.coxswain.snapshot.SnapshotLoop;
import dev.coxswain.snapshot.SnapshotSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The network model running beside a collector: at most once per {@code network.interval} it reads the snapshot's
 * jobs ({@link SnapshotNetwork}), predicts each job's communication time ({@link NetworkPredictor}), refits the
 * prediction to what the job showed, and publishes a {@link NetworkBoard}: each job's predicted communication and
 * step time, its bottleneck link with the link's predicted utilisation, what doubling that link would give, and the
 * recent error of the refitted predictions.
 *
 * <p>The refit is per job: the median, over its last {@value #REFIT_SNAPSHOTS} scored snapshots, of the measured over
 * the predicted communication time. The model knows only what it was trained on (the simulator's network); the refit
 * takes up what a real job adds (a slow server, a software stack's overheads). A snapshot's recent error is taken
 * with the correction known before its measurement.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()}. A snapshot the model cannot read is logged (once per
 * distinct problem) and counted; the stage goes on with the next. Meters: {@code coxswain.network.*}.
 */
public final class LiveNetwork implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LiveNetwork.class);
    static final int REFIT_SNAPSHOTS = 20;
    /** Snapshots of a job before its correction and its error are used. */
    static final int MIN_REFIT = 3;
    /** The capacity factor of the "what would help" question. */
    static final double HELP_FACTOR = 2;
    /** The least step-time gain worth telling a user about. */
    static final double MIN_HELP_GAIN = 0.01;
    /** Links credited within this fraction of a job's bottleneck tie with it, and are widened with it. */
    static final double TIE = 0.02;

    private final NetworkPredictor predictor;
    private final Hub<NetworkBoard> hub;
    private final Duration interval;
    private final SnapshotLoop loop;
    private final Map<String, Refit> refits = new HashMap<>();
    private final Map<String, String> lastProblem = new HashMap<>();
    private String lastFailure;
    private final Counter failed;
    private final Timer scoreTime;
    private Instant lastScored;
    private long generation;

    public LiveNetwork(LiveNetworkSettings settings, NetworkPredictor predictor, SnapshotSource snapshots,
                       Hub<NetworkBoard> hub, MeterRegistry registry) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.hub = Objects.requireNonNull(hub, "hub");
        this.interval = settings.interval();
        failed = Counter.builder("coxswain.network.failed")
                .description("Snapshots the network model could not score").baseUnit("snapshots").register(registry);
        scoreTime = Timer.builder("coxswain.network.score")
                .description("Time to score one snapshot with the network model").register(registry);
        Counter skipped = Counter.builder("coxswain.network.snapshots.skipped")
                .description("Snapshots replaced by a newer one before the network model took them")
                .baseUnit("snapshots").register(registry);
        this.loop = new SnapshotLoop("coxswain-network", snapshots, this::process, skipped::increment);
    }

    /** The board before the first scored snapshot: no jobs, and how the model predicts. */
    public static NetworkBoard initialBoard(NetworkPredictor predictor) {
        return new NetworkBoard(0, Instant.EPOCH, predictor.model(), Map.of(), Map.of());
    }

    public void start() {
        loop.start();
    }

    /** Scores {@code snapshot} unless one was scored less than the interval before it. */
    void process(ClusterSnapshot snapshot) {
        if (lastScored != null && snapshot.at().isBefore(lastScored.plus(interval))) {
            return;
        }
        lastScored = snapshot.at();
        try {
            hub.publish(scoreTime.record(() -> score(snapshot)));
        } catch (RuntimeException e) {
            failed.increment();
            if (!e.toString().equals(lastFailure)) {
                lastFailure = e.toString();
                log.warn("network model cannot score snapshot {}: {}", snapshot.generation(), e.toString());
            }
        }
    }

    /** The board of {@code snapshot}; refits each job it reads. */
    NetworkBoard score(ClusterSnapshot snapshot) {
        SnapshotNetwork net = SnapshotNetwork.of(snapshot);
        for (Map.Entry<String, String> e : net.skipped().entrySet()) {
            if (!e.getValue().equals(lastProblem.put(e.getKey(), e.getValue()))) {
                log.info("network model leaves out job {}: {}", e.getKey(), e.getValue());
            }
        }
        if (net.isEmpty()) {
            refits.clear();
            return new NetworkBoard(++generation, snapshot.at(), predictor.model(), Map.of(), Map.of());
        }
        FlowGraph graph = net.graph();
        List<SnapshotNetwork.MeasuredJob> jobs = net.jobs();
        double[] predicted = predictor.exchangeSec(List.of(graph)).getFirst();
        double[] commSec = new double[jobs.size()];
        double[] stepSec = new double[jobs.size()];
        double[] correction = new double[jobs.size()];
        Map<String, Refit> kept = new HashMap<>();
        for (int j = 0; j < jobs.size(); j++) {
            SnapshotNetwork.MeasuredJob m = jobs.get(j);
            Refit refit = refits.getOrDefault(m.jobId(), new Refit());
            kept.put(m.jobId(), refit);
            correction[j] = refit.correction();
            commSec[j] = predicted[j] * correction[j];
            // A job that reports no communication time has it inside what it measured as the rest of the step.
            stepSec[j] = Double.isNaN(m.commSec()) ? m.otherSec() : m.otherSec() + commSec[j];
            refit.observe(predicted[j], m.commSec());
        }
        refits.keySet().retainAll(kept.keySet());
        refits.putAll(kept);
        double[] loadSec = positive(stepSec);
        double[] util = graph.linkUtilization(loadSec);
        List<List<Integer>> ties = graph.bottleneckTies(loadSec, TIE);
        Map<String, NetworkBoard.Help> help = help(snapshot, net, ties, predicted, correction, stepSec);
        Map<String, NetworkBoard.JobNetwork> out = new HashMap<>();
        for (int j = 0; j < jobs.size(); j++) {
            SnapshotNetwork.MeasuredJob m = jobs.get(j);
            Optional<NetworkBoard.Bottleneck> b = ties.get(j).stream().findFirst()
                    .map(l -> bottleneck(net.links().get(l), util[l]));
            out.put(m.jobId(), new NetworkBoard.JobNetwork(m.jobId(), 1000 * commSec[j], 1000 * m.commSec(),
                    1000 * stepSec[j], correction[j], refits.get(m.jobId()).errorPct(), b,
                    Optional.ofNullable(help.get(m.jobId())).stream().toList()));
        }
        Map<String, Double> links = new HashMap<>();
        for (int r = 0; r < util.length; r++) {
            links.merge(net.links().get(r).link().id(), util[r], Math::max);
        }
        return new NetworkBoard(++generation, snapshot.at(), predictor.model(), out, links);
    }

    /**
     * For each job with a bottleneck, its predicted step with the capacity of that link, and of the links that tie
     * with it, doubled, when that helps.
     */
    private Map<String, NetworkBoard.Help> help(ClusterSnapshot snapshot, SnapshotNetwork net,
                                                List<List<Integer>> ties, double[] predicted, double[] correction,
                                                double[] stepSec) {
        List<Integer> asked = new ArrayList<>();
        List<FlowGraph> variants = new ArrayList<>();
        for (int j = 0; j < ties.size(); j++) {
            if (!ties.get(j).isEmpty()) {
                Set<SnapshotNetwork.DirectedLink> widened = ties.get(j).stream().map(net.links()::get)
                        .collect(Collectors.toSet());
                SnapshotNetwork v = SnapshotNetwork.withCapacity(snapshot, widened, HELP_FACTOR);
                if (v.jobs().equals(net.jobs())) {
                    asked.add(j);
                    variants.add(v.graph());
                }
            }
        }
        Map<String, NetworkBoard.Help> out = new HashMap<>();
        if (variants.isEmpty()) {
            return out;
        }
        List<double[]> after = predictor.exchangeSec(variants);
        for (int i = 0; i < asked.size(); i++) {
            int j = asked.get(i);
            double step = stepSec[j] + (after.get(i)[j] - predicted[j]) * correction[j];
            if (step < stepSec[j] * (1 - MIN_HELP_GAIN)) {
                List<Integer> tied = ties.get(j);
                SnapshotNetwork.DirectedLink d = net.links().get(tied.getFirst());
                out.put(net.jobs().get(j).jobId(), new NetworkBoard.Help("twice the capacity of "
                        + d.from().id() + " -> " + d.to().id() + (tied.size() == 1 ? ""
                        : " and of the " + (tied.size() - 1) + " links that tie with it"), 1000 * step));
            }
        }
        return out;
    }

    private static NetworkBoard.Bottleneck bottleneck(SnapshotNetwork.DirectedLink d, double utilization) {
        return new NetworkBoard.Bottleneck(d.link().id(), d.from().id(), d.to().id(), d.link().type().name(),
                utilization);
    }

    /** Step times as the graph's load arithmetic needs them: a job measured at 0 s counts as a microsecond. */
    private static double[] positive(double[] sec) {
        double[] out = sec.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.max(1e-6, out[i]);
        }
        return out;
    }

    @Override
    public void close() {
        loop.close();
    }

    /** One job's refit: its recent predicted and measured communication times, and the errors of its predictions. */
    static final class Refit {
        private final ArrayDeque<Double> ratios = new ArrayDeque<>();
        private final ArrayDeque<Double> errors = new ArrayDeque<>();

        /** Measured over predicted, the median of the recent snapshots; 1 until there are {@value #MIN_REFIT}. */
        double correction() {
            return ratios.size() < MIN_REFIT ? 1 : Median.of(ratios);
        }

        /** Median absolute percentage error of the recent refitted predictions; NaN until there are enough. */
        double errorPct() {
            return errors.size() < MIN_REFIT ? Double.NaN : 100 * Median.of(errors);
        }

        /** Takes one snapshot's prediction and measurement; ignores a pair without a positive measurement. */
        void observe(double predictedSec, double measuredSec) {
            if (!(measuredSec > 0) || !(predictedSec > 0)) {
                return;
            }
            if (ratios.size() >= MIN_REFIT) {
                add(errors, Math.abs(predictedSec * correction() - measuredSec) / measuredSec);
            }
            add(ratios, measuredSec / predictedSec);
        }

        private static void add(ArrayDeque<Double> window, double value) {
            window.addLast(value);
            if (window.size() > REFIT_SNAPSHOTS) {
                window.removeFirst();
            }
        }
    }
}

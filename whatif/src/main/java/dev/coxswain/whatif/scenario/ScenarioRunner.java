package dev.coxswain.whatif.scenario;

import dev.coxswain.whatif.calibrate.CoxswainModel;
import dev.coxswain.whatif.calibrate.LinkPrior;
import dev.coxswain.whatif.calibrate.Placement;
import dev.coxswain.whatif.calibrate.Prediction;
import dev.coxswain.whatif.calibrate.Query;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.Nics;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SyncSpec;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Answers a scenario's questions: each is applied to the baseline job (and cluster links) and simulated; when the
 * scenario carries measurements, Coxswain's calibrated model answers the questions it can (batch size, placement,
 * link speed, a slowed GPU, a moved worker of an all-reduce job) beside the simulator, and the simulator runs on the
 * cluster with the inter-node limits the calibration found (per-flow limit, host-pair capacity).
 */
public final class ScenarioRunner {
    private final Scenario scenario;
    private final Engine engine;

    public ScenarioRunner(Scenario scenario, Clock clock) {
        this(scenario, Engine.simulator(clock));
    }

    /** Answers with {@code engine} in place of the simulator. */
    public ScenarioRunner(Scenario scenario, Engine engine) {
        this.scenario = scenario;
        this.engine = engine;
    }

    public List<Answer> run() {
        Optional<CoxswainModel.FittedCoxswain> fitted = scenario.calibration().map(c -> new CoxswainModel(
                LinkPrior.of(scenario.cluster()), c.gradientBytes(), c.bucketBytes(),
                CoxswainModel.Options.defaults()).fit(c.measured()));
        ClusterSpec cluster = fitted.map(f -> calibratedCluster(scenario.cluster(), f)).orElse(scenario.cluster());
        List<Question> all = new ArrayList<>();
        all.add(Question.baseline());
        all.addAll(scenario.questions());
        List<Answer> answers = new ArrayList<>();
        for (Question q : all) {
            answers.add(answer(q, fitted, cluster));
        }
        return answers;
    }

    /**
     * The scenario's cluster with the inter-node limits the calibration measured: the per-flow limit and the
     * host-pair capacity, so that the simulator sees what the measurements saw.
     */
    public static ClusterSpec calibratedCluster(ClusterSpec c, CoxswainModel.FittedCoxswain f) {
        double flow = f.parameters().get("flow_cap_Bps");
        double pair = f.parameters().get("host_pair_Bps");
        List<NodeGroup> groups = new ArrayList<>();
        for (NodeGroup g : c.groups()) {
            Nics n = g.nics();
            groups.add(new NodeGroup(g.name(), g.count(), g.gpu(), g.gpusPerNode(), g.fabric(),
                    new Nics(n.count(), n.bytesPerSec(), Math.min(flow, n.totalBytesPerSec()), pair, n.latencySec())));
        }
        return new ClusterSpec(c.name() + "-calibrated", groups, c.tiers());
    }

    private Answer answer(Question q, Optional<CoxswainModel.FittedCoxswain> fitted, ClusterSpec cluster) {
        JobSpec job = apply(q, scenario.baseline(), cluster);
        Topology topology = new Topology(cluster);
        q.linkKind().ifPresent(kind -> scaleLinks(topology, kind, q.linkFactor().orElse(1), q.linkNode()));
        Engine.Outcome outcome = engine.run(topology, job, scenario.seed());
        OptionalDouble cal = OptionalDouble.empty();
        OptionalDouble lo = OptionalDouble.empty();
        OptionalDouble hi = OptionalDouble.empty();
        String calBottleneck = "";
        Optional<Placement> placement = placementOf(job, topology);
        if (fitted.isPresent() && placement.isPresent() && q.staleness().isEmpty()
                && job.sync() instanceof SyncSpec.AllReduce) {
            CoxswainModel.Adjustment adj = adjustment(q);
            int batch = job.localBatch().stream().mapToInt(Integer::intValue).max().orElse(1);
            Prediction p = fitted.get().predict(new Query(placement.get(), batch), adj);
            cal = OptionalDouble.of(p.stepTimeSec());
            lo = OptionalDouble.of(p.stepTimeLoSec());
            hi = OptionalDouble.of(p.stepTimeHiSec());
            calBottleneck = fitted.get().bottleneck(placement.get(), adj);
        }
        return new Answer(q.name(), outcome.stepSec(), outcome.samplesPerSec(), outcome.bottleneck(), cal, lo, hi,
                calBottleneck);
    }

    private static CoxswainModel.Adjustment adjustment(Question q) {
        double f = q.linkFactor().orElse(1);
        String kind = q.linkKind().orElse("");
        return new CoxswainModel.Adjustment(kind.equals("intra") ? f : 1, kind.equals("nic") ? f : 1, 1,
                q.slowFactor().orElse(1));
    }

    static JobSpec apply(Question q, JobSpec base, ClusterSpec cluster) {
        List<Integer> gpus = new ArrayList<>(base.workerGpus());
        if (q.placement().isPresent()) {
            gpus = placementGpus(q.placement().get(), cluster, nodeOf(base.workerGpus().get(0), cluster));
        }
        if (q.moveWorker().isPresent()) {
            int w = q.moveWorker().getAsInt();
            if (w >= gpus.size()) {
                throw new IllegalArgumentException("question '" + q.name() + "': no worker " + w);
            }
            String[] ng = q.moveTo().orElseThrow().split(":");
            int node = Integer.parseInt(ng[0].trim());
            int index = Integer.parseInt(ng[1].trim());
            if (node < 0 || node >= cluster.nodeCount()) {
                throw new IllegalArgumentException("question '" + q.name() + "': no node " + node + " (the cluster has"
                        + " nodes 0 to " + (cluster.nodeCount() - 1) + ")");
            }
            int perNode = cluster.groupOf(node).gpusPerNode();
            if (index < 0 || index >= perNode) {
                throw new IllegalArgumentException("question '" + q.name() + "': node " + node + " has GPUs 0 to "
                        + (perNode - 1) + ", not " + index);
            }
            int gpu = firstGpu(cluster, node) + index;
            if (gpus.contains(gpu)) {
                throw new IllegalArgumentException("question '" + q.name() + "': GPU " + q.moveTo().get()
                        + " is already used by the job");
            }
            gpus.set(w, gpu);
        }
        int batch = q.localBatch().orElse(base.localBatch().get(0));
        List<Integer> batches = q.localBatch().isPresent() || gpus.size() != base.workers()
                ? Collections.nCopies(gpus.size(), batch) : base.localBatch();
        List<JobSpec.Straggler> stragglers = new ArrayList<>(base.stragglers());
        if (q.slowWorker().isPresent()) {
            stragglers.add(new JobSpec.Straggler(q.slowWorker().getAsInt(), q.slowFactor().orElse(1), 0,
                    Long.MAX_VALUE / 4));
        }
        SyncSpec sync = base.sync();
        if (q.staleness().isPresent()) {
            if (!(sync instanceof SyncSpec.ParameterServer ps)) {
                throw new IllegalArgumentException("question '" + q.name() + "': staleness applies to"
                        + " parameter-server jobs only");
            }
            sync = new SyncSpec.ParameterServer(SyncSpec.Consistency.SSP, q.staleness().getAsInt(), ps.serverNodes());
        }
        return new JobSpec(base.name(), base.model(), sync, gpus, batches, base.accumulationSteps(), base.steps(),
                stragglers, 0);
    }

    private static void scaleLinks(Topology t, String kind, double factor, java.util.OptionalInt node) {
        for (int l = 0; l < t.linkCount(); l++) {
            Topology.LinkKind k = t.kind(l);
            boolean match = switch (kind) {
                case "nic" -> k == Topology.LinkKind.NIC_TX || k == Topology.LinkKind.NIC_RX;
                case "intra" -> k == Topology.LinkKind.GPU_UP || k == Topology.LinkKind.GPU_DOWN
                        || k == Topology.LinkKind.HOST;
                case "switch" -> k == Topology.LinkKind.SWITCH_UP || k == Topology.LinkKind.SWITCH_DOWN;
                default -> false;
            };
            if (match && (node.isEmpty() || t.linkName(l).startsWith(t.cluster().nodeName(node.getAsInt()) + "/"))) {
                t.scaleCapacity(l, factor);
            }
        }
    }

    /** GPUs per node in the order the ring visits nodes; empty when a node is visited twice. */
    static Optional<Placement> placementOf(JobSpec job, Topology t) {
        List<Integer> counts = new ArrayList<>();
        List<Integer> nodes = new ArrayList<>();
        for (int gpu : job.workerGpus()) {
            int n = t.nodeOfGpu(gpu);
            if (!nodes.isEmpty() && nodes.get(nodes.size() - 1) == n) {
                counts.set(counts.size() - 1, counts.get(counts.size() - 1) + 1);
            } else if (nodes.contains(n)) {
                return Optional.empty();
            } else {
                nodes.add(n);
                counts.add(1);
            }
        }
        return Optional.of(new Placement(counts.stream().mapToInt(Integer::intValue).toArray()));
    }

    private static List<Integer> placementGpus(String digits, ClusterSpec c, int firstNode) {
        List<Integer> gpus = new ArrayList<>();
        Placement p = Placement.parse(digits);
        for (int i = 0; i < p.nodes(); i++) {
            int node = firstNode + i;
            if (node >= c.nodeCount() || p.gpusOn(i) > c.groupOf(node).gpusPerNode()) {
                throw new IllegalArgumentException("placement " + digits + " does not fit the cluster from node "
                        + firstNode);
            }
            for (int g = 0; g < p.gpusOn(i); g++) {
                gpus.add(firstGpu(c, node) + g);
            }
        }
        return gpus;
    }

    private static int firstGpu(ClusterSpec c, int node) {
        int g = 0;
        for (int n = 0; n < node; n++) {
            g += c.groupOf(n).gpusPerNode();
        }
        return g;
    }

    private static int nodeOf(int gpu, ClusterSpec c) {
        int g = 0;
        for (int n = 0; n < c.nodeCount(); n++) {
            g += c.groupOf(n).gpusPerNode();
            if (gpu < g) {
                return n;
            }
        }
        throw new IllegalArgumentException("GPU " + gpu + " is not in the cluster");
    }
}

package dev.coxswain.app.gnn;

import dev.coxswain.graphmodels.gnn.Exchanges;
import dev.coxswain.graphmodels.gnn.FlowGraph;
import dev.coxswain.graphmodels.gnn.FlowGraphBuilder;
import dev.coxswain.graphmodels.gnn.GraphSample;
import dev.coxswain.graphmodels.gnn.LinkType;
import dev.coxswain.whatif.engine.Collectives;
import dev.coxswain.whatif.engine.Simulation;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.CountingSink;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.GpuType;
import dev.coxswain.whatif.spec.JobSpec;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A cluster and its all-reduce jobs as the graph network reads them ({@link #graph}), and, once simulated
 * ({@link #simulate}), what the simulator says happened: the graph network's training data and its yardstick.
 */
public final class SimulatedNetwork {
    /** Compute draws per job for its mean step time from an exchange time: enough for a stable mean of a max. */
    static final int TIMING_DRAWS = 256;
    /** Idle-network steps of the slowest job the simulation runs for: the horizon of every job's steady state. */
    static final int HORIZON_STEPS = 40;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final Topology topology;
    private final List<JobSpec> jobs;
    private final List<List<Collectives.Flow>> flows = new ArrayList<>();
    private final List<Collectives.StepDraws> draws = new ArrayList<>();
    private final double[] computeSec;
    /** The topology's number of each of the graph's links. */
    private final int[] linkIds;
    private final FlowGraph graph;

    /**
     * @throws IllegalArgumentException when a job is not an all-reduce job, or is larger than the cluster or
     *                                  placed on GPUs it does not have
     */
    public SimulatedNetwork(ClusterSpec cluster, List<JobSpec> jobs) {
        this(new Topology(cluster), jobs, new Shared());
    }

    /**
     * The jobs on {@code topology} as it is, its link capacities as a what-if question may have scaled them; the
     * simulation runs the same capacities.
     */
    public SimulatedNetwork(Topology topology, List<JobSpec> jobs) {
        this(topology, jobs, new Shared());
    }

    /**
     * The networks of many placements of jobs on one cluster, sharing one topology (planning a collective only adds
     * the host-pair links it routes over, the same for all): a job placed alike in several (the jobs that do not
     * move) has its compute drawn once.
     */
    public static List<SimulatedNetwork> of(ClusterSpec cluster, List<List<JobSpec>> placements) {
        Shared shared = new Shared();
        Topology topology = new Topology(cluster);
        return placements.stream().map(jobs -> new SimulatedNetwork(topology, jobs, shared)).toList();
    }

    /**
     * What networks on one topology share: each job's planned flows, by the job and its index, and its compute draws,
     * by what they depend on ({@link #drawKey}).
     */
    private record Shared(Map<List<Object>, List<Collectives.Flow>> planned,
                          Map<List<Object>, Collectives.StepDraws> drawn) {
        Shared() {
            this(new HashMap<>(), new HashMap<>());
        }
    }

    private SimulatedNetwork(Topology topology, List<JobSpec> jobs, Shared shared) {
        ClusterSpec cluster = topology.cluster();
        this.topology = topology;
        this.jobs = List.copyOf(jobs);
        for (JobSpec job : jobs) {
            if (job.workers() > topology.gpuCount()) {
                throw new IllegalArgumentException("job " + job.name() + " has " + job.workers()
                        + " workers but cluster " + cluster.name() + " has " + topology.gpuCount() + " GPUs");
            }
            for (int gpu : job.workerGpus()) {
                if (gpu < 0 || gpu >= topology.gpuCount()) {
                    throw new IllegalArgumentException("job " + job.name() + " is placed on GPU " + gpu
                            + " but cluster " + cluster.name() + " has GPUs 0-" + (topology.gpuCount() - 1));
                }
            }
            flows.add(shared.planned().computeIfAbsent(List.of(flows.size(), job),
                    k -> Collectives.allReduce(topology, job)));
        }
        // The builder sees only the links some flow crosses (a cluster has many more), numbered in order of use.
        FlowGraphBuilder b = new FlowGraphBuilder();
        Map<Integer, Integer> index = new HashMap<>();
        List<Integer> used = new ArrayList<>();
        this.computeSec = new double[jobs.size()];
        for (int j = 0; j < jobs.size(); j++) {
            int seed = j;
            draws.add(shared.drawn().computeIfAbsent(drawKey(topology, j, jobs.get(j)),
                    k -> Collectives.stepDraws(topology, jobs.get(seed), TIMING_DRAWS, seed)));
            computeSec[j] = timing(j, 0).stepSec();
            int job = b.job(computeSec[j], exchangeSec -> timing(seed, exchangeSec).stepSec());
            for (Collectives.Flow f : flows.get(j)) {
                int[] route = f.links();
                for (int h = 0; h < route.length; h++) {
                    int l = route[h];
                    route[h] = index.computeIfAbsent(l, k -> {
                        used.add(k);
                        return b.link(type(topology.kind(k)), topology.capacity(k));
                    });
                }
                b.flow(job, route, f.bytesPerHop(), f.capBytesPerSec(), f.latencySec());
            }
        }
        this.graph = b.build();
        this.linkIds = graph.linkIds().clone();
        for (int r = 0; r < linkIds.length; r++) {
            linkIds[r] = used.get(linkIds[r]);
        }
    }

    /**
     * What job {@code index}'s compute draws depend on: everything about it but which GPUs it runs on, and the type of
     * each worker's GPU. A new job tried at many places of a cluster of one GPU type is drawn once.
     */
    private static List<Object> drawKey(Topology topology, int index, JobSpec job) {
        List<GpuType> gpus = job.workerGpus().stream()
                .map(g -> topology.cluster().groupOf(topology.nodeOfGpu(g)).gpu()).toList();
        return List.of(index, job.name(), job.model(), job.sync(), job.localBatch(), job.accumulationSteps(),
                job.steps(), job.stragglers(), gpus);
    }

    static LinkType type(Topology.LinkKind kind) {
        return switch (kind) {
            case GPU_UP, GPU_DOWN -> LinkType.DEVICE;
            case HOST -> LinkType.HOST;
            case NIC_TX, NIC_RX -> LinkType.NIC;
            case SWITCH_UP, SWITCH_DOWN -> LinkType.SWITCH;
            case HOST_PAIR -> LinkType.HOST_PAIR;
        };
    }

    public FlowGraph graph() {
        return graph;
    }

    /** The topology's number of each link of {@link #graph()}, in the graph's order. */
    public int[] linkIds() {
        return linkIds.clone();
    }

    public Topology topology() {
        return topology;
    }

    public List<JobSpec> jobs() {
        return jobs;
    }

    /** Job {@code j}'s mean step and communication time if each exchange takes {@code exchangeSec}. */
    public Collectives.Timing timing(int j, double exchangeSec) {
        return draws.get(j).timing(exchangeSec);
    }

    /**
     * Job {@code j}'s mean step and communication time if its exchanges take each of its spread points in
     * {@code exchanges} equally often: an exchange that is sometimes slowed costs more, hidden behind the backward
     * pass, than one that always takes the mean.
     */
    public Collectives.Timing timing(int j, Exchanges exchanges) {
        double[] points = new double[GraphSample.SPREAD_POINTS];
        for (int k = 0; k < points.length; k++) {
            points[k] = exchanges.pointSec(j, k);
        }
        return draws.get(j).timing(points);
    }

    /**
     * Runs the simulator for {@link #HORIZON_STEPS} idle-network steps of the slowest job, every job running
     * throughout; the jobs' step counts must exceed that.
     */
    public Simulated simulate(long seed) {
        double[] alone = graph.jobAloneSec();
        double slowest = 0;
        for (int j = 0; j < jobs.size(); j++) {
            slowest = Math.max(slowest, computeSec[j] + alone[j]);
        }
        double horizon = HORIZON_STEPS * slowest;
        // Planning adds host-pair links as it goes, so the simulation plans on a topology of its own, with the same
        // capacities.
        Topology fresh = new Topology(topology.cluster());
        for (int l = 0; l < Math.min(fresh.linkCount(), topology.linkCount()); l++) {
            if (fresh.capacity(l) != topology.capacity(l)) {
                fresh.scaleCapacity(l, topology.capacity(l) / fresh.capacity(l));
            }
        }
        Simulation.Result r = new Simulation(fresh, jobs, new CountingSink(), CLOCK,
                new Simulation.Options(seed, 0)).run(horizon);
        float[] utilization = new float[graph.links()];
        for (int row = 0; row < utilization.length; row++) {
            utilization[row] = (float) r.links().get(linkIds[row]).utilization();
        }
        float[] exchange = new float[jobs.size()];
        float[] spread = new float[jobs.size() * GraphSample.SPREAD_POINTS];
        for (int j = 0; j < jobs.size(); j++) {
            exchange[j] = (float) r.jobs().get(j).meanExchangeSec();
            System.arraycopy(GraphSample.spread(r.jobs().get(j).recentExchangeSec()), 0, spread,
                    j * GraphSample.SPREAD_POINTS, GraphSample.SPREAD_POINTS);
        }
        return new Simulated(this, new GraphSample(graph, utilization, exchange, spread), r);
    }

    /**
     * The cost of this placement of jobs when they take {@code stepSec} a step: the sum over jobs of step time over
     * compute time, how many times slower than its compute alone the cluster makes each job: a placement that is
     * fast for a new job but slows its neighbours is not the cheapest.
     */
    public double cost(double[] stepSec) {
        double sum = 0;
        for (int j = 0; j < jobs.size(); j++) {
            sum += stepSec[j] / computeSec[j];
        }
        return sum;
    }

    /** Each job's step time if its exchanges take what {@code exchanges} says. */
    public double[] stepSec(Exchanges exchanges) {
        double[] step = new double[jobs.size()];
        for (int j = 0; j < step.length; j++) {
            step[j] = timing(j, exchanges).stepSec();
        }
        return step;
    }

    /** The simulator's step time of every job. */
    public static double[] stepSec(Simulation.Result result) {
        return result.jobs().stream().mapToDouble(Simulation.JobResult::meanStepSec).toArray();
    }

    /**
     * What the graph network predicts for this cluster, given each job's exchanges: each job's step and
     * communication time, and what each link carries at those step times.
     */
    public Prediction predicted(Exchanges exchanges) {
        List<Collectives.Timing> timings = new ArrayList<>(jobs.size());
        for (int j = 0; j < jobs.size(); j++) {
            timings.add(timing(j, exchanges));
        }
        double[] step = timings.stream().mapToDouble(Collectives.Timing::stepSec).toArray();
        double[] utilization = new double[topology.linkCount()];
        double[] used = graph.linkUtilization(step);
        for (int r = 0; r < used.length; r++) {
            utilization[linkIds[r]] = used[r];
        }
        int[] bottlenecks = graph.bottlenecks(step);
        for (int j = 0; j < bottlenecks.length; j++) {
            bottlenecks[j] = bottlenecks[j] < 0 ? -1 : linkIds[bottlenecks[j]];
        }
        return new Prediction(timings, step, utilization, bottlenecks);
    }

    /**
     * A prediction: each job's timing and step time, each link's utilisation and each job's bottleneck link (-1:
     * none), links numbered as the topology numbers them.
     */
    public record Prediction(List<Collectives.Timing> timings, double[] stepSec, double[] utilization,
                             int[] bottlenecks) {
    }

    /** A network simulated: the graph with the simulator's truth, and the simulator's whole result. */
    public record Simulated(SimulatedNetwork network, GraphSample sample, Simulation.Result result) {
    }
}

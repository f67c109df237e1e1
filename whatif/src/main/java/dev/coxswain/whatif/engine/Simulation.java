package dev.coxswain.whatif.engine;

import dev.coxswain.core.control.Action;
import dev.coxswain.core.control.KnobSetting;
import dev.coxswain.core.knob.Knob;
import dev.coxswain.core.telemetry.GpuSample;
import dev.coxswain.core.telemetry.HostSample;
import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.TopologyReport;
import dev.coxswain.whatif.net.Topology;
import dev.coxswain.whatif.sink.SimOutput;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.NodeGroup;
import dev.coxswain.whatif.spec.SyncSpec;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * A discrete-event simulation of training jobs on a cluster: per-worker compute, collectives and parameter-server
 * traffic as coflows with max-min fair rates over the topology's links (so jobs that share links slow each other),
 * SSP semantics, stragglers. It emits the records real agents send (topology reports, job membership, step reports,
 * GPU and host samples, job events that mark injected faults, and {@code job.end}) to a {@link SimOutput},
 * time-stamped from a
 * start instant taken from the injected {@link Clock}. Deterministic for a given seed: the same inputs give the same
 * records in the same order. Single-threaded; {@link #run} may be called once.
 *
 * <p>As a plant for the controller it runs paced ({@link Options#pace}: simulated seconds per wall-clock second, so
 * that its records' times track the wall clock) and takes actions ({@link #offer}, from any thread): a worker's
 * {@code batch_size} changes from its next step, and the job reports {@code knob.applied} (or {@code knob.rejected}
 * for a knob it does not model) with the action's id, as a real job does.
 */
public final class Simulation {

    /**
     * @param seed              seeds every random draw (compute jitter) of the run
     * @param sampleIntervalSec simulated seconds between GPU and host samples; 0 for none
     * @param pace              simulated seconds per wall-clock second (1: real time); 0 runs as fast as it can
     */
    public record Options(long seed, double sampleIntervalSec, double pace) {
        public Options {
            if (!(sampleIntervalSec >= 0) || !(pace >= 0)) {
                throw new IllegalArgumentException("sample interval and pace must be >= 0");
            }
        }

        /** Unpaced, for what-if analysis. */
        public Options(long seed, double sampleIntervalSec) {
            this(seed, sampleIntervalSec, 0);
        }
    }

    /**
     * One job's outcome.
     *
     * @param meanCommSec     the mean of its workers' communication time per step, as their step reports give it
     * @param durationSec     simulated seconds from the job's start to its last step
     * @param meanExchangeSec an all-reduce job's mean time from the start of its exchange to the end of its last
     *                        phase (0 for a parameter-server job)
     * @param bottlenecks     the links that bounded its exchanges for the longest time: several where they tie (the
     *                        equal hops of a ring), none when no link did
     * @param recentExchangeSec an all-reduce job's last exchanges' seconds (up to 1,024, oldest first): how they
     *                        spread about the mean
     */
    public record JobResult(String name, long steps, double meanStepSec, double meanCommSec, double samplesPerSec,
                            String lastBottleneck, long maxStalenessLead, double durationSec, double meanExchangeSec,
                            List<Integer> bottlenecks, List<Double> recentExchangeSec) {
        public JobResult {
            bottlenecks = List.copyOf(bottlenecks);
            recentExchangeSec = List.copyOf(recentExchangeSec);
        }
    }

    /**
     * One link over the run: the ground truth a graph model of the network learns from.
     *
     * @param name        as in a job's bottleneck, e.g. {@code dgx-0/nic-tx}
     * @param utilization the bytes it carried over what it could have carried in the simulated time, in [0, 1]
     */
    public record LinkResult(String name, Topology.LinkKind kind, double capacityBytesPerSec, double utilization) {
    }

    /** The run's outcome; {@code links} in the topology's order. */
    public record Result(double simulatedSec, long events, long rateRecomputations, long records,
                         List<JobResult> jobs, List<LinkResult> links) {
        public Result {
            jobs = List.copyOf(jobs);
            links = List.copyOf(links);
        }
    }

    private final SimContext ctx;
    private final List<SimJob> jobs = new ArrayList<>();
    private final Options options;
    private final double[] lastCarried;
    private final Queue<Action> actions = new ConcurrentLinkedQueue<>();
    private double lastSample;
    private boolean ran;
    private volatile boolean stopped;

    public Simulation(Topology topology, List<JobSpec> specs, SimOutput sink, Clock clock, Options options) {
        this.options = options;
        CollectivePlanner planner = new CollectivePlanner(topology);
        Instant epoch = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        this.ctx = new SimContext(topology, sink, epoch);
        SplittableRandom seeds = new SplittableRandom(options.seed());
        for (int j = 0; j < specs.size(); j++) {
            jobs.add(create(j, specs.get(j), ctx, seeds.nextLong(), planner));
        }
        // Planning may add host-pair links, so the network is built once every job is planned.
        ctx.attach(new FlowNetwork(topology.capacities()));
        this.lastCarried = new double[topology.linkCount()];
    }

    private static SimJob create(int j, JobSpec spec, SimContext ctx, long seed, CollectivePlanner planner) {
        return switch (spec.sync()) {
            case SyncSpec.AllReduce a -> new AllReduceJob(j, spec, ctx, seed, planner);
            case SyncSpec.ParameterServer p -> new ParameterServerJob(j, spec, ctx, seed, planner);
        };
    }

    public Result run() {
        return run(Double.POSITIVE_INFINITY);
    }

    /**
     * Runs until every job is done or the simulated clock reaches {@code untilSec}, whichever is first: a horizon
     * gives every job the same span of the same cluster, the steady state a model of the network learns from.
     */
    public Result run(double untilSec) {
        if (!(untilSec > 0)) {
            throw new IllegalArgumentException("the horizon must be positive, got " + untilSec);
        }
        if (ran) {
            throw new IllegalStateException("a simulation runs once");
        }
        ran = true;
        emitTopology();
        for (SimJob job : jobs) {
            ctx.queue.schedule(job.spec.startSec(), new Event.JobStart(job.index));
        }
        if (options.sampleIntervalSec() > 0) {
            ctx.queue.schedule(options.sampleIntervalSec(), new Event.Sample());
        }
        long startNanos = System.nanoTime();
        while (!stopped && !ctx.queue.isEmpty() && ctx.queue.peekTime() <= untilSec) {
            Event next = ctx.queue.next();
            if (options.pace() > 0) {
                long due = startNanos + (long) (ctx.now() / options.pace() * 1e9);
                for (long wait; (wait = due - System.nanoTime()) > 0; ) {
                    LockSupport.parkNanos(wait);
                }
            }
            for (Action a; (a = actions.poll()) != null; ) {
                apply(a);
            }
            dispatch(next);
        }
        List<JobResult> out = new ArrayList<>();
        for (SimJob j : jobs) {
            double mean = j.stepsDone == 0 ? 0 : j.stepTimeSum / j.stepsDone;
            long lead = j instanceof ParameterServerJob p ? p.maxLead() : 0;
            long steps = j instanceof ParameterServerJob ? j.stepsDone / j.spec.workers() : j.stepsDone;
            double span = j.endedAt - j.spec.startSec();
            out.add(new JobResult(j.spec.name(), steps, mean, j.commReports == 0 ? 0 : j.commTimeSum / j.commReports,
                    span > 0 ? j.samplesDone / span : 0, j.lastBottleneck, lead, span,
                    j.exchanges == 0 ? 0 : j.exchangeSecSum / j.exchanges, j.mainBottlenecks(),
                    j.recentExchangeSec()));
        }
        ctx.network.settle(ctx.now());
        Topology t = ctx.topology;
        List<LinkResult> links = new ArrayList<>(t.linkCount());
        for (int l = 0; l < t.linkCount(); l++) {
            double possible = t.capacity(l) * ctx.now();
            links.add(new LinkResult(t.linkName(l), t.kind(l), t.capacity(l),
                    possible > 0 ? Math.min(1, ctx.network.carriedBytes(l) / possible) : 0));
        }
        return new Result(ctx.now(), ctx.queue.processed(), ctx.network.recomputes(), ctx.sink.count(), out, links);
    }

    /**
     * Ends {@link #run()} before its next event, from any thread: for a paced run that stands in for a live cluster
     * for as long as it is watched. The result covers what was simulated.
     */
    public void stop() {
        stopped = true;
    }

    /** Hands the simulation an action for one of its jobs; it is applied on the simulation's thread. */
    public void offer(Action action) {
        actions.add(action);
    }

    /**
     * Applies an action the way a job would: every {@code batch_size} of a worker of the job from the worker's next
     * step, reported as {@code knob.applied}; any other knob, or a worker the job does not have, is refused with a
     * {@code knob.rejected} that says why. An action for a job this simulation does not run is ignored.
     */
    private void apply(Action action) {
        SimJob job = jobs.stream().filter(j -> j.spec.name().equals(action.job())).findFirst().orElse(null);
        if (job == null) {
            return;
        }
        for (KnobSetting s : action.settings()) {
            int rank = s.worker().map(job::rankOf).orElse(-1);
            Map<String, String> attributes = new HashMap<>(Map.of("knob", s.knob().wireName(), "value",
                    String.valueOf(s.value()), "action", action.id()));
            String kind = "knob.applied";
            if (s.knob() != Knob.BATCH_SIZE || rank < 0) {
                kind = "knob.rejected";
                attributes.put("reason", s.knob() != Knob.BATCH_SIZE ? "the simulator models only batch_size"
                        : "no worker " + s.worker().orElse("(job)") + " in job " + job.spec.name());
            } else {
                job.changeBatch(rank, s.intValue());
            }
            ctx.emit(new JobEvent(job.spec.name(), s.worker(), ctx.at(ctx.now()), kind, attributes));
        }
    }

    private void dispatch(Event e) {
        switch (e) {
            case Event.JobStart s -> {
                SimJob job = jobs.get(s.job());
                ctx.emit(job.membership());
                job.start();
            }
            case Event.ComputeDone d -> jobs.get(d.job()).onComputeDone(d.worker(), d.step());
            case Event.CommStart c -> jobs.get(c.job()).onCommStart(c.worker(), c.step());
            case Event.CoflowDone f -> {
                FlowNetwork.Coflow c = ctx.network.get(f.coflow());
                if (c != null && c.version == f.version()) {
                    jobs.get(c.job).onCoflowDone(c);
                }
            }
            case Event.StepEnd s -> jobs.get(s.job()).onStepEnd(s.step());
            case Event.Sample s -> sample();
        }
        announceEnds();
    }

    /** A job that has just finished says so ({@code job.end}), as a real job does at exit. */
    private void announceEnds() {
        for (SimJob j : jobs) {
            if (j.finished() && !j.endAnnounced) {
                j.endAnnounced = true;
                ctx.emit(new JobEvent(j.spec.name(), Optional.empty(), ctx.at(ctx.now()), JobEvent.JOB_END,
                        Map.of("reason", "finished")));
            }
        }
    }

    private boolean allFinished() {
        for (SimJob j : jobs) {
            if (!j.finished()) {
                return false;
            }
        }
        return true;
    }

    /**
     * The topology of every node of the leaves in use, as their agents would report it: a collector sizes a leaf's
     * uplink from the NICs it knows under the leaf, so a leaf's idle nodes count too.
     */
    private void emitTopology() {
        Topology t = ctx.topology;
        TreeSet<Integer> nodes = new TreeSet<>();
        int leaf = leafSize();
        for (int node : nodesInUse()) {
            if (leaf == Integer.MAX_VALUE) {
                nodes.add(node);
            } else {
                for (int n = node / leaf * leaf; n < Math.min(t.cluster().nodeCount(), (node / leaf + 1) * leaf); n++) {
                    nodes.add(n);
                }
            }
        }
        for (int node : nodes) {
            NodeGroup g = t.cluster().groupOf(node);
            List<TopologyReport.GpuInfo> gpus = new ArrayList<>();
            List<TopologyReport.GpuLink> links = new ArrayList<>();
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < g.gpusPerNode(); i++) {
                gpus.add(new TopologyReport.GpuInfo(i, "GPU-sim-" + node + "-" + i, g.gpu().name()));
                all.add(i);
                for (int k = i + 1; k < g.gpusPerNode(); k++) {
                    boolean nv = !g.fabric().stagedThroughHost();
                    links.add(new TopologyReport.GpuLink(i, k, nv ? TopologyReport.LinkKind.NVLINK
                            : TopologyReport.LinkKind.PCIE_HOST_BRIDGE, nv ? 18 : 1));
                }
            }
            List<TopologyReport.NicInfo> nics = new ArrayList<>();
            for (int n = 0; n < g.nics().count(); n++) {
                nics.add(new TopologyReport.NicInfo("nic" + n, g.nics().count() > 2
                        ? TopologyReport.NicKind.INFINIBAND : TopologyReport.NicKind.ETHERNET,
                        g.nics().bytesPerSec() * 8, all, Optional.of("leaf" + node / leafSize())));
            }
            ctx.emit(new TopologyReport(t.cluster().nodeName(node), ctx.at(0), gpus, links, nics));
        }
    }

    private int leafSize() {
        return ctx.topology.cluster().tiers().isEmpty() ? Integer.MAX_VALUE
                : ctx.topology.cluster().tiers().get(0).fanout();
    }

    private TreeSet<Integer> nodesInUse() {
        TreeSet<Integer> nodes = new TreeSet<>();
        for (SimJob j : jobs) {
            for (int gpu : j.spec.workerGpus()) {
                nodes.add(ctx.topology.nodeOfGpu(gpu));
            }
            if (j.spec.sync() instanceof SyncSpec.ParameterServer p) {
                nodes.addAll(p.serverNodes());
            }
        }
        return nodes;
    }

    private void sample() {
        double now = ctx.now();
        double dt = now - lastSample;
        ctx.network.settle(now);
        Topology t = ctx.topology;
        for (SimJob j : jobs) {
            for (int i = 0; i < j.spec.workers(); i++) {
                int gpu = j.spec.workerGpus().get(i);
                int node = t.nodeOfGpu(gpu);
                NodeGroup g = t.cluster().groupOf(node);
                double util = Math.min(1, j.busySec[i] / dt);
                j.busySec[i] = 0;
                long mem = (long) (g.gpu().memoryGiB() * (1L << 30));
                ctx.emit(new GpuSample(t.cluster().nodeName(node), ctx.at(now), gpu - t.firstGpu(node),
                        "GPU-sim-" + node + "-" + (gpu - t.firstGpu(node)), g.gpu().name(),
                        OptionalDouble.of(100 * util), (long) (mem * 0.8), mem, OptionalDouble.of(1400),
                        OptionalDouble.of(1410), OptionalDouble.of(60 + 240 * util), OptionalDouble.of(300),
                        OptionalDouble.of(35 + 40 * util), 0, OptionalDouble.empty(), OptionalDouble.empty(),
                        OptionalDouble.empty(), OptionalDouble.empty()));
            }
        }
        for (int node : nodesInUse()) {
            double tx = rate(t.nicTx(node), dt);
            double rx = rate(t.nicRx(node), dt);
            ctx.emit(new HostSample(t.cluster().nodeName(node), ctx.at(now), 30, 0, 512L << 30, 400L << 30,
                    List.of(new HostSample.NicSample("nic0", Math.min(rx, 1e12), Math.min(tx, 1e12), 0, 0, 0, 0)),
                    List.of()));
        }
        lastSample = now;
        if (!allFinished()) {
            ctx.queue.schedule(now + options.sampleIntervalSec(), new Event.Sample());
        }
    }

    private double rate(int link, double dt) {
        double carried = ctx.network.carriedBytes(link);
        double r = (carried - lastCarried[link]) / dt;
        lastCarried[link] = carried;
        return Math.max(0, r);
    }
}

package dev.coxswain.whatif.engine;

import dev.coxswain.core.telemetry.JobEvent;
import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.whatif.spec.GpuType;
import dev.coxswain.whatif.spec.JobSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.SplittableRandom;

/** A job in the simulation: all-reduce or parameter server. Owned by the simulation thread. */
abstract sealed class SimJob permits AllReduceJob, ParameterServerJob {
    final int index;
    final JobSpec spec;
    final SimContext ctx;
    final double[] meanMicroSec;
    final double[] busySec;
    /** Each worker's micro-batch now: the spec's, until a knob changes it. */
    final int[] localBatch;
    /** A batch a knob set, taken at the worker's next step; 0: none. */
    private final int[] pendingBatch;
    private final SplittableRandom random;
    private final Random gaussian;
    long stepsDone;
    double stepTimeSum;
    /** Communication seconds over the step reports made, and how many: each worker's step is one. */
    double commTimeSum;
    long commReports;
    /** An all-reduce job's exchanges kept for their spread: the most recent ones. */
    static final int RECENT_EXCHANGES = 1_024;
    /** An all-reduce job's exchanges: their seconds, from start to the end of the last phase, and how many. */
    double exchangeSecSum;
    long exchanges;
    /** The last {@link #RECENT_EXCHANGES} exchanges' seconds, a ring: exchange {@code i} at {@code i % length}. */
    private final double[] recentExchangeSec = new double[RECENT_EXCHANGES];

    /** Notes an exchange that took {@code sec}. */
    final void exchanged(double sec) {
        recentExchangeSec[(int) (exchanges % RECENT_EXCHANGES)] = sec;
        exchangeSecSum += sec;
        exchanges++;
    }

    /** The last {@link #RECENT_EXCHANGES} exchanges' seconds (fewer until there were as many), oldest first. */
    final List<Double> recentExchangeSec() {
        int kept = (int) Math.min(exchanges, RECENT_EXCHANGES);
        List<Double> out = new ArrayList<>(kept);
        for (long i = exchanges - kept; i < exchanges; i++) {
            out.add(recentExchangeSec[(int) (i % RECENT_EXCHANGES)]);
        }
        return out;
    }
    /** Seconds of coflows each link bounded, by link. */
    private final Map<Integer, Double> boundSec = new HashMap<>();
    double samplesDone;
    double endedAt;
    String lastBottleneck = "none";
    boolean endAnnounced;

    SimJob(int index, JobSpec spec, SimContext ctx, long seed) {
        this.index = index;
        this.spec = spec;
        this.ctx = ctx;
        this.random = new SplittableRandom(seed);
        this.gaussian = new Random(random.nextLong());
        int n = spec.workers();
        this.meanMicroSec = new double[n];
        this.busySec = new double[n];
        this.localBatch = new int[n];
        this.pendingBatch = new int[n];
        for (int i = 0; i < n; i++) {
            setBatch(i, spec.localBatch().get(i));
        }
    }

    /** Gives {@code worker} a new micro-batch from its next step on (the step in flight keeps its own). */
    final void changeBatch(int worker, int batch) {
        pendingBatch[worker] = batch;
    }

    private void setBatch(int worker, int batch) {
        int node = ctx.topology.nodeOfGpu(spec.workerGpus().get(worker));
        GpuType gpu = ctx.topology.cluster().groupOf(node).gpu();
        localBatch[worker] = batch;
        meanMicroSec[worker] = spec.model().computeSeconds(gpu, batch);
    }

    /** The rank of worker id {@code id} ({@code <job>-w<rank>}), or -1 when it is none of this job's. */
    final int rankOf(String id) {
        String prefix = spec.name() + "-w";
        if (!id.startsWith(prefix)) {
            return -1;
        }
        try {
            int rank = Integer.parseInt(id.substring(prefix.length()));
            return rank >= 0 && rank < spec.workers() ? rank : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    abstract void start();

    abstract void onComputeDone(int worker, long step);

    abstract void onCommStart(int worker, long step);

    abstract void onCoflowDone(FlowNetwork.Coflow coflow);

    abstract void onStepEnd(long step);

    abstract boolean finished();

    abstract JobMembership membership();

    /**
     * Compute seconds of one step of {@code worker}, which starts now (a batch a knob set takes effect here): the sum
     * of its micro-batches, drawn at once from the normal distribution of a sum of {@code k} independent micro-batch
     * times (cost independent of {@code k}).
     */
    double sampleCompute(int worker, long step) {
        if (pendingBatch[worker] > 0) {
            setBatch(worker, pendingBatch[worker]);
            pendingBatch[worker] = 0;
        }
        double c = computeDraw(meanMicroSec[worker] * slowdown(worker, step), spec.accumulationSteps(),
                spec.model().computeJitterCv(), gaussian);
        busySec[worker] += c;
        return c;
    }

    /**
     * One step's compute seconds of {@code k} micro-batches of mean {@code meanMicroSec} each, with jitter of
     * coefficient of variation {@code cv}: the normal distribution of their sum, floored at 5% of its mean.
     */
    static double computeDraw(double meanMicroSec, int k, double cv, Random gaussian) {
        double sd = Math.sqrt(k) * cv * meanMicroSec;
        return Math.max(0.05 * k * meanMicroSec, k * meanMicroSec + sd * gaussian.nextGaussian());
    }

    double slowdown(int worker, long step) {
        return slowdown(spec, worker, step);
    }

    /** How many times slower than its mean {@code worker} of {@code spec} computes at {@code step}: its stragglers'. */
    static double slowdown(JobSpec spec, int worker, long step) {
        double s = 1;
        for (JobSpec.Straggler st : spec.stragglers()) {
            if (st.worker() == worker && step >= st.fromStep() && step < st.toStep()) {
                s *= st.slowdown();
            }
        }
        return s;
    }

    /** Ground truth for detectors: a straggler injection starts or ends at this step (worker -1: any worker). */
    void emitInjections(long step, int worker) {
        for (JobSpec.Straggler st : spec.stragglers()) {
            if (worker >= 0 && st.worker() != worker) {
                continue;
            }
            String kind = step == st.fromStep() ? "injection.start" : step == st.toStep() ? "injection.end" : null;
            if (kind != null) {
                ctx.emit(new JobEvent(spec.name(), Optional.of(workerId(st.worker())), ctx.at(ctx.now()), kind,
                        Map.of("fault", "straggler", "slowdown", Double.toString(st.slowdown()))));
            }
        }
    }

    String workerId(int worker) {
        return spec.name() + "-w" + worker;
    }

    void report(int worker, long step, double stepSec, double computeSec, double commSec, double waitSec) {
        int b = localBatch[worker];
        samplesDone += (double) b * spec.accumulationSteps();
        commTimeSum += commSec;
        commReports++;
        endedAt = ctx.now();
        ctx.emit(new StepReport(spec.name(), workerId(worker), step, ctx.at(ctx.now()), stepSec * 1e3,
                computeSec * 1e3, commSec * 1e3, waitSec * 1e3, b * spec.accumulationSteps(), b,
                OptionalDouble.empty(), Optional.empty()));
    }

    List<JobMembership.Member> workerMembers() {
        List<JobMembership.Member> m = new ArrayList<>();
        for (int i = 0; i < spec.workers(); i++) {
            int gpu = spec.workerGpus().get(i);
            int node = ctx.topology.nodeOfGpu(gpu);
            m.add(new JobMembership.Member(workerId(i), ctx.topology.cluster().nodeName(node),
                    gpu - ctx.topology.firstGpu(node), JobMembership.Role.WORKER));
        }
        return m;
    }

    void noteBottleneck(FlowNetwork.Coflow c) {
        lastBottleneck = c.bottleneckLink >= 0 ? ctx.topology.linkName(c.bottleneckLink)
                + " (" + ctx.topology.kind(c.bottleneckLink) + ")" : "per-flow limit";
        for (int l : c.boundBy()) {
            boundSec.merge(l, ctx.now() - c.startedAt, Double::sum);
        }
    }

    /**
     * The links that bounded this job's coflows (as of each one's last rate change) for the longest time, all of
     * them where several tie, in order; none when no link did.
     */
    List<Integer> mainBottlenecks() {
        double most = boundSec.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return boundSec.entrySet().stream().filter(e -> most > 0 && e.getValue() >= most * (1 - 1e-9))
                .map(Map.Entry::getKey).sorted().toList();
    }
}

package dev.coxswain.whatif.engine;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.List;

/**
 * A data-parallel job with all-reduce, synchronous every step. Per step: every worker computes (one event each);
 * the exchange starts when every worker has its first gradient bucket ready (the forward pass plus one bucket's
 * share of the backward pass), so it overlaps the rest of the backward pass; its phases run one after another as
 * coflows on the shared network; the step ends when the exchange is done, and no earlier than one bucket's exchange
 * after the slowest worker's last bucket. Cost per step: {@code O(n log E)} for {@code n} workers, independent of
 * gradient accumulation.
 */
final class AllReduceJob extends SimJob {
    private final List<Phase> phases;
    private final double[] computeSec;
    private long step;
    private double stepStart;
    private double lastReady;
    private double commStart;
    private int phase;
    private boolean done;

    AllReduceJob(int index, JobSpec spec, SimContext ctx, long seed, CollectivePlanner planner) {
        super(index, spec, ctx, seed);
        SyncSpec.AllReduce ar = (SyncSpec.AllReduce) spec.sync();
        this.phases = planner.allReduce(ar.algorithm(), spec.workerGpus(), spec.model().gradientBytes(),
                spec.model().buckets());
        this.computeSec = new double[spec.workers()];
    }

    @Override
    void start() {
        beginStep(ctx.now());
    }

    private void beginStep(double t) {
        stepStart = t;
        emitInjections(step, -1);
        double f = spec.model().forwardFraction();
        int m = spec.model().buckets();
        double firstReady = t;
        lastReady = t;
        for (int i = 0; i < computeSec.length; i++) {
            double c = sampleCompute(i, step);
            computeSec[i] = c;
            ctx.queue.schedule(t + c, new Event.ComputeDone(index, i, step));
            firstReady = Math.max(firstReady, t + firstBucket(c, f, m));
            lastReady = Math.max(lastReady, t + c);
        }
        if (phases.isEmpty()) {
            ctx.queue.schedule(lastReady, new Event.StepEnd(index, step));
        } else {
            ctx.queue.schedule(firstReady, new Event.CommStart(index, -1, step));
        }
    }

    @Override
    void onComputeDone(int worker, long s) {
        // Compute completions are real events (they order against other jobs' traffic); the step's end waits for
        // the exchange, which already accounts for the slowest worker.
    }

    @Override
    void onCommStart(int worker, long s) {
        commStart = ctx.now();
        phase = 0;
        ctx.startCoflow(phases.get(0), index, -1);
    }

    @Override
    void onCoflowDone(FlowNetwork.Coflow c) {
        noteBottleneck(c);
        ctx.finishCoflow(c);
        phase++;
        if (phase < phases.size()) {
            ctx.startCoflow(phases.get(phase), index, -1);
            return;
        }
        double exchange = ctx.now() - commStart;
        exchanged(exchange);
        ctx.queue.schedule(stepEnd(ctx.now(), lastReady, exchange, spec.model().buckets()),
                new Event.StepEnd(index, step));
    }

    /** When, {@code computeSec} into a step, a worker has its first gradient bucket ready. */
    static double firstBucket(double computeSec, double forwardFraction, int buckets) {
        return computeSec * (forwardFraction + (1 - forwardFraction) / buckets);
    }

    /**
     * When a step ends whose exchange took {@code exchangeSec} and was done at {@code exchangeEnd} (it starts when
     * every worker has its first bucket), its slowest worker's compute ending at {@code lastReady}: when the exchange
     * is done, and no earlier than one bucket's share of it after the last bucket is ready.
     */
    static double stepEnd(double exchangeEnd, double lastReady, double exchangeSec, int buckets) {
        return Math.max(exchangeEnd, lastReady + exchangeSec / buckets);
    }

    @Override
    void onStepEnd(long s) {
        double end = ctx.now();
        for (int i = 0; i < computeSec.length; i++) {
            double ready = stepStart + computeSec[i];
            report(i, step, end - stepStart, computeSec[i], end - lastReady, lastReady - ready);
        }
        stepTimeSum += end - stepStart;
        stepsDone++;
        step++;
        if (step < spec.steps()) {
            beginStep(end);
        } else {
            done = true;
        }
    }

    @Override
    boolean finished() {
        return done;
    }

    @Override
    JobMembership membership() {
        JobMembership.CommPattern p = switch (((SyncSpec.AllReduce) spec.sync()).algorithm()) {
            case RING -> JobMembership.CommPattern.RING_ALLREDUCE;
            case TREE -> JobMembership.CommPattern.TREE_ALLREDUCE;
            case HIERARCHICAL -> JobMembership.CommPattern.HIERARCHICAL_ALLREDUCE;
        };
        return new JobMembership(spec.name(), ctx.at(ctx.now()), p, spec.model().gradientBytes(), workerMembers());
    }
}

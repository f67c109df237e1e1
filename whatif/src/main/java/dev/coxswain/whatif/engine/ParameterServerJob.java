package dev.coxswain.whatif.engine;

import dev.coxswain.core.telemetry.JobMembership;
import dev.coxswain.whatif.spec.JobSpec;
import dev.coxswain.whatif.spec.SyncSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * A parameter-server job. Each worker loops on its own: compute, push its gradient shards to the servers, pull the
 * parameters back. A worker may start step {@code s} only while {@code s - min_j(completed_j) <= bound}: 0 for BSP
 * (everyone waits for everyone), the staleness for SSP, unbounded for ASP. Servers apply updates instantly.
 */
final class ParameterServerJob extends SimJob {
    private static final int PUSH = 0;
    private static final int PULL = 1;

    private final SyncSpec.ParameterServer ps;
    private final Phase[] push;
    private final Phase[] pull;
    private final long[] completed;
    private final long[] started;
    private final boolean[] blocked;
    private final boolean[] running;
    private final double[] prevEnd;
    private final double[] startedAt;
    private final double[] computeSec;
    private final double[] computeDoneAt;
    private final int[] stage;
    private long minCompleted;
    private long maxLead;

    ParameterServerJob(int index, JobSpec spec, SimContext ctx, long seed, CollectivePlanner planner) {
        super(index, spec, ctx, seed);
        this.ps = (SyncSpec.ParameterServer) spec.sync();
        int n = spec.workers();
        this.push = new Phase[n];
        this.pull = new Phase[n];
        for (int i = 0; i < n; i++) {
            int gpu = spec.workerGpus().get(i);
            push[i] = planner.push(gpu, ps.serverNodes(), spec.model().gradientBytes());
            pull[i] = planner.pull(gpu, ps.serverNodes(), spec.model().gradientBytes());
        }
        this.completed = new long[n];
        this.started = new long[n];
        this.blocked = new boolean[n];
        this.running = new boolean[n];
        this.prevEnd = new double[n];
        this.startedAt = new double[n];
        this.computeSec = new double[n];
        this.computeDoneAt = new double[n];
        this.stage = new int[n];
    }

    @Override
    void start() {
        emitInjections(0, -1);
        for (int i = 0; i < completed.length; i++) {
            prevEnd[i] = ctx.now();
            tryStart(i);
        }
    }

    private void tryStart(int i) {
        if (running[i] || completed[i] >= spec.steps()) {
            return;
        }
        long s = completed[i];
        if (s - minCompleted > ps.bound()) {
            blocked[i] = true;
            return;
        }
        blocked[i] = false;
        running[i] = true;
        maxLead = Math.max(maxLead, s - minCompleted);
        started[i] = s;
        startedAt[i] = ctx.now();
        computeSec[i] = sampleCompute(i, s);
        ctx.queue.schedule(ctx.now() + computeSec[i], new Event.ComputeDone(index, i, s));
    }

    @Override
    void onComputeDone(int worker, long step) {
        computeDoneAt[worker] = ctx.now();
        stage[worker] = PUSH;
        ctx.startCoflow(push[worker], index, worker);
    }

    @Override
    void onCommStart(int worker, long step) {
        throw new IllegalStateException("parameter-server workers push when their compute is done");
    }

    @Override
    void onCoflowDone(FlowNetwork.Coflow c) {
        int w = c.worker;
        noteBottleneck(c);
        ctx.finishCoflow(c);
        if (stage[w] == PUSH) {
            stage[w] = PULL;
            ctx.startCoflow(pull[w], index, w);
            return;
        }
        double now = ctx.now();
        long s = started[w];
        report(w, s, now - prevEnd[w], computeSec[w], now - computeDoneAt[w], startedAt[w] - prevEnd[w]);
        stepTimeSum += now - prevEnd[w];
        prevEnd[w] = now;
        running[w] = false;
        completed[w]++;
        stepsDone++;
        long min = Long.MAX_VALUE;
        for (long done : completed) {
            min = Math.min(min, done);
        }
        boolean advanced = min > minCompleted;
        minCompleted = min;
        if (completed[w] < spec.steps()) {
            emitInjections(completed[w], w);
        }
        tryStart(w);
        if (advanced) {
            List<Integer> waiting = new ArrayList<>();
            for (int i = 0; i < blocked.length; i++) {
                if (blocked[i]) {
                    waiting.add(i);
                }
            }
            waiting.forEach(this::tryStart);
        }
    }

    @Override
    void onStepEnd(long step) {
        throw new IllegalStateException("parameter-server steps end per worker");
    }

    @Override
    boolean finished() {
        for (long c : completed) {
            if (c < spec.steps()) {
                return false;
            }
        }
        return true;
    }

    /** The largest lead of a worker over the slowest one at any step start (the SSP bound in action). */
    long maxLead() {
        return maxLead;
    }

    @Override
    JobMembership membership() {
        List<JobMembership.Member> m = new ArrayList<>(workerMembers());
        for (int s = 0; s < ps.serverNodes().size(); s++) {
            m.add(new JobMembership.Member(spec.name() + "-ps" + s,
                    ctx.topology.cluster().nodeName(ps.serverNodes().get(s)), -1, JobMembership.Role.PARAMETER_SERVER));
        }
        return new JobMembership(spec.name(), ctx.at(ctx.now()), JobMembership.CommPattern.PARAMETER_SERVER,
                spec.model().gradientBytes(), m);
    }
}

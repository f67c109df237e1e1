package dev.coxswain.trainer.worker;

import dev.coxswain.core.telemetry.StepReport;
import dev.coxswain.sdk.AgentClient;
import dev.coxswain.trainer.coord.Completion;
import dev.coxswain.trainer.coord.Grant;
import dev.coxswain.trainer.coord.Stop;
import dev.coxswain.trainer.coord.Turn;
import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.data.SampleOrder;
import dev.coxswain.trainer.model.BatchStats;
import dev.coxswain.trainer.model.MlpGradient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A data-parallel worker: for each clock the coordinator grants, it computes the gradient of its batch on the
 * parameters, pushes the slices to the shards, whose answers carry the parameters for the next clock, and reports the step (time split into wait, communication and
 * compute; loss; gradient statistics) to the agent through the job SDK. Its compute takes as long as the grant's
 * emulated accelerator would ({@link Grant#paceMs()}), or the CPU's own time when that is longer or there is none;
 * an injected slowdown of {@code factor} stretches that to {@code factor} times as long, as a device that much
 * slower would take (the worker sleeps the difference: on a machine with fewer cores than workers, a slow worker's
 * sleep would otherwise hand its CPU to the others and cost the job nothing). An injected input stall makes it wait
 * for its batch before computing, reported as the part of the step outside compute, communication and the wait
 * for peers (input wait, as a data loader's). It pulls
 * the parameters separately only when those it holds may miss updates the grant requires (the first clock, after a
 * restart, or when the SSP bound was hit while it waited).
 *
 * <p>{@link #run()} returns when the coordinator says stop; the reason is in {@link #stopReason()}.
 */
public final class Worker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);

    private final WorkerSettings settings;
    private final Dataset train;
    private final AgentClient agent;
    private final Clock clock;
    private final PsClient ps;
    private final MlpGradient gradient;
    private final SampleOrder order;
    private final float[] params;
    private final float[] grad;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Every worker's pushes up to this clock are in {@link #params}; -2 until the first pull. */
    private long paramsHoldThrough = -2;
    private volatile String stopReason = "";
    private long clocksDone;

    public Worker(WorkerSettings settings, Dataset train, AgentClient agent, Clock clock) {
        this.settings = settings;
        this.train = train;
        this.agent = agent;
        this.clock = clock;
        this.ps = new PsClient(settings.coordinatorUrl());
        this.gradient = new MlpGradient(settings.shape());
        this.order = new SampleOrder(train.size(), settings.seed());
        this.params = new float[settings.shape().parameterCount()];
        this.grad = new float[params.length];
    }

    @Override
    public void run() {
        try {
            PsClient.Hello hello = ps.hello(settings.workerId(), settings.node());
            LOG.info("worker {} on {}: index {}, shards {}", settings.workerId(), settings.node(), hello.index(),
                    hello.shards());
            Completion completed = null;
            while (!closed.get()) {
                long t0 = System.nanoTime();
                Turn turn = ps.advance(settings.workerId(), completed);
                if (turn instanceof Stop stop) {
                    stopReason = stop.reason();
                    break;
                }
                completed = step(hello, (Grant) turn, t0);
            }
        } finally {
            ps.close();
        }
        LOG.info("worker {} stopped after {} clocks: {}", settings.workerId(), clocksDone, stopReason);
    }

    private Completion step(PsClient.Hello hello, Grant g, long t0) {
        long granted = System.nanoTime();
        if (g.inputStallMs() > 0) {
            sleepNanos((long) (g.inputStallMs() * 1e6));
        }
        // The batch is in. An injected input stall is the step's input wait: in its time, but in neither compute,
        // communication nor the wait for peers.
        long loaded = System.nanoTime();
        if (paramsHoldThrough < g.readAfter()) {
            ps.pull(hello.shards(), settings.layout(), params);
            paramsHoldThrough = g.readAfter();
        }
        long pulled = System.nanoTime();
        BatchStats stats = gradient.compute(params, train, order, g.firstSample(), g.batch(), grad);
        long computed = System.nanoTime();
        long device = Math.max(computed - pulled, (long) (g.paceMs() * 1e6));
        long padding = (long) (g.slowdown() * device) - (computed - pulled);
        if (padding > 0) {
            sleepNanos(padding);
            computed = System.nanoTime();
        }
        PsClient.PushReply reply = ps.push(hello.shards(), settings.layout(), hello.index(), g.clock(), g.weight(),
                g.lr(), g.synchronous(), grad, params);
        paramsHoldThrough = reply.minPushed();
        long pushed = System.nanoTime();
        if (reply.duplicates() > 0) {
            LOG.info("worker {}: clock {} was already on {} shard(s); not applied twice", settings.workerId(),
                    g.clock(), reply.duplicates());
        }
        clocksDone++;
        double heldMs = Math.min(reply.heldMs(), ms(pushed - computed));
        agent.report(new StepReport(settings.jobId(), settings.workerId(), g.clock(), clock.instant(),
                ms(pushed - t0), ms(computed - pulled), ms(pulled - loaded) + ms(pushed - computed) - heldMs,
                ms(granted - t0) + heldMs, g.batch(), g.batch(), OptionalDouble.of(stats.loss()),
                Optional.of(new StepReport.GradientStats(stats.gradSqNorm(), stats.gradVariance()))));
        return new Completion(g.clock(), g.batch(), stats.loss(), stats.gradSqNorm(), stats.gradVariance(),
                ms(computed - pulled));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private void sleepNanos(long nanos) {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed.set(true);
        }
    }

    public String stopReason() {
        return stopReason;
    }

    /** Clocks this process completed (a restarted worker counts from zero). */
    public long clocksDone() {
        return clocksDone;
    }

    /** Stops after the current clock. */
    public void close() {
        closed.set(true);
    }

    /** Cuts this worker's connections at once, as a crash would; {@link #run()} ends with an exception. */
    public void abort() {
        closed.set(true);
        ps.close();
    }
}

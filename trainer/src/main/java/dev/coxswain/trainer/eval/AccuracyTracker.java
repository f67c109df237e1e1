package dev.coxswain.trainer.eval;

import dev.coxswain.trainer.data.Dataset;
import dev.coxswain.trainer.model.MlpAccuracy;
import dev.coxswain.trainer.model.MlpShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Evaluates parameter snapshots on the test set on its own thread, in the order they were taken, and calls back the
 * first time one reaches the target accuracy. Time to accuracy is the snapshot's time, not the time the evaluation
 * finished, so a slow evaluator delays the stop but not the measurement.
 *
 * <p>Evaluation competes with training for the CPU, so a snapshot is first screened on the first
 * {@value #SCREEN_IMAGES} test images; only when that is within {@value #SCREEN_MARGIN} of the target (or there is no
 * target) is it evaluated on the whole test set. Only whole-test-set evaluations can reach the target.
 */
public final class AccuracyTracker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccuracyTracker.class);
    private static final int MAX_QUEUED = 256;
    static final int SCREEN_IMAGES = 2000;
    static final double SCREEN_MARGIN = 0.02;

    private record Snapshot(long globalStep, Duration elapsed, long samples, float[] params) {
    }

    private final Dataset test;
    private final Dataset screen;
    private final MlpAccuracy accuracy;
    private final double target;
    private final Consumer<EvalPoint> onTarget;
    private final LinkedBlockingQueue<Snapshot> queue = new LinkedBlockingQueue<>(MAX_QUEUED);
    private final List<EvalPoint> curve = new ArrayList<>();
    private final Thread thread;
    private volatile boolean closed;
    /** Snapshots submitted and not yet evaluated or skipped; guarded by {@code this}, which {@link #drain} waits on. */
    private int pending;
    private EvalPoint reached;
    private long skipped;

    /** @param target accuracy to call {@code onTarget} at; 0 for none */
    public AccuracyTracker(MlpShape shape, Dataset test, double target, Consumer<EvalPoint> onTarget) {
        this.test = test;
        this.screen = target > 0 && test.size() >= 2 * SCREEN_IMAGES ? test.head(SCREEN_IMAGES) : null;
        this.accuracy = new MlpAccuracy(shape);
        this.target = target;
        this.onTarget = onTarget;
        this.thread = Thread.ofPlatform().daemon().name("coxswain-evaluator").start(this::run);
    }

    /** Queues a snapshot (the array is kept; do not reuse it). Never blocks; counts it as skipped when full. */
    public void submit(long globalStep, Duration elapsed, long samples, float[] params) {
        synchronized (this) {
            pending++;
        }
        if (!queue.offer(new Snapshot(globalStep, elapsed, samples, params))) {
            synchronized (this) {
                pending--;
                skipped++;
                notifyAll();
            }
            LOG.warn("evaluator is {} snapshots behind; skipped the one of step {}", MAX_QUEUED, globalStep);
        }
    }

    /** Evaluates now, on the caller's thread (for the final model); not added to the curve. */
    public EvalPoint evaluateNow(long globalStep, Duration elapsed, long samples, float[] params) {
        return evaluate(globalStep, elapsed, samples, params, test);
    }

    private EvalPoint evaluate(long globalStep, Duration elapsed, long samples, float[] params, Dataset data) {
        synchronized (accuracy) {
            MlpAccuracy.Result r = accuracy.evaluate(params, data);
            return new EvalPoint(globalStep, elapsed, samples, r.accuracy(), r.loss(), data.size());
        }
    }

    private void run() {
        while (!closed) {
            Snapshot s;
            try {
                s = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (s == null) {
                continue;
            }
            EvalPoint p = screen == null ? null : evaluate(s.globalStep(), s.elapsed(), s.samples(), s.params(), screen);
            if (p == null || p.accuracy() >= target - SCREEN_MARGIN) {
                p = evaluateNow(s.globalStep(), s.elapsed(), s.samples(), s.params());
            }
            LOG.info("step {} at {} ms: test accuracy {} on {} images (loss {})", p.globalStep(),
                    p.elapsed().toMillis(), String.format("%.4f", p.accuracy()), p.images(),
                    String.format("%.4f", p.loss()));
            boolean first;
            synchronized (this) {
                curve.add(p);
                first = reached == null && target > 0 && p.accuracy() >= target && p.images() == test.size();
                if (first) {
                    reached = p;
                }
                pending--;
                notifyAll();
            }
            if (first) {
                onTarget.accept(p);
            }
        }
    }

    /** Waits until every queued snapshot is evaluated, or {@code timeout}; true when drained. */
    public synchronized boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long left;
        while (pending > 0 && (left = deadline - System.nanoTime()) > 0) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
        return pending == 0;
    }

    public synchronized List<EvalPoint> curve() {
        return List.copyOf(curve);
    }

    public synchronized Optional<EvalPoint> reached() {
        return Optional.ofNullable(reached);
    }

    public synchronized long skipped() {
        return skipped;
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}

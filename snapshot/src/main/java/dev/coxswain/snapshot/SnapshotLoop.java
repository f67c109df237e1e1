package dev.coxswain.snapshot;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * A stage beside the collector that works on its snapshots on a thread of its own (the live detector, the
 * controller): the collector's thread only hands each snapshot over, keeping the latest, so a slow stage never holds
 * the collector back; a snapshot that a newer one replaced before the stage took it is skipped and reported.
 *
 * <p>Lifecycle: construct, {@link #start()}, {@link #close()} (safe to call more than once). Tests may drive it
 * without a thread with {@link #handOver} and {@link #runOnce}. An exception from {@code process} stops the stage's
 * thread and is logged.
 */
public final class SnapshotLoop implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotLoop.class);
    private static final Duration IDLE_WAIT = Duration.ofMillis(500);

    private final String name;
    private final SnapshotSource source;
    private final Consumer<ClusterSnapshot> process;
    private final Runnable skipped;
    private final AtomicReference<ClusterSnapshot> pending = new AtomicReference<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private final AtomicBoolean running = new AtomicBoolean(true);
    private AutoCloseable subscription;
    private Thread thread;

    /**
     * @param name    the thread's name, and the stage's in log lines
     * @param process the stage's work on one snapshot, on the stage's thread
     * @param skipped called on the collector's thread for each snapshot replaced before the stage took it
     */
    public SnapshotLoop(String name, SnapshotSource source, Consumer<ClusterSnapshot> process, Runnable skipped) {
        this.name = Objects.requireNonNull(name, "name");
        this.source = Objects.requireNonNull(source, "source");
        this.process = Objects.requireNonNull(process, "process");
        this.skipped = Objects.requireNonNull(skipped, "skipped");
    }

    /** Subscribes to the snapshots and starts the stage's thread. */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException(name + " already started");
        }
        subscription = source.subscribe(this::handOver);
        thread = new Thread(this::run, name);
        thread.start();
    }

    /** Called on the collector's thread: keeps only the latest snapshot and wakes the stage. */
    public void handOver(ClusterSnapshot snapshot) {
        if (pending.getAndSet(snapshot) != null) {
            skipped.run();
        }
        wakeUp.release();
    }

    private void run() {
        try {
            while (running.get()) {
                runOnce(IDLE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("{} stopped on an unexpected error", name, e);
        }
    }

    /** Processes the pending snapshot, waiting up to {@code maxWait} for one; returns whether there was one. */
    public boolean runOnce(Duration maxWait) throws InterruptedException {
        wakeUp.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        wakeUp.drainPermits();
        ClusterSnapshot snapshot = pending.getAndSet(null);
        if (snapshot == null || !running.get()) {
            return false;
        }
        process.accept(snapshot);
        return true;
    }

    /** Stops listening and the stage's thread, waiting for the snapshot in progress (at most 10 s). */
    @Override
    public synchronized void close() {
        if (!running.getAndSet(false)) {
            return;
        }
        if (subscription != null) {
            try {
                subscription.close();
            } catch (Exception e) {
                log.warn("could not unsubscribe {} from snapshots", name, e);
            }
        }
        wakeUp.release();
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

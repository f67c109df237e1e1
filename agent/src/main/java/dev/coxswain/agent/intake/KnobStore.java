package dev.coxswain.agent.intake;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The knobs of the jobs on this node: a job-wide set and per-worker sets, with one version counter per job that
 * goes up by one with every change that alters a value. A worker sees its own knobs laid over the job-wide ones.
 * Workers wait for a version above the one they have ({@link #awaitAfter}), which is how the intake's long-poll
 * answers as soon as a change lands.
 *
 * <p>Thread-safe; listeners run on the thread that made the change (or the caller of {@link #awaitAfter}, when the
 * version is already above), outside the store's lock. A job nobody has set is at version 0 with no knobs.
 */
public final class KnobStore {

    /**
     * A worker's merged knobs at a job version.
     *
     * @param action the controller action that made this version, when one did (the job reports it back with
     *               {@code knob.applied})
     */
    public record Snapshot(long version, KnobSet knobs, Optional<String> action) {
    }

    /** Who made a change and why, kept with the job's knobs. */
    public record Origin(Optional<String> action, String issuer, String reason) {
        public static final Origin API = new Origin(Optional.empty(), "knob-api", "set through the knob API");
    }

    /** A pending wait; {@link #cancel()} returns whether it was still pending (so the caller may answer instead). */
    public interface Subscription {
        boolean cancel();
    }

    private static final class JobKnobs {
        long version;
        Origin origin = Origin.API;
        KnobSet jobWide = KnobSet.EMPTY;
        final Map<String, KnobSet> workers = new HashMap<>();
        final List<Waiter> waiters = new ArrayList<>();
        boolean polled;

        Snapshot snapshot(String worker) {
            return new Snapshot(version, jobWide.overlay(workers.getOrDefault(worker, KnobSet.EMPTY)),
                    origin.action());
        }
    }

    private static final class Waiter implements Subscription {
        final String worker;
        final long after;
        final Consumer<Snapshot> listener;
        final AtomicBoolean pending = new AtomicBoolean(true);

        Waiter(String worker, long after, Consumer<Snapshot> listener) {
            this.worker = worker;
            this.after = after;
            this.listener = listener;
        }

        @Override
        public boolean cancel() {
            return pending.compareAndSet(true, false);
        }
    }

    private final Map<String, JobKnobs> jobs = new HashMap<>();
    /** Each job's workers, from the last membership its processes sent this agent; absent: not known here. */
    private final Map<String, Set<String>> members = new HashMap<>();

    /** Remembers a job's workers (its membership without parameter servers): knobs for others are refused. */
    public synchronized void members(String job, Set<String> workers) {
        members.put(job, Set.copyOf(workers));
    }

    /**
     * Applies a change to a job's knobs, or to one worker's when {@code worker} is present.
     *
     * @return the job's version after the change (unchanged when the change altered nothing)
     */
    public long set(String job, Optional<String> worker, KnobPatch patch) {
        return set(job, Map.of(worker, patch), Origin.API);
    }

    /**
     * Applies changes to several of a job's sets at once (key: a worker, or empty for the job-wide set), as one
     * version, remembering who made it.
     *
     * @return the job's version after the change (unchanged when the change altered nothing)
     */
    public long set(String job, Map<Optional<String>, KnobPatch> patches, Origin origin) {
        List<Runnable> notify = new ArrayList<>();
        long version;
        synchronized (this) {
            Set<String> known = members.get(job);
            for (Optional<String> worker : patches.keySet()) {
                if (known != null && worker.isPresent() && !known.contains(worker.get())) {
                    throw new InvalidFieldException("worker", worker.get() + " is not a worker of job " + job
                            + " (its membership names " + new java.util.TreeSet<>(known) + ")");
                }
            }
            JobKnobs k = jobs.computeIfAbsent(job, j -> new JobKnobs());
            boolean changed = false;
            for (Map.Entry<Optional<String>, KnobPatch> e : patches.entrySet()) {
                Optional<String> worker = e.getKey();
                KnobSet before = worker.map(w -> k.workers.getOrDefault(w, KnobSet.EMPTY)).orElse(k.jobWide);
                KnobSet after = before.apply(e.getValue());
                if (!after.equals(before)) {
                    if (worker.isPresent()) {
                        k.workers.put(worker.get(), after);
                    } else {
                        k.jobWide = after;
                    }
                    changed = true;
                }
            }
            if (changed) {
                k.version++;
                k.origin = origin;
                collectReady(k, notify);
            }
            version = k.version;
        }
        notify.forEach(Runnable::run);
        return version;
    }

    /** Whether a worker of the job has asked this store for its knobs: the job runs on this node. */
    public synchronized boolean knows(String job) {
        JobKnobs k = jobs.get(job);
        return k != null && k.polled;
    }

    /** The worker's merged knobs now. */
    public synchronized Snapshot get(String job, String worker) {
        JobKnobs k = jobs.get(job);
        return k == null ? new Snapshot(0, KnobSet.EMPTY, Optional.empty()) : k.snapshot(worker);
    }

    /**
     * Calls {@code listener} once with the worker's knobs as soon as the job's version is above {@code after}: at
     * once, on this thread, when it already is. Cancel the subscription when giving up waiting.
     */
    public Subscription awaitAfter(String job, String worker, long after, Consumer<Snapshot> listener) {
        Waiter waiter = new Waiter(worker, after, listener);
        Snapshot ready;
        synchronized (this) {
            JobKnobs k = jobs.computeIfAbsent(job, j -> new JobKnobs());
            k.polled = true;
            if (k.version <= after) {
                k.waiters.removeIf(w -> !w.pending.get());
                k.waiters.add(waiter);
                return waiter;
            }
            ready = k.snapshot(worker);
        }
        if (waiter.cancel()) {
            listener.accept(ready);
        }
        return waiter;
    }

    private static void collectReady(JobKnobs k, List<Runnable> notify) {
        for (Iterator<Waiter> it = k.waiters.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (k.version > w.after) {
                it.remove();
                Snapshot s = k.snapshot(w.worker);
                notify.add(() -> {
                    if (w.cancel()) {
                        w.listener.accept(s);
                    }
                });
            }
        }
    }

    /** Waits registered and not yet answered or cancelled, across all jobs (for tests and health). */
    public synchronized int pendingWaits() {
        return jobs.values().stream().mapToInt(k -> (int) k.waiters.stream().filter(w -> w.pending.get()).count())
                .sum();
    }
}

package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.features.RobustStats;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * The detector's mutable state for one worker; owned by its {@link JobTracker}.
 * <p>Spike hold: a sample at least {@code highRatio} times the worker's current level, after one that was not, enters
 * the window as the window's lowest time for now. If the next sample is high as well, the held one is put back as
 * it was (an onset: no latency is lost, since the window's median needs a third slow sample anyway); if not, the
 * held sample was an isolated spike and stays replaced. Replacing it by the window's minimum rather than its
 * median means a spike can only lower, never raise, the worker's level, so it cannot push a worker near the
 * threshold over it.
 * <p>Noise: the worker's last {@code noiseSamples} step-to-step differences of admitted samples, relative to its
 * level; differences are immune to the level itself, so a persistent slowdown does not count as noise.
 */
final class WorkerTrack {
    private final String workerId;
    private final int window;
    private final double highRatio;
    private final ArrayDeque<WorkerSample> recent;
    private final double[] diffs;
    private int diffCount;
    private double lastAdmitted = Double.NaN;
    private double level = Double.NaN;
    private WorkerSample held;
    private boolean lastHigh;
    private long spikesHeld;
    private WorkerLocation placement = WorkerLocation.unknown();
    private long samples;
    private boolean flagged;
    private long sinceStep = -1;
    private Optional<Instant> since = Optional.empty();
    private boolean slowSinceStart = true;
    private long lastStep = -1;

    WorkerTrack(String workerId, int window, double highRatio, int noiseSamples) {
        this.workerId = workerId;
        this.window = window;
        this.highRatio = highRatio;
        this.recent = new ArrayDeque<>(window);
        this.diffs = new double[noiseSamples];
    }

    void add(WorkerSample sample, WorkerLocation where) {
        boolean high = sample.ownStepMs() >= level * highRatio;
        if (held != null) {
            if (high) {
                recent.removeLast();
                recent.addLast(held);
                level = RobustStats.median(stepTimes());
            } else {
                spikesHeld++;
            }
            held = null;
            push(sample);
        } else if (high && !lastHigh) {
            held = sample;
            push(new WorkerSample(sample.step(), Math.min(level, minimum()), sample.timestamp(), sample.signals()));
        } else {
            push(sample);
        }
        lastHigh = high;
        samples++;
        lastStep = sample.step();
        if (where != null && !where.equals(WorkerLocation.unknown())) {
            placement = where;
        }
    }

    private void push(WorkerSample sample) {
        if (recent.size() == window) {
            recent.removeFirst();
        }
        recent.addLast(sample);
        level = RobustStats.median(stepTimes());
        double x = sample.ownStepMs();
        if (!Double.isNaN(lastAdmitted)) {
            diffs[diffCount % diffs.length] = (x - lastAdmitted) / level;
            diffCount++;
        }
        lastAdmitted = x;
    }

    private double minimum() {
        double min = Double.POSITIVE_INFINITY;
        for (WorkerSample s : recent) {
            min = Math.min(min, s.ownStepMs());
        }
        return min;
    }

    /** The worker's recent relative step-to-step differences (at most noiseSamples of them). */
    double[] diffs() {
        return Arrays.copyOf(diffs, Math.min(diffCount, diffs.length));
    }

    /** The median of the window; NaN before the first sample. */
    double level() {
        return level;
    }

    double[] stepTimes() {
        double[] t = new double[recent.size()];
        int i = 0;
        for (WorkerSample s : recent) {
            t[i++] = s.ownStepMs();
        }
        return t;
    }

    /** Records this step's decision; {@code confirmable} is false while the worker has too few samples. */
    void decide(boolean confirmable, boolean slow, WorkerSample at) {
        if (confirmable && !slow) {
            slowSinceStart = false;
        }
        if (slow && !flagged) {
            flagged = true;
            sinceStep = at.step();
            since = at.timestamp();
        } else if (!slow && flagged) {
            flagged = false;
            sinceStep = -1;
            since = Optional.empty();
        }
    }

    List<WorkerSample> recent() {
        return new ArrayList<>(recent);
    }

    /** The sample {@code back} samples before the newest in the window, if the window reaches that far. */
    Optional<WorkerSample> back(int back) {
        if (back >= recent.size()) {
            return Optional.empty();
        }
        Iterator<WorkerSample> it = recent.descendingIterator();
        for (int i = 0; i < back; i++) {
            it.next();
        }
        return Optional.of(it.next());
    }

    String workerId() {
        return workerId;
    }

    WorkerLocation placement() {
        return placement;
    }

    long samples() {
        return samples;
    }

    boolean flagged() {
        return flagged;
    }

    long sinceStep() {
        return sinceStep;
    }

    Optional<Instant> since() {
        return since;
    }

    boolean slowSinceStart() {
        return slowSinceStart;
    }

    long lastStep() {
        return lastStep;
    }

    /** Isolated spikes kept out of the window so far. */
    long spikesHeld() {
        return spikesHeld;
    }
}

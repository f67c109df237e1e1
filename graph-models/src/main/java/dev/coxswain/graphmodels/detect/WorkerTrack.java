package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.features.RobustStats;
import dev.coxswain.graphmodels.window.Placement;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The detector's mutable state for one worker; owned by its {@link JobTracker}. */
final class WorkerTrack {
    private final String workerId;
    private final int window;
    private final ArrayDeque<WorkerSample> recent;
    private Placement placement = Placement.unknown();
    private long samples;
    private boolean flagged;
    private long sinceStep = -1;
    private Optional<Instant> since = Optional.empty();
    private boolean slowSinceStart = true;
    private long lastStep = -1;

    WorkerTrack(String workerId, int window) {
        this.workerId = workerId;
        this.window = window;
        this.recent = new ArrayDeque<>(window);
    }

    void add(WorkerSample sample, Placement where) {
        if (recent.size() == window) {
            recent.removeFirst();
        }
        recent.addLast(sample);
        samples++;
        lastStep = sample.step();
        if (where != null && !where.equals(Placement.unknown())) {
            placement = where;
        }
    }

    double level() {
        double[] t = stepTimes();
        return RobustStats.median(t);
    }

    double[] stepTimes() {
        double[] t = new double[recent.size()];
        int i = 0;
        for (WorkerSample s : recent) {
            t[i++] = s.stepTimeMs();
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

    String workerId() {
        return workerId;
    }

    Placement placement() {
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
}

package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * The default {@link StragglerDetector}: one {@link JobTracker} per job, fed with the steps each window adds.
 * A step is complete when every non-stale worker has reported a step at least as late; a worker is stale when it is
 * missing from the job's last {@link DetectorConfig#staleTicks()} steps in the window (it left or died), so it
 * cannot hold the job back forever.
 */
public final class OnlineStragglerDetector implements StragglerDetector {

    private final DetectorConfig config;
    private final CauseAttributor attributor;
    private final Map<String, JobTracker> trackers = new HashMap<>();
    private final Map<String, JobAssessment> latest = new HashMap<>();

    public OnlineStragglerDetector(DetectorConfig config, CauseAttributor attributor) {
        this.config = Objects.requireNonNull(config, "config");
        this.attributor = Objects.requireNonNull(attributor, "attributor");
    }

    @Override
    public JobAssessment update(JobWindow window) {
        JobTracker tracker = trackers.computeIfAbsent(window.jobId(),
                id -> new JobTracker(id, config, attributor, false));
        Ticks ticks = new Ticks(window, tracker.lastStep());
        long horizon = completeHorizon(window);
        int processed = 0;
        TickAssessment last = null;
        NavigableMap<Long, Map<String, WorkerSample>> ready = ticks.bySteps().headMap(horizon, true);
        for (Map.Entry<Long, Map<String, WorkerSample>> e : ready.entrySet()) {
            last = tracker.advance(e.getKey(), e.getValue(), ticks.placements());
            processed++;
        }
        JobAssessment result = last != null ? JobAssessment.of(last, processed)
                : withNothingNew(latest.getOrDefault(window.jobId(), JobAssessment.nothingYet(window.jobId())));
        latest.put(window.jobId(), result);
        return result;
    }

    private static JobAssessment withNothingNew(JobAssessment previous) {
        return new JobAssessment(previous.jobId(), previous.step(), 0, previous.idealLevel(), previous.jobSlowdown(),
                previous.detections());
    }

    /** The latest step that every non-stale worker has reached. */
    private long completeHorizon(JobWindow window) {
        List<Long> steps = new ArrayList<>();
        for (WorkerSeries w : window.workers()) {
            for (WorkerSample s : w.samples()) {
                steps.add(s.step());
            }
        }
        if (steps.isEmpty()) {
            return Long.MIN_VALUE;
        }
        List<Long> distinct = steps.stream().distinct().sorted().toList();
        long staleBefore = distinct.get(Math.max(0, distinct.size() - config.staleTicks()));
        long horizon = Long.MAX_VALUE;
        for (WorkerSeries w : window.workers()) {
            if (w.samples().isEmpty()) {
                continue;
            }
            long workerLast = w.samples().getLast().step();
            if (workerLast >= staleBefore) {
                horizon = Math.min(horizon, workerLast);
            }
        }
        return horizon;
    }

    @Override
    public void forget(String jobId) {
        trackers.remove(jobId);
        latest.remove(jobId);
    }
}

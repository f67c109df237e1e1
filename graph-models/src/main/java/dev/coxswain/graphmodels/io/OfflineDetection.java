package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobTracker;
import dev.coxswain.graphmodels.detect.TickAssessment;
import dev.coxswain.graphmodels.detect.Ticks;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.Placement;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerWindow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The offline detector: rows of a steps file in, one verdict per row out, in the rows' order. Each job is replayed
 * step by step through its own {@link JobTracker}, so a row's verdict uses only that step and earlier ones, exactly
 * as the live detector would have decided. A worker's placement is the last one its rows give.
 */
public final class OfflineDetection {

    private final DetectorConfig config;
    private final CauseAttributor attributor;

    public OfflineDetection(DetectorConfig config, CauseAttributor attributor) {
        this.config = config;
        this.attributor = attributor;
    }

    /** The verdict for each row, in the order of {@code rows}. */
    public List<WorkerVerdict> run(List<StepRow> rows) {
        Map<String, JobWindow> windows = windows(rows);
        Map<String, Map<Long, TickAssessment>> ticks = new HashMap<>();
        for (JobWindow w : windows.values()) {
            ticks.put(w.jobId(), Ticks.replay(w, new JobTracker(w.jobId(), config, attributor, false)));
        }
        Map<String, Map<Long, Map<String, WorkerVerdict>>> index = new HashMap<>();
        ticks.forEach((job, byStep) -> {
            Map<Long, Map<String, WorkerVerdict>> m = new HashMap<>();
            byStep.forEach((step, tick) -> {
                Map<String, WorkerVerdict> vs = new HashMap<>();
                tick.verdicts().forEach(v -> vs.put(v.workerId(), v));
                m.put(step, vs);
            });
            index.put(job, m);
        });
        List<WorkerVerdict> out = new ArrayList<>(rows.size());
        for (StepRow r : rows) {
            out.add(index.get(r.jobId()).get(r.sample().step()).get(r.workerId()));
        }
        return out;
    }

    /** Groups rows into one window per job, each worker's samples sorted by step. */
    public static Map<String, JobWindow> windows(List<StepRow> rows) {
        Map<String, Map<String, List<WorkerSample>>> samples = new LinkedHashMap<>();
        Map<String, Placement> placements = new HashMap<>();
        for (StepRow r : rows) {
            samples.computeIfAbsent(r.jobId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.workerId(), k -> new ArrayList<>()).add(r.sample());
            if (!r.placement().equals(Placement.unknown())) {
                placements.put(r.jobId() + '\u0000' + r.workerId(), r.placement());
            }
        }
        Map<String, JobWindow> out = new LinkedHashMap<>();
        samples.forEach((job, workers) -> {
            List<WorkerWindow> ws = new ArrayList<>();
            workers.forEach((worker, list) -> {
                list.sort(Comparator.comparingLong(WorkerSample::step));
                ws.add(new WorkerWindow(worker, placements.getOrDefault(job + '\u0000' + worker,
                        Placement.unknown()), list));
            });
            out.put(job, new JobWindow(job, ws));
        });
        return out;
    }
}

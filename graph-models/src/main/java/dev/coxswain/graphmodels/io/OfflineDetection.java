package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.cause.Attribution;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobTracker;
import dev.coxswain.graphmodels.detect.TickAssessment;
import dev.coxswain.graphmodels.detect.Ticks;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.window.CollectiveWaits;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

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

    /**
     * The verdict for each row, in the order of {@code rows}. With a decision delay, a worker's last steps, which no
     * later samples decide, get the worker's last verdict, and a worker with too few samples for any verdict is not
     * a straggler (ratio NaN).
     */
    public List<WorkerVerdict> run(List<StepRow> rows) {
        Map<String, WorkerVerdict> byRow = new HashMap<>();
        Map<String, WorkerVerdict> last = new HashMap<>();
        for (JobWindow w : windows(rows).values()) {
            JobTracker tracker = new JobTracker(w.jobId(), config, attributor, false);
            for (TickAssessment tick : Ticks.replay(w, tracker).values()) {
                for (WorkerVerdict v : tick.verdicts()) {
                    byRow.put(key(w.jobId(), v.workerId(), v.step()), v);
                    last.put(w.jobId() + '\u0000' + v.workerId(), v);
                }
            }
        }
        List<WorkerVerdict> out = new ArrayList<>(rows.size());
        for (StepRow r : rows) {
            WorkerVerdict v = byRow.get(key(r.jobId(), r.workerId(), r.sample().step()));
            if (v == null) {
                WorkerVerdict latest = last.get(r.jobId() + '\u0000' + r.workerId());
                v = latest != null ? latest.at(r.sample().step()) : undecided(r);
            }
            out.add(v);
        }
        return out;
    }

    private static WorkerVerdict undecided(StepRow r) {
        return new WorkerVerdict(r.workerId(), r.sample().step(), false, Double.NaN, 0,
                new Attribution(Cause.NONE, 1.0), OptionalLong.empty(), Optional.empty(), Optional.empty());
    }

    private static String key(String job, String worker, long step) {
        return job + '\u0000' + worker + '\u0000' + step;
    }

    /**
     * Groups rows into one window per job, each worker's samples sorted by step, with the waits an all-reduce job
     * hid in its communication taken out of its step times ({@link CollectiveWaits}).
     */
    public static Map<String, JobWindow> windows(List<StepRow> rows) {
        Map<String, Map<String, List<WorkerSample>>> samples = new LinkedHashMap<>();
        Map<String, WorkerLocation> placements = new HashMap<>();
        for (StepRow r : rows) {
            samples.computeIfAbsent(r.jobId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(r.workerId(), k -> new ArrayList<>()).add(r.sample());
            if (!r.placement().equals(WorkerLocation.unknown())) {
                placements.put(r.jobId() + '\u0000' + r.workerId(), r.placement());
            }
        }
        Map<String, JobWindow> out = new LinkedHashMap<>();
        samples.forEach((job, workers) -> {
            List<WorkerSeries> ws = new ArrayList<>();
            workers.forEach((worker, list) -> {
                list.sort(Comparator.comparingLong(WorkerSample::step));
                ws.add(new WorkerSeries(worker, placements.getOrDefault(job + '\u0000' + worker,
                        WorkerLocation.unknown()), list));
            });
            out.put(job, CollectiveWaits.infer(new JobWindow(job, ws)));
        });
        return out;
    }
}

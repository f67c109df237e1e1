package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.detect.JobTracker;
import dev.coxswain.graphmodels.detect.TickAssessment;
import dev.coxswain.graphmodels.detect.Ticks;
import dev.coxswain.graphmodels.detect.WorkerVerdict;
import dev.coxswain.graphmodels.window.JobWindow;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Runs the online detector over a whole window, step by step, and collects what it flagged. */
public final class DetectorRun {

    private DetectorRun() {
    }

    /** The worker-steps at which the detector held the worker a straggler. */
    public static Set<WorkerStep> flags(JobWindow window, DetectorConfig config, CauseAttributor attributor) {
        Map<Long, TickAssessment> ticks = Ticks.replay(window,
                new JobTracker(window.jobId(), config, attributor, false));
        Set<WorkerStep> flagged = new HashSet<>();
        for (TickAssessment t : ticks.values()) {
            for (WorkerVerdict v : t.verdicts()) {
                if (v.straggler()) {
                    flagged.add(new WorkerStep(v.workerId(), v.step()));
                }
            }
        }
        return flagged;
    }
}

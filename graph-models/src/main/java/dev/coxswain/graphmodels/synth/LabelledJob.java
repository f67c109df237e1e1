package dev.coxswain.graphmodels.synth;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.Signal;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A job's step window with the ground truth of every sample: {@code truth.get(worker).get(i)} belongs to the i-th
 * sample of that worker's window.
 */
public record LabelledJob(JobWindow window, Map<String, List<Truth>> truth) {
    public LabelledJob {
        Map<String, List<Truth>> copy = new HashMap<>();
        for (WorkerSeries w : window.workers()) {
            List<Truth> t = truth.get(w.workerId());
            if (t == null || t.size() != w.samples().size()) {
                throw new IllegalArgumentException("job " + window.jobId() + " worker " + w.workerId()
                        + ": truth must have one entry per sample");
            }
            copy.put(w.workerId(), List.copyOf(t));
        }
        truth = Map.copyOf(copy);
    }

    /** What a job reports of its step split: compute, communication and input (data) time. */
    public static final Set<Signal> BREAKDOWN = EnumSet.of(Signal.COMPUTE_MS, Signal.COMM_MS, Signal.DATA_MS);

    /**
     * The same job reporting its step times without the split ({@link #BREAKDOWN}), as many jobs do: what
     * {@code cause_telemetry_only_acc} asks of a recording.
     */
    public LabelledJob withoutBreakdown() {
        List<WorkerSeries> workers = window.workers().stream().map(w -> new WorkerSeries(w.workerId(), w.placement(),
                w.samples().stream().map(x -> new WorkerSample(x.step(), x.ownStepMs(), x.timestamp(),
                        x.signals().without(BREAKDOWN))).toList())).toList();
        return new LabelledJob(new JobWindow(window.jobId(), workers), truth);
    }

    /** The truth of a worker at a step; the healthy truth when the step is not in its window. */
    public Truth truthAt(String workerId, long step) {
        List<Truth> t = truth.get(workerId);
        WorkerSeries w = window.workers().stream().filter(x -> x.workerId().equals(workerId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no worker " + workerId));
        int i = (int) (step - w.samples().getFirst().step());
        if (i >= 0 && i < t.size() && w.samples().get(i).step() == step) {
            return t.get(i);
        }
        for (int k = 0; k < t.size(); k++) {
            if (w.samples().get(k).step() == step) {
                return t.get(k);
            }
        }
        return Truth.HEALTHY;
    }
}

package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks that single-sample spikes never alarm, on real data: one spike at a time (a sample multiplied by 1.5 to 3)
 * is put into a copy of the window, at a place where the oracle labels the worker healthy for two samples either
 * side, and the detector is rerun. The spike raised an alarm when, within {@code horizon} samples of it (before
 * it too: a detector with a decision delay dates its flags back), its worker is flagged in the spiked run but not
 * in the clean one; a flag that appears on another worker is counted
 * as collateral. One spike per run, so spikes cannot add up. Cost: one detector run per spike.
 */
public final class SpikeInjection {

    private final int spikesPerJob;
    private final int horizon;

    public SpikeInjection(int spikesPerJob, int horizon) {
        if (spikesPerJob < 1 || horizon < 1) {
            throw new IllegalArgumentException("spikesPerJob and horizon must be positive");
        }
        this.spikesPerJob = spikesPerJob;
        this.horizon = horizon;
    }

    /** How many spikes were injected, how many raised an alarm on their worker, how many flagged another one. */
    public record Result(int spikes, int alarms, int collateral) {
        public Result plus(Result o) {
            return new Result(spikes + o.spikes, alarms + o.alarms, collateral + o.collateral);
        }
    }

    public Result run(JobWindow window, OracleLabels labels, Random random,
                      Function<JobWindow, Set<WorkerStep>> detector) {
        Set<WorkerStep> clean = detector.apply(window);
        List<WorkerStep> candidates = candidates(window, labels);
        Collections.shuffle(candidates, random);
        int alarms = 0;
        int collateral = 0;
        List<WorkerStep> chosen = candidates.subList(0, Math.min(spikesPerJob, candidates.size()));
        for (WorkerStep spike : chosen) {
            JobWindow spiked = withSpike(window, spike, 1.5 + random.nextDouble() * 1.5);
            Set<WorkerStep> flags = detector.apply(spiked);
            List<Long> steps = labels.steps().get(spike.workerId());
            int at = steps.indexOf(spike.step());
            boolean alarm = false;
            for (int k = Math.max(0, at - horizon); k < Math.min(steps.size(), at + horizon); k++) {
                WorkerStep ws = new WorkerStep(spike.workerId(), steps.get(k));
                alarm |= flags.contains(ws) && !clean.contains(ws);
            }
            alarms += alarm ? 1 : 0;
            collateral += flags.stream().anyMatch(ws -> !ws.workerId().equals(spike.workerId())
                    && !clean.contains(ws)) ? 1 : 0;
        }
        return new Result(chosen.size(), alarms, collateral);
    }

    private static List<WorkerStep> candidates(JobWindow window, OracleLabels labels) {
        List<WorkerStep> out = new ArrayList<>();
        for (WorkerSeries w : window.workers()) {
            List<WorkerSample> s = w.samples();
            for (int i = 2; i + 2 < s.size(); i++) {
                boolean healthy = true;
                for (int k = i - 2; k <= i + 2 && healthy; k++) {
                    healthy = !labels.label(new WorkerStep(w.workerId(), s.get(k).step()));
                }
                if (healthy) {
                    out.add(new WorkerStep(w.workerId(), s.get(i).step()));
                }
            }
        }
        return out;
    }

    static JobWindow withSpike(JobWindow window, WorkerStep spike, double factor) {
        List<WorkerSeries> out = new ArrayList<>();
        for (WorkerSeries w : window.workers()) {
            if (!w.workerId().equals(spike.workerId())) {
                out.add(w);
                continue;
            }
            List<WorkerSample> samples = new ArrayList<>(w.samples());
            for (int i = 0; i < samples.size(); i++) {
                WorkerSample s = samples.get(i);
                if (s.step() == spike.step()) {
                    samples.set(i, new WorkerSample(s.step(), s.ownStepMs() * factor, s.timestamp(), s.signals()));
                }
            }
            out.add(new WorkerSeries(w.workerId(), w.placement(), samples));
        }
        return new JobWindow(window.jobId(), out);
    }
}

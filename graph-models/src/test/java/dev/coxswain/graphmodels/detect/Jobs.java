package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.cause.RuleCauseAttributor;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/** Builds step-time series for detector tests: workers x steps with a time function and optional noise. */
final class Jobs {
    private Jobs() {
    }

    /** Runs a tracker over {@code steps} steps of {@code workers} workers; {@code time(worker, step)} in ms. */
    static List<TickAssessment> run(JobTracker tracker, int workers, int steps,
                                    BiFunction<Integer, Integer, Double> time) {
        List<TickAssessment> out = new ArrayList<>();
        for (int t = 0; t < steps; t++) {
            Map<String, WorkerSample> samples = new LinkedHashMap<>();
            for (int w = 0; w < workers; w++) {
                samples.put("w" + w, WorkerSample.of(t, time.apply(w, t)));
            }
            out.add(tracker.advance(t, samples, Map.<String, WorkerLocation>of()));
        }
        return out;
    }

    static JobTracker tracker(DetectorConfig config) {
        return new JobTracker("job", config, new RuleCauseAttributor(), false);
    }

    /** Healthy noise: 100 ms times a lognormal factor with the given sigma. */
    static double[][] noisy(int workers, int steps, double sigma, Random random) {
        double[][] t = new double[workers][steps];
        for (int w = 0; w < workers; w++) {
            for (int s = 0; s < steps; s++) {
                t[w][s] = 100 * Math.exp(random.nextGaussian() * sigma);
            }
        }
        return t;
    }

    static WorkerVerdict verdict(TickAssessment tick, String worker) {
        return tick.verdicts().stream().filter(v -> v.workerId().equals(worker)).findFirst().orElseThrow();
    }
}

package dev.coxswain.graphmodels.eval;

import dev.coxswain.graphmodels.features.RobustStats;
import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The baseline the issue asks to compare with: flag a worker whose step time is above {@code factor} times the
 * median of its peers' step times at the same step, for {@code consecutive} consecutive samples.
 */
public final class PeerMedianBaseline {

    private final double factor;
    private final int consecutive;

    public PeerMedianBaseline(double factor, int consecutive) {
        if (!(factor > 1) || consecutive < 1) {
            throw new IllegalArgumentException("factor must exceed 1 and consecutive be positive");
        }
        this.factor = factor;
        this.consecutive = consecutive;
    }

    /** 1.1x the peer median for 3 consecutive samples. */
    public static PeerMedianBaseline standard() {
        return new PeerMedianBaseline(1.1, 3);
    }

    /** The flagged worker-steps of the whole window. */
    public Set<WorkerStep> flags(JobWindow window) {
        TreeMap<Long, Map<String, Double>> byStep = new TreeMap<>();
        for (WorkerSeries w : window.workers()) {
            for (WorkerSample s : w.samples()) {
                byStep.computeIfAbsent(s.step(), k -> new LinkedHashMap<>()).put(w.workerId(), s.ownStepMs());
            }
        }
        Map<String, Integer> run = new HashMap<>();
        Set<WorkerStep> flagged = new HashSet<>();
        byStep.forEach((step, times) -> times.forEach((worker, x) -> {
            double[] peers = times.entrySet().stream().filter(e -> !e.getKey().equals(worker))
                    .mapToDouble(Map.Entry::getValue).toArray();
            boolean above = peers.length > 0 && x > factor * RobustStats.median(peers);
            int n = above ? run.getOrDefault(worker, 0) + 1 : 0;
            run.put(worker, n);
            if (n >= consecutive) {
                flagged.add(new WorkerStep(worker, step));
            }
        }));
        return flagged;
    }
}

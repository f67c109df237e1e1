package dev.coxswain.graphmodels.detect;

import dev.coxswain.graphmodels.window.JobWindow;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;
import dev.coxswain.graphmodels.window.WorkerSeries;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A job window regrouped by step: for each step (ascending) the samples of the workers that reported it. Workers
 * keep the window's order within a step.
 */
public final class Ticks {
    private final NavigableMap<Long, Map<String, WorkerSample>> bySteps = new TreeMap<>();
    private final Map<String, WorkerLocation> placements = new HashMap<>();

    /** All samples of {@code window} with a step after {@code afterStep}. */
    public Ticks(JobWindow window, long afterStep) {
        for (WorkerSeries w : window.workers()) {
            placements.put(w.workerId(), w.placement());
            for (WorkerSample s : w.samples()) {
                if (s.step() > afterStep) {
                    bySteps.computeIfAbsent(s.step(), k -> new LinkedHashMap<>()).put(w.workerId(), s);
                }
            }
        }
    }

    /** Steps in ascending order with their samples. */
    public NavigableMap<Long, Map<String, WorkerSample>> bySteps() {
        return bySteps;
    }

    /** Each worker's placement as the window gave it. */
    public Map<String, WorkerLocation> placements() {
        return placements;
    }

    /** Every step of a whole window through a fresh tracker: the offline detector. */
    public static Map<Long, TickAssessment> replay(JobWindow window, JobTracker tracker) {
        Ticks ticks = new Ticks(window, Long.MIN_VALUE);
        Map<Long, TickAssessment> out = new LinkedHashMap<>();
        for (Map.Entry<Long, Map<String, WorkerSample>> e : ticks.bySteps.entrySet()) {
            out.put(e.getKey(), tracker.advance(e.getKey(), e.getValue(), ticks.placements));
        }
        return out;
    }
}

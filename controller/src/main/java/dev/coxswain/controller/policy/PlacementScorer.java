package dev.coxswain.controller.policy;

import dev.coxswain.controller.observe.JobObservation;
import dev.coxswain.controller.observe.Slot;

import java.util.Map;

/**
 * Predicts what moving one worker of a job to a free slot would do: the seam through which placement models plug in
 * (the step-time model today, a learned graph model later). Implementations are pure and thread-safe.
 */
public interface PlacementScorer {

    /** A short name for actions' evidence, e.g. {@code step-model}. */
    String name();

    /**
     * The job's step time, in ms, with {@code worker} moved to {@code slot} and each worker given the local batch in
     * {@code batches} (a worker not in it keeps its own).
     */
    double predictStepMs(JobObservation job, String worker, Slot slot, Map<String, Integer> batches);
}

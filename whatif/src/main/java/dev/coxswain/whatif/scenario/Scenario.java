package dev.coxswain.whatif.scenario;

import dev.coxswain.whatif.calibrate.Measurement;
import dev.coxswain.whatif.spec.ClusterSpec;
import dev.coxswain.whatif.spec.JobSpec;

import java.util.List;
import java.util.Optional;

/**
 * A what-if scenario: a cluster, a baseline job, questions that change it, and optionally measurements of the job
 * to calibrate Coxswain's step-time model on, whose answers are shown beside the simulator's.
 *
 * @param steps steps the simulator runs per question
 */
public record Scenario(String name, ClusterSpec cluster, JobSpec baseline, List<Question> questions, long steps,
                      long seed, Optional<Calibration> calibration) {

    /** Measured rows of the baseline job and the size of its gradients. */
    public record Calibration(List<Measurement> measured, long gradientBytes, long bucketBytes) {
        public Calibration {
            measured = List.copyOf(measured);
        }
    }

    public Scenario {
        questions = List.copyOf(questions);
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be at least 1");
        }
    }
}

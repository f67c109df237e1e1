package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.synth.Truth;
import dev.coxswain.graphmodels.window.WorkerLocation;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.Objects;
import java.util.Optional;

/**
 * One data row of a steps CSV, with the line it came from (the header is line 1) and its ground truth when the file
 * has the label columns.
 */
public record StepRow(int line, String jobId, String workerId, WorkerSample sample, WorkerLocation placement,
                      Optional<Truth> truth) {
    public StepRow {
        if (line < 2) {
            throw new IllegalArgumentException("data rows start at line 2, got " + line);
        }
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(truth, "truth");
    }
}

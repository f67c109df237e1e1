package dev.coxswain.graphmodels.io;

import dev.coxswain.graphmodels.window.Placement;
import dev.coxswain.graphmodels.window.WorkerSample;

import java.util.Objects;

/** One data row of a steps CSV, with the line it came from (the header is line 1). */
public record StepRow(int line, String jobId, String workerId, WorkerSample sample, Placement placement) {
    public StepRow {
        if (line < 2) {
            throw new IllegalArgumentException("data rows start at line 2, got " + line);
        }
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(sample, "sample");
        Objects.requireNonNull(placement, "placement");
    }
}

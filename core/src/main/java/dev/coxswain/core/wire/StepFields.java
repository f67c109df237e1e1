package dev.coxswain.core.wire;

import dev.coxswain.core.telemetry.StepReport;

/**
 * One step report's fields as {@link TelemetryDecoder#decodeStep} read and checked them, without the record: one
 * holder per consuming thread, refilled for every step record, so that applying a step to the collector's
 * primitive windows makes no object. The values are those of the {@link StepReport} the same bytes decode to
 * (a time as whole microseconds; the samples, loss and gradient statistics, which no window keeps, are checked
 * and not held). Not thread-safe.
 */
public final class StepFields {
    private String jobId;
    private String workerId;
    private long step;
    private long epochSecond;
    private int nano;
    private double stepTimeMs;
    private double computeMs;
    private double commMs;
    private double waitMs;
    private boolean hasDataMs;
    private double dataMs;
    private int batchSize;

    void set(String jobId, String workerId, long step, long epochSecond, int nano, double stepTimeMs,
             double computeMs, double commMs, double waitMs, boolean hasDataMs, double dataMs, int batchSize) {
        this.jobId = jobId;
        this.workerId = workerId;
        this.step = step;
        this.epochSecond = epochSecond;
        this.nano = nano;
        this.stepTimeMs = stepTimeMs;
        this.computeMs = computeMs;
        this.commMs = commMs;
        this.waitMs = waitMs;
        this.hasDataMs = hasDataMs;
        this.dataMs = dataMs;
        this.batchSize = batchSize;
    }

    public String jobId() {
        return jobId;
    }

    public String workerId() {
        return workerId;
    }

    public long step() {
        return step;
    }

    /** The step's end, microseconds since the epoch. */
    public long epochMicros() {
        return epochSecond * 1_000_000 + nano / 1000;
    }

    /** The step's end: seconds since the epoch, and {@link #nano} within that second (whole microseconds). */
    public long epochSecond() {
        return epochSecond;
    }

    public int nano() {
        return nano;
    }

    public double stepTimeMs() {
        return stepTimeMs;
    }

    public double computeMs() {
        return computeMs;
    }

    public double commMs() {
        return commMs;
    }

    public double waitMs() {
        return waitMs;
    }

    public int batchSize() {
        return batchSize;
    }

    /** As {@link StepReport#inputMs()}. */
    public double inputMs() {
        return StepReport.inputMs(stepTimeMs, computeMs, commMs, waitMs, hasDataMs, dataMs);
    }
}

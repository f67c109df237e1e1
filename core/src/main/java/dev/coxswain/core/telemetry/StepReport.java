package dev.coxswain.core.telemetry;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One training step of one worker, as reported by the training process. Times are wall-clock milliseconds of this
 * step: {@code computeMs + commMs + waitMs + dataMs} may be less than {@code stepTimeMs} (framework overhead) but not
 * more than 1% above it (overlap is reported as compute).
 *
 * @param waitMs    time blocked at the synchronisation barrier waiting for slower peers (0 for the slowest)
 * @param dataMs    time loading the step's input (data loader, host-side preprocessing), when the job measures it;
 *                  without it, readers take the part of the step that the other phases leave as input time
 * @param samples   samples this worker processed in the step
 * @param batchSize this worker's local batch size in force during the step
 * @param loss      training loss, if the job reports it
 * @param gradient  gradient statistics for the gradient noise scale, if the job reports them
 */
public record StepReport(
        String jobId,
        String workerId,
        long step,
        Instant timestamp,
        double stepTimeMs,
        double computeMs,
        double commMs,
        double waitMs,
        int samples,
        int batchSize,
        OptionalDouble loss,
        Optional<GradientStats> gradient,
        OptionalDouble dataMs) implements Telemetry {

    /** A step longer than a day is a broken timer, not a slow job. */
    public static final double MAX_STEP_MS = 86_400_000;
    public static final int MAX_BATCH = 1 << 24;

    public StepReport {
        Check.present("StepReport.dataMs", dataMs);
        Check.present("StepReport.loss", loss);
        Check.present("StepReport.gradient", gradient);
        if (timestamp == null) {
            throw new InvalidTelemetryException("StepReport.timestamp", "missing");
        }
        check(jobId, workerId, step, timestamp.getEpochSecond(), stepTimeMs, computeMs, commMs, waitMs,
                dataMs.isPresent(), dataMs.orElse(0), samples, batchSize, loss.isPresent(), loss.orElse(0));
        timestamp = Check.time("StepReport.timestamp", timestamp);
    }

    /**
     * The checks of a step report's fields, in one place: the constructor runs them, and so does a reader that
     * applies steps without making the record (the collector's ingest, {@code StepFields}). An absent data time or
     * loss is {@code hasDataMs} or {@code hasLoss} false; gradient statistics are {@link GradientStats#check}.
     */
    public static void check(String jobId, String workerId, long step, long epochSecond, double stepTimeMs,
                             double computeMs, double commMs, double waitMs, boolean hasDataMs, double dataMs,
                             int samples, int batchSize, boolean hasLoss, double loss) {
        Check.id("StepReport.jobId", jobId);
        Check.id("StepReport.workerId", workerId);
        Check.range("StepReport.step", step, 0, Long.MAX_VALUE);
        Check.epochSecond("StepReport.timestamp", epochSecond);
        Check.range("StepReport.stepTimeMs", stepTimeMs, 0, MAX_STEP_MS);
        Check.range("StepReport.computeMs", computeMs, 0, MAX_STEP_MS);
        Check.range("StepReport.commMs", commMs, 0, MAX_STEP_MS);
        Check.range("StepReport.waitMs", waitMs, 0, MAX_STEP_MS);
        if (hasDataMs) {
            Check.range("StepReport.dataMs", dataMs, 0, MAX_STEP_MS);
        }
        double parts = computeMs + commMs + waitMs + (hasDataMs ? dataMs : 0);
        if (!(parts <= stepTimeMs * 1.01 + 0.01)) {
            throw new InvalidTelemetryException("StepReport.computeMs", "compute + comm + wait"
                    + (hasDataMs ? " + data" : "") + " = " + parts + " ms exceeds stepTimeMs " + stepTimeMs);
        }
        Check.range("StepReport.samples", samples, 0, MAX_BATCH);
        Check.range("StepReport.batchSize", batchSize, 1, MAX_BATCH);
        if (hasLoss) {
            Check.range("StepReport.loss", loss, -1e12, 1e12);
        }
    }

    /** The input time of a step: the measured data time when there is one, else what the other phases leave. */
    public static double inputMs(double stepTimeMs, double computeMs, double commMs, double waitMs, boolean hasDataMs,
                                 double dataMs) {
        return hasDataMs ? dataMs : Math.max(0, stepTimeMs - computeMs - commMs - waitMs);
    }

    /** A step whose job does not time its data loading. */
    public StepReport(String jobId, String workerId, long step, Instant timestamp, double stepTimeMs, double computeMs,
                      double commMs, double waitMs, int samples, int batchSize, OptionalDouble loss,
                      Optional<GradientStats> gradient) {
        this(jobId, workerId, step, timestamp, stepTimeMs, computeMs, commMs, waitMs, samples, batchSize, loss,
                gradient, OptionalDouble.empty());
    }

    /**
     * The input time of the step: {@code dataMs} when the job measured it, else what compute, communication and the
     * barrier wait leave of the step (data loading and framework overhead).
     */
    public double inputMs() {
        return inputMs(stepTimeMs, computeMs, commMs, waitMs, dataMs.isPresent(), dataMs.orElse(0));
    }

    @Override
    public Scope scope() {
        return Scope.JOB;
    }

    @Override
    public String key() {
        return jobId;
    }

    /**
     * Per-step gradient statistics from which the gradient noise scale B_noise = tr(Sigma) / |G|^2 follows
     * (McCandlish et al. 2018; Pollux uses the same estimate).
     *
     * @param sqNorm   squared L2 norm of this worker's mini-batch gradient
     * @param variance sum over parameters of the per-sample gradient variance (trace of the covariance)
     */
    public record GradientStats(double sqNorm, double variance) {
        public GradientStats {
            check(sqNorm, variance);
        }

        /** The constructor's checks, for a reader that does not make the record. */
        public static void check(double sqNorm, double variance) {
            Check.range("StepReport.gradient.sqNorm", sqNorm, 0, 1e30);
            Check.range("StepReport.gradient.variance", variance, 0, 1e30);
        }
    }
}

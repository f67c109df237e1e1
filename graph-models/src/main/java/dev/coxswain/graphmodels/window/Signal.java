package dev.coxswain.graphmodels.window;

import java.util.Optional;

/**
 * The optional telemetry columns a worker sample may carry besides its step time. Each has the CSV column name that
 * {@code coxswain detect --steps} reads and a plausible range; values outside it are rejected as bad input.
 * Times are milliseconds of the step (any one unit works, since the detector only uses ratios, but it must be
 * the unit of {@code step_time}).
 */
public enum Signal {
    /** Forward and backward pass time of the worker's own step. */
    COMPUTE_MS("compute_time", 0, 86_400_000),
    /** Time in gradient communication (all-reduce or push/pull) of the step. */
    COMM_MS("comm_time", 0, 86_400_000),
    /**
     * Time loading the step's input (data loader, host-side preprocessing): the report's {@code data_ms}, or what
     * compute, communication and the barrier wait leave of the step. Not the barrier wait, which no detector column
     * carries: {@code step_time} is already the worker's own step.
     */
    DATA_MS("data_time", 0, 86_400_000),
    /** GPU utilisation in percent. */
    GPU_UTIL_PCT("gpu_util", 0, 100),
    /** Streaming-multiprocessor clock in MHz. */
    SM_CLOCK_MHZ("sm_clock_mhz", 0, 10_000),
    /** 1 when a throttle reason that slows compute was active during the step (NVML clocks event reasons), else 0. */
    THROTTLED("throttled", 0, 1),
    /** Host CPU utilisation in percent. */
    CPU_UTIL_PCT("cpu_util", 0, 100),
    /** The worker's local batch size. */
    BATCH_SIZE("batch_size", 1, 1 << 24),
    /** Utilisation (load over capacity) of the worker's network uplink in the cluster graph; may exceed 1. */
    LINK_UTIL("link_util", 0, 100);

    private final String column;
    private final double min;
    private final double max;

    Signal(String column, double min, double max) {
        this.column = column;
        this.min = min;
        this.max = max;
    }

    /** The CSV column name. */
    public String column() {
        return column;
    }

    /** Whether {@code value} is finite and within this signal's plausible range. */
    public boolean accepts(double value) {
        return Double.isFinite(value) && value >= min && value <= max;
    }

    /** A description of the accepted range, for error messages. */
    public String range() {
        return "a number in [" + format(min) + ", " + format(max) + "]";
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    /** The signal read from the given CSV column, if any. */
    public static Optional<Signal> forColumn(String column) {
        for (Signal s : values()) {
            if (s.column.equals(column)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}

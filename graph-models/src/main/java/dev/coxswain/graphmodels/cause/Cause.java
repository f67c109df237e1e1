package dev.coxswain.graphmodels.cause;

import java.util.Locale;

/** Why a worker is slow. {@link #NONE} labels a worker that is not a straggler. */
public enum Cause {
    /** Not a straggler. */
    NONE,
    /** The GPU computes slower: SM clock drop from thermal or power throttling. */
    GPU_COMPUTE,
    /** The host is contended: CPU busy, the data loader cannot keep up, the worker waits for input. */
    HOST_CONTENTION,
    /** Communication is slow: the worker's link or switch is congested. */
    NETWORK,
    /** The worker has more work or weaker hardware: uneven batch sizes or a slower device at full clock. */
    IMBALANCE,
    /** A straggler whose telemetry does not say why. */
    UNKNOWN;

    /** The lower-case name used in CSV output and on the dashboard, e.g. {@code gpu_compute}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The cause named by {@link #label()} or by its enum name. */
    public static Cause parse(String text) {
        return valueOf(text.trim().toUpperCase(Locale.ROOT));
    }
}

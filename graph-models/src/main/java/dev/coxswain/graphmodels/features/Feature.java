package dev.coxswain.graphmodels.features;

import java.util.Locale;

/**
 * The features of one worker at one step, from its own window and from its graph neighbourhood. "Reference" means
 * the median over the job's fast group of workers. A feature whose inputs are absent is missing (NaN).
 * Adding, removing or reordering a feature changes {@link FeatureVector#SCHEMA_VERSION}.
 */
public enum Feature {
    /** Rolling step-time level over the fast-group level: the worker's own slowdown. */
    STEP_RATIO,
    /** Robust spread of the worker's step times within its window, relative to its level. */
    STEP_SPREAD,
    /** Compute time over the reference compute time. */
    COMPUTE_RATIO,
    /** Communication time over the reference. */
    COMM_RATIO,
    /** Input-wait time over the reference. */
    WAIT_RATIO,
    /** Share of the worker's excess step time explained by excess compute time. */
    COMPUTE_SHARE,
    /** Share explained by excess communication time. */
    COMM_SHARE,
    /** Share explained by excess input-wait time. */
    WAIT_SHARE,
    /** GPU utilisation minus the reference, in percentage points. */
    GPU_UTIL_DELTA,
    /** SM clock over the reference. */
    SM_CLOCK_RATIO,
    /** Fraction of the window's samples with a compute-slowing throttle reason. */
    THROTTLED_FRACTION,
    /** Host CPU utilisation minus the reference, in percentage points. */
    CPU_UTIL_DELTA,
    /** Local batch size over the reference. */
    BATCH_RATIO,
    /** Utilisation of the worker's uplink. */
    LINK_UTIL,
    /** Uplink utilisation minus the reference. */
    LINK_UTIL_DELTA,
    /** Fraction of the other workers on the same host that are slow. */
    HOST_PEERS_SLOW,
    /** Fraction of the other workers behind the same NIC that are slow. */
    NIC_PEERS_SLOW,
    /** Fraction of the other workers behind the same switch that are slow. */
    SWITCH_PEERS_SLOW,
    /** Median communication ratio of the other workers behind the same switch. */
    SWITCH_PEERS_COMM_RATIO,
    /** Median input-wait ratio of the other workers on the same host. */
    HOST_PEERS_WAIT_RATIO,
    /** 1 when the worker has been slow at every step since its first confirmable one, else 0. */
    SLOW_SINCE_START,
    /** Fraction of the job's workers that are slow. */
    JOB_SLOW_FRACTION;

    /** The snake-case name used as the Tribuo feature name and in reports. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

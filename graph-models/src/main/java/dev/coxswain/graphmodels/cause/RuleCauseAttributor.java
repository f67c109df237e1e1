package dev.coxswain.graphmodels.cause;

import dev.coxswain.graphmodels.features.Feature;
import dev.coxswain.graphmodels.features.FeatureVector;

/**
 * The default attributor: a few transparent rules over the features, in order of how specific the evidence is.
 * <ol>
 *   <li>an active compute-slowing throttle reason, or the SM clock clearly below the fast group's: GPU compute;</li>
 *   <li>a larger local batch than the fast group's: imbalance;</li>
 *   <li>with the step split into compute, communication and input wait, the component that explains most of the
 *       excess: wait means host contention, communication means network, compute means imbalance (a slower
 *       device at full clock) unless the host's CPU is clearly busier than the fast group's;</li>
 *   <li>without that split: a busier CPU, a loaded uplink or slow switch peers, or a slowdown present from the
 *       worker's first samples (heterogeneous hardware);</li>
 *   <li>otherwise unknown.</li>
 * </ol>
 * Confidence is a fixed value per rule, a rough prior rather than a calibrated probability.
 */
public final class RuleCauseAttributor implements CauseAttributor {

    private static final double CLOCK_DROP_RATIO = 0.92;
    private static final double BATCH_EXCESS_RATIO = 1.05;
    private static final double CPU_BUSIER_PCT = 20;
    private static final double LINK_LOADED_DELTA = 0.3;

    @Override
    public Attribution attribute(FeatureVector f) {
        if (f.get(Feature.THROTTLED_FRACTION) >= 0.5 || f.get(Feature.SM_CLOCK_RATIO) <= CLOCK_DROP_RATIO) {
            return new Attribution(Cause.GPU_COMPUTE, 0.9);
        }
        if (f.get(Feature.BATCH_RATIO) >= BATCH_EXCESS_RATIO) {
            return new Attribution(Cause.IMBALANCE, 0.9);
        }
        double compute = f.get(Feature.COMPUTE_SHARE);
        double comm = f.get(Feature.COMM_SHARE);
        double wait = f.get(Feature.WAIT_SHARE);
        if (!Double.isNaN(compute) || !Double.isNaN(comm) || !Double.isNaN(wait)) {
            return byComponent(nanToLow(compute), nanToLow(comm), nanToLow(wait), f);
        }
        if (f.get(Feature.CPU_UTIL_DELTA) >= CPU_BUSIER_PCT) {
            return new Attribution(Cause.HOST_CONTENTION, 0.6);
        }
        if (f.get(Feature.LINK_UTIL_DELTA) >= LINK_LOADED_DELTA || f.get(Feature.SWITCH_PEERS_SLOW) >= 0.5) {
            return new Attribution(Cause.NETWORK, 0.6);
        }
        if (f.get(Feature.SLOW_SINCE_START) >= 1) {
            return new Attribution(Cause.IMBALANCE, 0.5);
        }
        return new Attribution(Cause.UNKNOWN, 0.0);
    }

    private static Attribution byComponent(double compute, double comm, double wait, FeatureVector f) {
        if (wait >= comm && wait >= compute) {
            return new Attribution(Cause.HOST_CONTENTION, 0.8);
        }
        if (comm >= compute) {
            return new Attribution(Cause.NETWORK, 0.8);
        }
        return f.get(Feature.CPU_UTIL_DELTA) >= CPU_BUSIER_PCT
                ? new Attribution(Cause.HOST_CONTENTION, 0.6)
                : new Attribution(Cause.IMBALANCE, 0.6);
    }

    private static double nanToLow(double v) {
        return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
    }

    @Override
    public String name() {
        return "rules";
    }
}

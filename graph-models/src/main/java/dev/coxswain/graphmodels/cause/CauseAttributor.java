package dev.coxswain.graphmodels.cause;

import dev.coxswain.graphmodels.features.FeatureVector;

/**
 * Names the cause of a confirmed straggler from its features (its own window and its graph neighbourhood).
 * Implementations are immutable and thread-safe. Missing features (absent telemetry) are NaN and must be handled:
 * when nothing points to a cause the answer is {@link Cause#UNKNOWN}, never an exception.
 */
public interface CauseAttributor {

    /** The cause of the straggler described by {@code features}; never {@link Cause#NONE}. */
    Attribution attribute(FeatureVector features);

    /** A short name for reports, e.g. {@code rules} or {@code xgboost}. */
    String name();

    /** Whether {@link #attribute} looks at the features; the detector skips computing them when not. */
    default boolean needsFeatures() {
        return true;
    }

    /** Calls every straggler's cause {@link Cause#UNKNOWN}: for runs that only need the straggler verdicts. */
    static CauseAttributor unattributed() {
        return new CauseAttributor() {
            @Override
            public Attribution attribute(FeatureVector features) {
                return new Attribution(Cause.UNKNOWN, 0);
            }

            @Override
            public String name() {
                return "none";
            }

            @Override
            public boolean needsFeatures() {
                return false;
            }
        };
    }
}

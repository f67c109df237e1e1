package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.features.FeatureVector;

import java.util.Objects;

/**
 * One labelled example: a candidate worker's features at one step, its true cause ({@link Cause#NONE} when it is not
 * a straggler) and its true slowdown.
 */
public record TrainingRow(FeatureVector features, Cause cause, double slowdown) {
    public TrainingRow {
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(cause, "cause");
        if (cause == Cause.UNKNOWN) {
            throw new IllegalArgumentException("training labels must be a known cause or NONE");
        }
        if (!(slowdown > 0) || Double.isInfinite(slowdown)) {
            throw new IllegalArgumentException("slowdown must be positive, got " + slowdown);
        }
    }
}

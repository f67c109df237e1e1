package dev.coxswain.whatif.calibrate;

import java.util.List;

/**
 * A step-time model that is fitted on measured configurations of one job and then predicts others. Implementations
 * are immutable and thread-safe; {@link #fit} never looks at anything but the rows it is given.
 */
public interface StepTimeModel {

    /** A short name for tables, e.g. {@code coxswain} or {@code pollux}. */
    String name();

    /**
     * Fits the model.
     *
     * @throws IllegalArgumentException when the rows cannot identify the model (none at all)
     */
    Fitted fit(List<Measurement> measured);

    /** A fitted model. Immutable and thread-safe. */
    interface Fitted {
        Prediction predict(Query query);

        /** The fitted parameters by name, in SI units, for reports. */
        java.util.Map<String, Double> parameters();
    }
}

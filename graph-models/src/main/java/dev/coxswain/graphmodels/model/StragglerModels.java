package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.cause.Attribution;
import dev.coxswain.graphmodels.cause.Cause;
import dev.coxswain.graphmodels.cause.CauseAttributor;
import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.common.xgboost.XGBoostModel;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The learned models, immutable: an XGBoost classifier of a candidate worker's cause ({@link Cause#NONE} meaning
 * "not a straggler") and an XGBoost regressor of its expected slowdown, with the detector settings calibrated
 * alongside them and their {@link Provenance}. Thread-safe for prediction.
 */
public final class StragglerModels {

    private final Model<Label> causeModel;
    private final Model<Regressor> slowdownModel;
    private final DetectorConfig detectorConfig;
    private final Provenance provenance;

    public StragglerModels(Model<Label> causeModel, Model<Regressor> slowdownModel, DetectorConfig detectorConfig,
                           Provenance provenance) {
        this.causeModel = singleThreaded(Objects.requireNonNull(causeModel, "causeModel"));
        this.slowdownModel = singleThreaded(Objects.requireNonNull(slowdownModel, "slowdownModel"));
        this.detectorConfig = Objects.requireNonNull(detectorConfig, "detectorConfig");
        this.provenance = Objects.requireNonNull(provenance, "provenance");
    }

    /**
     * One prediction is one small row: XGBoost's default of a thread per core makes it 50 to 100 times slower than
     * one thread on a busy machine (OpenMP start-up and spinning), so predictions run on the caller's thread only.
     */
    private static <T extends Output<T>> Model<T> singleThreaded(Model<T> model) {
        if (model instanceof XGBoostModel<T> x) {
            x.setNumThreads(1);
        }
        return model;
    }

    /** The probability of each cause, NONE included. */
    public Map<Cause, Double> causeProbabilities(FeatureVector features) {
        Prediction<Label> p = causeModel.predict(Examples.of(features, LabelFactory.UNKNOWN_LABEL));
        Map<Cause, Double> out = new EnumMap<>(Cause.class);
        for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
            out.put(Cause.valueOf(e.getKey()), e.getValue().getScore());
        }
        return out;
    }

    /** The most probable cause including NONE: the model's own straggler verdict and cause. */
    public Cause predictedCause(FeatureVector features) {
        return Cause.valueOf(causeModel.predict(Examples.of(features, LabelFactory.UNKNOWN_LABEL))
                .getOutput().getLabel());
    }

    /** The expected slowdown of the worker (its step time over the ideal one, noise removed). */
    public double expectedSlowdown(FeatureVector features) {
        Prediction<Regressor> p = slowdownModel.predict(Examples.of(features, RegressionFactory.UNKNOWN_REGRESSOR));
        return p.getOutput().getValues()[0];
    }

    /**
     * An attributor for confirmed stragglers: the most probable real cause, its probability renormalised over the
     * real causes. (The detector has confirmed the slowdown; the classifier's NONE is not allowed to veto it.)
     */
    public CauseAttributor attributor() {
        return new CauseAttributor() {
            @Override
            public Attribution attribute(FeatureVector features) {
                Map<Cause, Double> p = causeProbabilities(features);
                Cause best = Cause.UNKNOWN;
                double bestP = 0;
                double total = 0;
                for (Map.Entry<Cause, Double> e : p.entrySet()) {
                    if (e.getKey() != Cause.NONE) {
                        total += e.getValue();
                        if (e.getValue() > bestP) {
                            best = e.getKey();
                            bestP = e.getValue();
                        }
                    }
                }
                return total > 0 ? new Attribution(best, Math.min(1, bestP / total)) : new Attribution(Cause.UNKNOWN, 0);
            }

            @Override
            public String name() {
                return "xgboost";
            }
        };
    }

    public Model<Label> causeModel() {
        return causeModel;
    }

    public Model<Regressor> slowdownModel() {
        return slowdownModel;
    }

    public DetectorConfig detectorConfig() {
        return detectorConfig;
    }

    public Provenance provenance() {
        return provenance;
    }
}

package dev.coxswain.graphmodels.model;

import dev.coxswain.graphmodels.detect.DetectorConfig;
import dev.coxswain.graphmodels.features.FeatureVector;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.xgboost.XGBoostRegressionTrainer;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains the {@link StragglerModels} from labelled rows: a Tribuo XGBoost classifier (softmax over the causes and
 * NONE) and a Tribuo XGBoost regressor (squared error on the true slowdown). Deterministic for a given seed and
 * data (one XGBoost thread). The caller supplies the calibrated detector settings and the code version, which go
 * into the provenance with the data hash and the hyper-parameters.
 */
public final class ModelTrainer {

    /** XGBoost settings shared by both models. */
    public record Settings(int trees, double eta, int maxDepth, double minChildWeight, double subsample,
                           double featureSubsample, double lambda) {
        public Settings {
            if (trees < 1 || maxDepth < 1 || !(eta > 0 && eta <= 1) || !(subsample > 0 && subsample <= 1)
                    || !(featureSubsample > 0 && featureSubsample <= 1) || minChildWeight < 0 || lambda < 0) {
                throw new IllegalArgumentException("invalid XGBoost settings: " + this);
            }
        }

        /** The settings used for the benchmark. */
        public static Settings standard() {
            return new Settings(60, 0.3, 5, 1, 0.9, 0.9, 1);
        }

        Map<String, String> asMap() {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("xgboost.trees", Integer.toString(trees));
            m.put("xgboost.eta", Double.toString(eta));
            m.put("xgboost.maxDepth", Integer.toString(maxDepth));
            m.put("xgboost.minChildWeight", Double.toString(minChildWeight));
            m.put("xgboost.subsample", Double.toString(subsample));
            m.put("xgboost.featureSubsample", Double.toString(featureSubsample));
            m.put("xgboost.lambda", Double.toString(lambda));
            m.put("xgboost.threads", "1");
            return m;
        }
    }

    private final Settings settings;
    private final long seed;
    private final Clock clock;

    public ModelTrainer(Settings settings, long seed, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.seed = seed;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @param extraHyperParameters further settings to record (the data generator's and the detector's)
     */
    public StragglerModels train(List<TrainingRow> rows, DetectorConfig detectorConfig, String dataDescription,
                                 Map<String, String> extraHyperParameters, String codeVersion) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("no training rows");
        }
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        LabelFactory labels = new LabelFactory();
        MutableDataset<Label> causeData = new MutableDataset<>(
                new SimpleDataSourceProvenance(dataDescription, now, labels), labels);
        RegressionFactory regressors = new RegressionFactory();
        MutableDataset<Regressor> slowdownData = new MutableDataset<>(
                new SimpleDataSourceProvenance(dataDescription, now, regressors), regressors);
        for (TrainingRow r : rows) {
            FeatureVector f = r.features();
            causeData.add(Examples.of(f, new Label(r.cause().name())));
            slowdownData.add(Examples.of(f, new Regressor("slowdown", r.slowdown())));
        }
        XGBoostClassificationTrainer causeTrainer = new XGBoostClassificationTrainer(settings.trees(), settings.eta(),
                0, settings.maxDepth(), settings.minChildWeight(), settings.subsample(), settings.featureSubsample(),
                settings.lambda(), 0, 1, true, seed);
        XGBoostRegressionTrainer slowdownTrainer = new XGBoostRegressionTrainer(
                XGBoostRegressionTrainer.RegressionType.LINEAR, settings.trees(), settings.eta(), 0,
                settings.maxDepth(), settings.minChildWeight(), settings.subsample(), settings.featureSubsample(),
                settings.lambda(), 0, 1, true, seed);
        Model<Label> causeModel = causeTrainer.train(causeData);
        Model<Regressor> slowdownModel = slowdownTrainer.train(slowdownData);
        Map<String, String> hyper = new LinkedHashMap<>(settings.asMap());
        hyper.putAll(extraHyperParameters);
        Provenance provenance = new Provenance(FeatureVector.SCHEMA_VERSION, TrainingData.hash(rows), dataDescription,
                seed, hyper, codeVersion, clock.instant(), rows.size());
        return new StragglerModels(causeModel, slowdownModel, detectorConfig, provenance);
    }
}
